"""The SVG charts, without the database."""

from datetime import date, timedelta

from interviews import charts


def test_bars_write_each_value_and_mark_weak_ones_without_relying_on_colour():
    svg = charts.mastery_bars(
        [charts.Bar("Transformers", 82, "3/5 tried"), charts.Bar("CNNs", 41, weak=True)], title="Mastery"
    )
    assert svg.startswith("<svg") and 'role="img"' in svg
    assert ">82 · 3/5 tried<" in svg
    assert ">41 · weak<" in svg and "url(#mastery-hatch)" in svg
    assert "<title id=\"mastery-title\">Mastery</title>" in svg


def test_chart_text_from_users_and_curators_is_escaped():
    svg = charts.mastery_bars([charts.Bar("<script>alert(1)</script>", 50)], title="A & B")
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "A &amp; B" in svg


def test_the_trend_line_breaks_at_weeks_without_attempts_and_labels_values():
    svg = charts.trend_line([("1 Jan", 40), ("8 Jan", None), ("15 Jan", 60), ("22 Jan", 70)], title="Trend")
    assert svg.count("<polyline") == 2
    assert ">40</text>" in svg and ">70</text>" in svg
    assert "8 Jan: no attempts" in svg


def test_activity_columns_describe_the_totals_in_words():
    start = date(2025, 3, 3)  # a Monday
    days = [(start + timedelta(days=i), n) for i, n in enumerate([0, 3, 0, 1, 0, 0, 0, 2])]
    svg = charts.activity_columns(days, title="Activity")
    assert "6 attempts on 3 of 8 days; the busiest day had 3." in svg
    assert svg.count("<rect") == 3
    assert "03 Mar" in svg and "10 Mar" in svg


def test_empty_charts_say_so():
    assert "No attempts yet." in charts.mastery_bars([], title="Mastery")
    assert "No attempts yet." in charts.trend_line([("1 Jan", None)], title="Trend")
