from django import template

register = template.Library()


@register.filter
def duration(seconds: int | None) -> str:
    """`{{ 95|duration }}` -> "1:35"; "1:00:05" from an hour on; "" for None (unknown)."""
    if seconds is None or seconds == "":
        return ""
    seconds = max(0, int(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
