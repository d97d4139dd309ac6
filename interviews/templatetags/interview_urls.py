from django import template

from interviews.links import interview_url

register = template.Library()


@register.simple_tag
def item_url(name: str, interview, position: int | None = None) -> str:
    """`{% item_url "item_answer" interview item.position %}`: `{% url %}`, cached (see interviews.links)."""
    return interview_url(name, interview.uuid, position)
