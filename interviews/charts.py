"""Server-rendered SVG charts: plain strings, no JavaScript, no database.

Every chart reads without colour: values are written as text next to the marks, weak bars carry a
hatch pattern and the word "weak", the line chart marks each point with a symbol, and each chart has
a <title> and <desc> for screen readers (the pages also show the numbers in a table).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from html import escape

from django.utils.safestring import SafeString, mark_safe

WIDTH = 640
FONT = 'font-family="system-ui, sans-serif"'


@dataclass(frozen=True)
class Bar:
    label: str
    value: float  # 0-100
    note: str = ""  # e.g. "12 of 40 questions"
    weak: bool = False


def _svg(*, width: int, height: int, title: str, desc: str, body: list[str], chart_id: str) -> SafeString:
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" {FONT} font-size="12">'
        f'<title id="{chart_id}-title">{escape(title)}</title><desc id="{chart_id}-desc">{escape(desc)}</desc>'
    )
    return mark_safe(head + "".join(body) + "</svg>")  # noqa: S308 - every text part is escaped above


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def mastery_bars(bars: Sequence[Bar], *, title: str, chart_id: str = "mastery", threshold: int = 60) -> SafeString:
    """Horizontal bars from 0 to 100, one per row, with the value and note written beside each bar."""
    label_w, value_w, row_h, top = 190, 150, 30, 26
    plot_w = WIDTH - label_w - value_w
    height = top + row_h * max(1, len(bars)) + 8
    body = [
        f'<defs><pattern id="{chart_id}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="6" height="6" fill="#fbe3df"/>'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="#b42318" stroke-width="2.5"/></pattern></defs>'
    ]
    for tick in (0, 25, 50, 75, 100):
        x = label_w + plot_w * tick / 100
        body.append(f'<line x1="{x:.1f}" y1="{top - 6}" x2="{x:.1f}" y2="{height - 8}" stroke="#dde2ea"/>')
        body.append(f'<text x="{x:.1f}" y="{top - 10}" text-anchor="middle" fill="#5b6475">{tick}</text>')
    x_threshold = label_w + plot_w * threshold / 100
    body.append(
        f'<line x1="{x_threshold:.1f}" y1="{top - 6}" x2="{x_threshold:.1f}" y2="{height - 8}" '
        'stroke="#5b6475" stroke-dasharray="4 3"/>'
    )
    if not bars:
        body.append(f'<text x="{label_w}" y="{top + 18}" fill="#5b6475">No attempts yet.</text>')
    for i, bar in enumerate(bars):
        y = top + i * row_h
        value = max(0.0, min(100.0, bar.value))
        w = plot_w * value / 100
        fill = f"url(#{chart_id}-hatch)" if bar.weak else "#2f5bd3"
        stroke = ' stroke="#b42318"' if bar.weak else ""
        text = f"{value:.0f}" + (" · weak" if bar.weak else "") + (f" · {bar.note}" if bar.note else "")
        body.append(
            f'<g><title>{escape(bar.label)}: {value:.0f} of 100{" (weak)" if bar.weak else ""}</title>'
            f'<text x="{label_w - 8}" y="{y + 19}" text-anchor="end">{escape(_short(bar.label, 28))}</text>'
            f'<rect x="{label_w}" y="{y + 6}" width="{max(w, 1.5):.1f}" height="18" fill="{fill}"{stroke}/>'
            f'<text x="{label_w + w + 6:.1f}" y="{y + 19}" fill="#1d2433">{escape(_short(text, 30))}</text></g>'
        )
    desc = "; ".join(f"{b.label}: {b.value:.0f}{' (weak)' if b.weak else ''}" for b in bars) or "No data."
    return _svg(width=WIDTH, height=height, title=title, desc=desc, body=body, chart_id=chart_id)


def trend_line(
    points: Sequence[tuple[str, float | None]], *, title: str, chart_id: str = "trend", label_every: int = 4
) -> SafeString:
    """A 0-100 line through the points (None leaves a gap), each point marked and its value written."""
    left, right, top, bottom = 36, 16, 22, 30
    height = 240
    plot_w, plot_h = WIDTH - left - right, height - top - bottom
    n = max(1, len(points) - 1)

    def xy(i: int, v: float) -> tuple[float, float]:
        return left + plot_w * i / n, top + plot_h * (1 - v / 100)

    body = []
    for tick in (0, 25, 50, 75, 100):
        y = top + plot_h * (1 - tick / 100)
        body.append(f'<line x1="{left}" y1="{y:.1f}" x2="{WIDTH - right}" y2="{y:.1f}" stroke="#dde2ea"/>')
        body.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" fill="#5b6475">{tick}</text>')
    segment: list[str] = []
    segments: list[list[str]] = []
    for i, (_label, value) in enumerate(points):
        if value is None:
            if segment:
                segments.append(segment)
            segment = []
            continue
        x, y = xy(i, value)
        segment.append(f"{x:.1f},{y:.1f}")
    if segment:
        segments.append(segment)
    for seg in segments:
        body.append(f'<polyline points="{" ".join(seg)}" fill="none" stroke="#2f5bd3" stroke-width="2"/>')
    for i, (label, value) in enumerate(points):
        x = left + plot_w * i / n
        if i % label_every == 0 or i == len(points) - 1:
            anchor = "end" if i == len(points) - 1 and i else "start" if i == 0 else "middle"
            body.append(
                f'<text x="{x:.1f}" y="{height - 10}" text-anchor="{anchor}" fill="#5b6475">{escape(label)}</text>'
            )
        if value is None:
            continue
        x, y = xy(i, value)
        body.append(
            f'<g><title>{escape(label)}: {value:.0f}</title>'
            f'<rect x="{x - 3.5:.1f}" y="{y - 3.5:.1f}" width="7" height="7" fill="#fff" stroke="#1d2433" '
            f'stroke-width="1.5"/><text x="{x:.1f}" y="{y - 8:.1f}" text-anchor="middle" font-size="10">'
            f"{value:.0f}</text></g>"
        )
    if not segments:
        body.append(f'<text x="{left + 10}" y="{top + plot_h / 2:.1f}" fill="#5b6475">No attempts yet.</text>')
    desc = "; ".join(f"{label}: {'no attempts' if v is None else f'{v:.0f}'}" for label, v in points)
    return _svg(width=WIDTH, height=height, title=title, desc=desc or "No data.", body=body, chart_id=chart_id)


def activity_columns(days: Sequence[tuple[date, int]], *, title: str, chart_id: str = "activity") -> SafeString:
    """One column per day, its height the number of attempts; weeks labelled under their Mondays."""
    left, right, top, bottom = 36, 16, 16, 30
    height = 170
    plot_w, plot_h = WIDTH - left - right, height - top - bottom
    peak = max((count for _, count in days), default=0) or 1
    slot = plot_w / max(1, len(days))
    body = [
        f'<line x1="{left}" y1="{top + plot_h}" x2="{WIDTH - right}" y2="{top + plot_h}" stroke="#5b6475"/>',
        f'<line x1="{left}" y1="{top}" x2="{WIDTH - right}" y2="{top}" stroke="#dde2ea" stroke-dasharray="4 3"/>',
        f'<text x="{left - 6}" y="{top + 4}" text-anchor="end" fill="#5b6475">{peak}</text>',
        f'<text x="{left - 6}" y="{top + plot_h + 4}" text-anchor="end" fill="#5b6475">0</text>',
    ]
    for i, (day, count) in enumerate(days):
        x = left + i * slot
        h = plot_h * count / peak
        label = f"{day:%a %d %b}: {count} attempt{'s' if count != 1 else ''}"
        if count:
            body.append(
                f'<rect x="{x + 1:.1f}" y="{top + plot_h - h:.1f}" width="{max(slot - 2, 1):.1f}" '
                f'height="{h:.1f}" fill="#2f5bd3"><title>{escape(label)}</title></rect>'
            )
        if day.weekday() == 0:
            body.append(
                f'<text x="{x:.1f}" y="{height - 10}" fill="#5b6475" font-size="10">{day:%d %b}</text>'
                f'<line x1="{x:.1f}" y1="{top + plot_h}" x2="{x:.1f}" y2="{top + plot_h + 4}" stroke="#5b6475"/>'
            )
    total = sum(count for _, count in days)
    active = sum(1 for _, count in days if count)
    desc = f"{total} attempts on {active} of {len(days)} days; the busiest day had {peak if total else 0}."
    return _svg(width=WIDTH, height=height, title=title, desc=desc, body=body, chart_id=chart_id)
