"""My progress: mastery per topic, the score trend, activity, and the weak spots to drill."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import SafeString

from interviews import charts
from interviews.selectors import progress as progress_selectors


def _charts(progress: progress_selectors.Progress) -> dict[str, SafeString]:
    bars = [
        charts.Bar(label=t.name, value=t.mastery, note=f"{t.tried}/{t.total} tried", weak=t.weak)
        for t in progress.topics
    ]
    return {
        "mastery": charts.mastery_bars(
            bars, title="Mastery per topic (0-100, recent attempts weigh more)", threshold=progress_selectors.WEAK_BELOW
        ),
        "trend": charts.trend_line(
            [(f"{monday:%d %b}", avg) for monday, _n, avg in progress.trend], title="Average score per week"
        ),
        "activity": charts.activity_columns(progress.activity, title="Attempts per day"),
    }


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    progress = progress_selectors.progress_for(user=request.user)
    context = {"progress": progress, "charts": _charts(progress), "weak_below": progress_selectors.WEAK_BELOW}
    return render(request, "interviews/progress.html", context)
