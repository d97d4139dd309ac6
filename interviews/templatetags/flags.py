from django import template

from interviews.forms import FlagForm
from interviews.views.flags import PLACES

register = template.Library()


@register.inclusion_tag("interviews/_flag_form.html", takes_context=True)
def flag_form(context, question, place: str = "question") -> dict:
    """The "Flag this question" form, for any page that shows a question."""
    return {
        "question": question,
        "flag_form": FlagForm(),
        "place": place if place in PLACES else PLACES[0],
        "csrf_token": context.get("csrf_token"),
    }
