from django import template

from interviews.models import Attempt, Question
from interviews.selectors.questions import concept_key

register = template.Library()


@register.simple_tag
def feedback_points(attempt: Attempt, question: Question) -> list[dict]:
    """`{% feedback_points attempt question as points %}`: the key points as the attempt's feedback
    recorded them, each with `concept`, the concept its point has in the bank now ("" when it has
    none, or the point has since been reworded). One query, none when the points are prefetched."""
    concepts = {concept_key(kp.label): kp.concept for kp in question.key_points.all()}
    return [
        point | {"concept": concepts.get(concept_key(point.get("label", "")), "")}
        for point in (attempt.feedback or {}).get("key_points") or ()
    ]
