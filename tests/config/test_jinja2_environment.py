"""The Jinja2 engine of the interview stage: Django's meaning for what its templates use."""

from datetime import UTC, datetime

from django.template import engines
from django.utils import timezone


def render(source: str, **context) -> str:
    return engines["jinja2"].from_string(source).render(context)


def test_the_time_filter_shows_the_current_time_zone():
    when = datetime(2026, 12, 2, 6, 30, 15, tzinfo=UTC)
    with timezone.override("Asia/Tokyo"):
        assert render('{{ when|time("H:i:s") }}', when=when) == "15:30:15"
    with timezone.override("UTC"):
        assert render('{{ when|time("H:i:s") }}', when=when) == "06:30:15"


def test_values_are_escaped():
    assert render("<p>{{ text }}</p>", text="</textarea><script>x</script>") == (
        "<p>&lt;/textarea&gt;&lt;script&gt;x&lt;/script&gt;</p>"
    )


def test_item_url_is_the_interview_url_tag(interview_uuid="5f0c6a9e-64a1-4bb0-9d2a-3b8f4c1e2d7a"):
    class Interview:
        uuid = interview_uuid

    assert render("{{ item_url('item_answer', interview, 3) }}", interview=Interview()) == (
        f"/interviews/{interview_uuid}/q/3/answer/"
    )
