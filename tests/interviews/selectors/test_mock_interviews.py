import pytest
from django.http import Http404
from django.urls import reverse

from interviews import bank
from interviews.models import InterviewItem, ItemState, KeyPoint
from interviews.selectors import mock_interviews as selectors
from interviews.services import mock_interviews as svc
from tests.conftest import make_question
from tests.factories import make_attempt

pytestmark = pytest.mark.django_db

GOOD = "Sigmoid and tanh saturate so gradients shrink exponentially; ReLU and residual connections fix it."


@pytest.fixture
def interview(candidate, topic, question, other_question):
    make_question(
        slug="dropout",
        topic=topic,
        prompt="What does dropout do?",
        references=["Dropout randomly zeroes activations during training so units cannot co-adapt."],
    )
    return svc.interview_start(user=candidate, count=3, timing="whole", time_limit_seconds=600, mode="interview")


def test_the_navigation_links_open_questions_only_and_marks_the_current_one(interview, django_assert_num_queries):
    first = svc.current_item(interview=interview)
    svc.item_answer(item=first, text=GOOD)
    second = svc.current_item(interview=interview)
    svc.item_toggle_flag(item=second)
    svc.item_skip(item=second)
    interview.refresh_from_db()
    items = selectors.items_with_questions(interview=interview, with_attempts=False)
    current = svc.current_item(interview=interview, items=items)
    with django_assert_num_queries(0):
        nav = selectors.interview_navigation(interview=interview, items=items, current=current)
    assert [e.number for e in nav] == [1, 2, 3]
    by_position = {item.position: entry for item, entry in zip(items, nav, strict=True)}
    answered, skipped, shown = by_position[first.position], by_position[second.position], by_position[current.position]
    assert (answered.state, answered.label, answered.goto_url) == ("answered", "Answered", None)
    assert (skipped.state, skipped.label, skipped.flagged) == ("skipped", "Skipped", True)
    assert skipped.goto_url == reverse("interviews:item_goto", args=[interview.uuid, second.position])
    assert shown.current and not skipped.current and not answered.current
    assert shown.goto_url == reverse("interviews:item_goto", args=[interview.uuid, current.position])


def report_with(*averages: float) -> selectors.InterviewReport:
    topics = [selectors.TopicResult(f"Topic {i}", average, 1) for i, average in enumerate(averages)]
    return selectors.InterviewReport(
        interview=None, items=[], overall=0, answered=0, time_used_seconds=0, topics=topics
    )


@pytest.mark.parametrize(
    ("averages", "strongest", "weakest"),
    [
        ((80, 40), "Topic 0", "Topic 1"),
        ((55,), "Topic 0", None),  # one topic: its score, and nothing to compare it with
        ((0, 0), None, None),  # all the same: neither is the strongest or the weakest
        ((), None, None),
    ],
)
def test_the_report_names_a_strongest_and_weakest_topic_only_when_they_differ(averages, strongest, weakest):
    report = report_with(*averages)
    assert (report.strongest and report.strongest.name) == strongest
    assert (report.weakest and report.weakest.name) == weakest


def test_each_report_row_lists_what_its_answer_missed(interview):
    items = {item.position: item for item in interview.items.all()}
    covered_all = make_attempt(
        user=interview.user, question=items[0].question, score=90, key_points=[("One", True), ("Two", True)]
    )
    missed_one = make_attempt(
        user=interview.user, question=items[1].question, score=50, key_points=[("One", True), ("Two", False)]
    )
    for position, attempt in ((0, covered_all), (1, missed_one)):
        InterviewItem.objects.filter(pk=items[position].pk).update(attempt=attempt, state=ItemState.ANSWERED)
    svc.interview_finish(interview=interview)  # the third: no draft, no attempt
    rows = selectors.interview_report(interview=interview).rows
    assert [(row.item.position, row.key_points, row.missed) for row in rows[:2]] == [(0, 2, []), (1, 2, ["Two"])]
    # The third was closed with its empty draft: its answer covered none of its question's key points.
    labels = list(rows[2].item.question.key_points.values_list("label", flat=True))
    assert (rows[2].key_points, rows[2].missed) == (len(labels), labels)


def test_the_report_sums_up_the_concepts_missed_most_questions_first(interview):
    items = {item.question.slug: item for item in interview.items.all()}
    vg, pool = items["vanishing-gradients"], items["pooling-layers"]  # "dropout" has no key points
    vg_points = list(vg.question.key_points.order_by("position"))
    pool_points = list(pool.question.key_points.order_by("position"))
    for kp, concept in ((vg_points[0], "overfitting"), (pool_points[0], "overfitting"), (vg_points[1], "Dropout")):
        KeyPoint.objects.filter(pk=kp.pk).update(concept=concept)
    KeyPoint.objects.filter(pk=pool_points[1].pk).update(concept="Dropout")
    answers = (
        (vg, [(vg_points[0].label, False), (vg_points[1].label, False)]),
        (pool, [(pool_points[0].label, False), (pool_points[1].label, True)]),  # Dropout covered here
    )
    for item, key_points in answers:
        attempt = make_attempt(user=interview.user, question=item.question, score=40, key_points=key_points)
        InterviewItem.objects.filter(pk=item.pk).update(attempt=attempt, state=ItemState.ANSWERED)
    report = selectors.interview_report(interview=interview)
    assert report.concepts_missed == [("overfitting", 2), ("Dropout", 1)]


def test_an_item_comes_with_its_interview_and_question_in_one_statement(
    interview, candidate, django_assert_num_queries
):
    bank.get_engine()  # the bank read once, as every worker has at boot
    with django_assert_num_queries(1):
        item = selectors.item_for_user(user=candidate, interview_uuid=str(interview.uuid), position=1)
        assert item.interview == interview and item.interview.user is candidate
        assert item.interview.deadline == interview.deadline and item.interview.timing == "whole"
        assert item.question.topic.name and item.question.pk == item.question_id
    assert item == InterviewItem.objects.get(interview=interview, position=1)
    assert item.interview.title == interview.title and item.interview.started_at == interview.started_at


def test_another_interview_of_the_same_user_does_not_lend_its_items(interview, candidate, question, other_question):
    other = svc.interview_start(user=candidate, count=1, timing="whole", time_limit_seconds=600, mode="interview")
    item = selectors.item_for_user(user=candidate, interview_uuid=other.uuid, position=0)
    assert item.interview == other and item.interview_id == other.pk
    with pytest.raises(Http404):
        selectors.item_for_user(user=candidate, interview_uuid=other.uuid, position=1)  # interview has position 1


@pytest.mark.parametrize("position", [3, -1, 32768, 10**30])
def test_no_such_question_is_a_404_even_beyond_what_the_column_holds(interview, candidate, position):
    with pytest.raises(Http404):
        selectors.item_for_user(user=candidate, interview_uuid=interview.uuid, position=position)


def test_someone_elses_interview_is_a_404(interview, stranger):
    with pytest.raises(Http404):
        selectors.item_for_user(user=stranger, interview_uuid=interview.uuid, position=0)
