import pytest

from interviews.formats import Bundle, FormatError, KeyPointData, QuestionData, TopicData
from interviews.models import KeyPoint, Question, ReferenceAnswer, Topic
from interviews.services.bank_import import bank_import

pytestmark = pytest.mark.django_db


def _question(slug: str, **changes) -> QuestionData:
    fields = {
        "slug": slug,
        "topic": "training-optimisation",
        "prompt": f"Explain {slug.replace('-', ' ')}.",
        "references": [f"A reference answer about {slug}."],
        "key_points": [KeyPointData("first point", ["one", "1st"]), KeyPointData("second point", ["two"])],
        "file": "bank.json",
        "line": 10,
    }
    return QuestionData(**(fields | changes))


def _bundle(*questions: QuestionData) -> Bundle:
    topic = TopicData(slug="training-optimisation", name="Training and optimisation", description="SGD and co.")
    return Bundle(topics=[topic], questions=list(questions))


def _snapshot() -> list[tuple]:
    return [
        (
            q.uuid,
            q.slug,
            q.topic.slug,
            q.prompt,
            q.difficulty,
            q.status,
            q.time_limit_seconds,
            [r.text for r in q.references.all()],
            [(k.label, k.phrasings) for k in q.key_points.all()],
        )
        for q in Question.objects.order_by("slug")
    ]


def test_it_creates_topics_questions_references_and_key_points():
    report = bank_import(bundle=_bundle(_question("momentum"), _question("adam")))
    assert sorted(report.created) == ["adam", "momentum"]
    assert report.topics_created == ["training-optimisation"]
    question = Question.objects.get(slug="momentum")
    assert [r.text for r in question.references.all()] == ["A reference answer about momentum."]
    assert [(k.label, k.phrasings) for k in question.key_points.all()] == [
        ("first point", ["one", "1st"]),
        ("second point", ["two"]),
    ]


def test_a_bundle_with_one_bad_question_writes_nothing():
    bad = _question("broken", topic="no-such-topic", line=42)
    with pytest.raises(FormatError) as exc:
        bank_import(bundle=_bundle(_question("momentum"), bad))
    assert [str(p) for p in exc.value.problems] == ["bank.json:42: broken: unknown topic 'no-such-topic'"]
    assert not Question.objects.exists()
    assert not Topic.objects.exists()


def test_a_database_refusal_midway_rolls_everything_back(topic):
    taken = Question.objects.create(slug="taken", topic=topic, prompt="p", status="published")
    Question.objects.create(slug="other", topic=topic, prompt="p", status="published")
    # Matched by the uuid of "taken", it asks for the slug "other" already holds.
    renamed = _question("other", uuid=str(taken.uuid), line=20)
    with pytest.raises(FormatError, match=r"bank.json:20: other: the database refused the import"):
        bank_import(bundle=_bundle(_question("new-one"), renamed))
    assert sorted(Question.objects.values_list("slug", flat=True)) == ["other", "taken"]


def test_importing_twice_changes_nothing():
    bundle = _bundle(_question("momentum"), _question("adam"))
    bank_import(bundle=bundle)
    before = _snapshot()
    ids = sorted(ReferenceAnswer.objects.values_list("id", flat=True)) + sorted(
        KeyPoint.objects.values_list("id", flat=True)
    )
    report = bank_import(bundle=bundle)
    assert (report.created, report.updated, sorted(report.unchanged)) == ([], [], ["adam", "momentum"])
    assert _snapshot() == before
    assert ids == sorted(ReferenceAnswer.objects.values_list("id", flat=True)) + sorted(
        KeyPoint.objects.values_list("id", flat=True)
    )


def test_a_changed_question_is_updated_in_place_not_duplicated():
    bank_import(bundle=_bundle(_question("momentum")))
    original = Question.objects.get()
    changed = _question(
        "momentum",
        prompt="What does momentum do?",
        difficulty="hard",
        key_points=[KeyPointData("only point", ["velocity"])],
    )
    report = bank_import(bundle=_bundle(changed))
    assert report.updated == ["momentum"]
    question = Question.objects.get()
    assert (question.pk, question.uuid) == (original.pk, original.uuid)
    assert (question.prompt, question.difficulty) == ("What does momentum do?", "hard")
    assert [(k.label, k.phrasings) for k in question.key_points.all()] == [("only point", ["velocity"])]


def test_a_changed_concept_alone_updates_the_question():
    bank_import(bundle=_bundle(_question("momentum")))
    tagged = [KeyPointData("first point", ["one", "1st"], concept="optimisers"), KeyPointData("second point", ["two"])]
    report = bank_import(bundle=_bundle(_question("momentum", key_points=tagged)))
    assert report.updated == ["momentum"]
    assert list(KeyPoint.objects.order_by("position").values_list("concept", flat=True)) == ["optimisers", ""]
    assert bank_import(bundle=_bundle(_question("momentum", key_points=tagged))).unchanged == ["momentum"]


def test_a_question_matched_by_uuid_can_change_its_slug():
    bank_import(bundle=_bundle(_question("momentum")))
    uuid = str(Question.objects.get().uuid)
    report = bank_import(bundle=_bundle(_question("sgd-momentum", uuid=uuid)))
    assert report.updated == ["sgd-momentum"]
    assert list(Question.objects.values_list("slug", flat=True)) == ["sgd-momentum"]


def test_a_dry_run_reports_created_updated_and_unchanged_and_writes_nothing():
    bank_import(bundle=_bundle(_question("momentum"), _question("adam")))
    before = _snapshot()
    report = bank_import(
        bundle=_bundle(_question("momentum"), _question("adam", prompt="Changed?"), _question("rmsprop")),
        dry_run=True,
    )
    assert (report.created, report.updated, report.unchanged) == (["rmsprop"], ["adam"], ["momentum"])
    assert "would be created" in report.summary()
    assert _snapshot() == before


def test_only_new_adds_new_questions_and_keeps_a_curators_edits():
    bank_import(bundle=_bundle(_question("momentum")))
    Question.objects.filter(slug="momentum").update(prompt="Edited by a curator")
    report = bank_import(bundle=_bundle(_question("momentum"), _question("adam")), only_new=True)
    assert (report.created, report.unchanged) == (["adam"], ["momentum"])
    assert Question.objects.get(slug="momentum").prompt == "Edited by a curator"


def test_a_repeated_slug_is_reported_with_both_places():
    with pytest.raises(FormatError, match=r"b.csv:7: slug 'adam' repeats the question at a.json:3"):
        bank_import(bundle=_bundle(_question("adam", file="a.json", line=3), _question("adam", file="b.csv", line=7)))


def test_a_topic_named_by_a_format_reuses_the_existing_topic_untouched(topic):
    topic.description = "Kept."
    topic.save()
    by_name = TopicData(slug="training-and-optimisation", name="training and optimisation", description=None)
    question = _question("adam", topic="training-and-optimisation")
    bank_import(bundle=Bundle(topics=[by_name], questions=[question]))
    assert list(Topic.objects.values_list("slug", "name", "description")) == [
        ("training-optimisation", "Training and optimisation", "Kept.")
    ]
    assert Question.objects.get().topic == topic


def test_a_new_topic_may_not_take_an_existing_topics_name(topic):
    clash = TopicData(slug="optimisation", name="Training and optimisation", description="")
    with pytest.raises(FormatError, match="belongs to topic 'training-optimisation'"):
        bank_import(bundle=Bundle(topics=[clash], questions=[_question("adam", topic="optimisation")]))
    assert not Question.objects.exists()
