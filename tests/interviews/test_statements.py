import uuid
from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models.signals import post_init
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from interviews import statements
from interviews.models import Attempt, InterviewItem, ReviewState
from interviews.services import mock_interviews as svc
from tests.round_trips import postgres_round_trips

pytestmark = pytest.mark.django_db


@pytest.fixture
def interview(candidate, question, other_question):
    return svc.interview_start(user=candidate, count=2, timing="per_question", time_limit_seconds=60, mode="interview")


def test_select_reads_rows_as_the_orm_does_with_the_rest_deferred(interview):
    shown = timezone.now().replace(microsecond=123456)
    InterviewItem.objects.filter(interview=interview, position=1).update(flagged=True, shown_at=shown, draft="é ✓")
    with connection.cursor() as cursor:
        names = ["position", "flagged", "shown_at", "draft", "id"]
        items = statements.select(cursor, InterviewItem, names, where={"interview": interview.pk}, order_by="position")
    assert [i.position for i in items] == [0, 1]
    assert items[1].flagged is True and items[0].flagged is False
    assert items[1].shown_at == shown and timezone.is_aware(items[1].shown_at)
    assert items[1].draft == "é ✓" and items[0].shown_at is None
    assert "state" in items[0].get_deferred_fields() and "position" not in items[0].get_deferred_fields()
    assert items[1].state == "pending"  # a deferred field still loads on use
    assert items[1] == InterviewItem.objects.get(interview=interview, position=1)


def test_select_with_two_conditions_and_none_matching(interview):
    with connection.cursor() as cursor:
        found = statements.select(cursor, InterviewItem, ["id"], where={"interview": interview.pk, "position": 1})
        missing = statements.select(cursor, InterviewItem, ["id"], where={"interview": interview.pk, "position": 7})
    assert [i.pk for i in found] == [InterviewItem.objects.get(interview=interview, position=1).pk]
    assert missing == []


def test_a_locked_select_says_for_update_where_the_database_has_it(interview):
    with CaptureQueriesContext(connection) as queries, connection.cursor() as cursor:
        statements.select(cursor, InterviewItem, ["id"], where={"interview": interview.pk}, lock=True)
    assert queries.captured_queries[-1]["sql"].endswith("FOR UPDATE") == (connection.vendor == "postgresql")


def test_insert_prepares_each_value_as_its_field_does_and_sets_the_key(candidate, question):
    key = uuid.uuid4()
    attempt = Attempt(
        user=candidate, question=question, answer="x", score=42, band="partial", parts={"tfidf": 0.5},
        feedback={"key_points": [{"label": "ß", "covered": True}]}, scorer_version="v", mode="interview",
        submission_key=key,
    )  # fmt: skip
    before = timezone.now()
    with connection.cursor() as cursor:
        statements.insert(cursor, attempt)
    stored = Attempt.objects.get(pk=attempt.pk)
    assert attempt.pk is not None and not attempt._state.adding
    assert stored.parts == {"tfidf": 0.5} and stored.feedback["key_points"][0]["label"] == "ß"
    assert stored.submission_key == key and stored.late is False and stored.time_taken_seconds is None
    assert before <= stored.created == attempt.created <= timezone.now()  # auto_now_add, as save() sets it


def test_update_writes_only_the_named_fields_and_counts_rows(candidate, question):
    state = ReviewState.objects.create(user=candidate, question=question, card={"a": 1}, due=timezone.now())
    later = state.due + timedelta(days=3)
    state.card, state.due, state.reviews = {"b": [1, 2]}, later, 5
    state.lapses = 9  # not named: stays as stored
    with connection.cursor() as cursor:
        assert statements.update(cursor, state, ["card", "due", "reviews"]) == 1
        gone = ReviewState(pk=state.pk + 1000, user=candidate, question=question, card={}, due=later)
        assert statements.update(cursor, gone, ["card"]) == 0
    state.refresh_from_db()
    assert (state.card, state.due, state.reviews, state.lapses) == ({"b": [1, 2]}, later, 5, 0)


# --- batches -------------------------------------------------------------------------------------


def test_a_batch_hands_over_its_rows_when_it_is_over(interview):
    with statements.batch() as batch:
        items = batch.select(InterviewItem, None, where={"interview": interview.pk}, order_by="position")
        second = batch.select(InterviewItem, ["id"], where={"interview": interview.pk, "position": 1})
        none = batch.select(InterviewItem, ["id"], where={"interview": interview.pk, "position": 9})
        with pytest.raises(RuntimeError, match="not over"):
            items.result  # noqa: B018 - reading it is the point
    assert items.result == list(InterviewItem.objects.filter(interview=interview).order_by("position"))
    assert [i.pk for i in second.result] == [items.result[1].pk] and none.result == []


def test_a_batch_insert_gets_its_key_when_the_batch_is_over_or_takes_a_reserved_one(candidate, question):
    with statements.batch() as batch:
        reserved = batch.reserve_id(Attempt)
    attempt = Attempt(user=candidate, question=question, answer="x", score=1, band="weak", scorer_version="v")
    attempt.pk = reserved.result
    state = ReviewState(user=candidate, question=question, card={}, due=timezone.now())
    with statements.batch() as batch:
        batch.insert(attempt)
        batch.insert(state)
    assert (reserved.result is None) == (connection.vendor == "sqlite")  # SQLite reads the key back instead
    assert Attempt.objects.get(pk=attempt.pk).answer == "x"
    assert state.pk is not None and ReviewState.objects.get(pk=state.pk).user == candidate
    if reserved.result is not None:
        assert attempt.pk == reserved.result and Attempt.objects.create(
            user=candidate, question=question, answer="y", score=1, band="weak", scorer_version="v"
        ).pk > reserved.result  # the sequence moved on: the key is never handed out twice


def test_a_failing_statement_in_a_batch_raises_djangos_error_and_nothing_after_it_runs(candidate, question):
    key = uuid.uuid4()
    fields = {"user": candidate, "question": question, "answer": "x", "score": 1, "band": "weak", "scorer_version": "v"}
    Attempt.objects.create(**fields, submission_key=key)
    state = ReviewState.objects.create(user=candidate, question=question, card={}, due=timezone.now())
    state.reviews = 7
    with pytest.raises(IntegrityError), transaction.atomic(), statements.batch() as batch:
        batch.insert(Attempt(**fields, submission_key=key))  # the same key: refused
        batch.update(state, ["reviews"])
    state.refresh_from_db()
    assert state.reviews == 0 and Attempt.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_on_postgresql_a_batch_is_one_round_trip(candidate, question):
    if connection.vendor != "postgresql":
        pytest.skip("round trips are PostgreSQL's")
    with postgres_round_trips() as trips, transaction.atomic():
        before = trips.count
        with statements.batch() as batch:
            batch.select(ReviewState, None, where={"user": candidate.pk, "question": question.pk}, lock=True)
            batch.select(Attempt, None, where={"user": candidate.pk})
            batch.reserve_id(Attempt)
        assert trips.count == before + 2  # BEGIN (psycopg waits for it in a pipeline too), then the batch
        with statements.batch() as batch:
            batch.update(candidate, ["last_login"])
            batch.insert(ReviewState(user=candidate, question=question, card={}, due=timezone.now()))
        assert trips.count == before + 3


@pytest.mark.django_db(transaction=True)
def test_a_last_batch_commits_the_transaction_and_django_still_runs_its_on_commit_work(candidate, question):
    committed = []
    with transaction.atomic():
        transaction.on_commit(lambda: committed.append(True))
        with statements.batch(commit=True) as batch:
            batch.insert(ReviewState(user=candidate, question=question, card={}, due=timezone.now()))
        assert committed == []
    assert committed == [True]
    assert ReviewState.objects.filter(user=candidate, question=question).count() == 1
    assert not connection.in_atomic_block and connection.get_autocommit()


@pytest.mark.django_db(transaction=True)
def test_on_postgresql_a_last_batch_takes_the_commit_in_its_round_trip(candidate, question):
    if connection.vendor != "postgresql":
        pytest.skip("round trips are PostgreSQL's")
    with postgres_round_trips() as trips:
        before = trips.count
        with transaction.atomic():
            with statements.batch() as batch:
                batch.select(ReviewState, None, where={"user": candidate.pk, "question": question.pk}, lock=True)
            with statements.batch(commit=True) as batch:
                batch.insert(ReviewState(user=candidate, question=question, card={}, due=timezone.now()))
            in_block = trips.count - before
        # BEGIN, the read, the write with the COMMIT; leaving the block sends nothing more.
        assert in_block == trips.count - before == 3
    assert ReviewState.objects.filter(user=candidate, question=question).count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_last_batch_refused_raises_out_of_the_block_with_nothing_written(candidate, question):
    fields = {"user": candidate, "question": question, "answer": "x", "score": 1, "band": "weak", "scorer_version": "v"}
    key = uuid.uuid4()
    Attempt.objects.create(**fields, submission_key=key)
    committed = []
    with pytest.raises(IntegrityError), transaction.atomic():
        transaction.on_commit(lambda: committed.append(True))
        with statements.batch(commit=True) as batch:
            batch.update(candidate, ["last_login"])
            batch.insert(ReviewState(user=candidate, question=question, card={}, due=timezone.now()))
            batch.insert(Attempt(**fields, submission_key=key))  # the same key: refused
    assert committed == [] and not ReviewState.objects.exists() and Attempt.objects.count() == 1
    assert not connection.in_atomic_block and connection.get_autocommit()
    with transaction.atomic():  # the connection goes on as usual
        ReviewState.objects.create(user=candidate, question=question, card={}, due=timezone.now())
    assert ReviewState.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_last_batch_inside_a_savepoint_leaves_the_commit_to_the_outer_block(candidate, question):
    class Undo(Exception):
        pass

    with pytest.raises(Undo), transaction.atomic():
        with transaction.atomic(), statements.batch(commit=True) as batch:
            batch.insert(ReviewState(user=candidate, question=question, card={}, due=timezone.now()))
        assert connection.in_atomic_block
        raise Undo  # the outer block rolls back: so is the inner one's write
    assert not ReviewState.objects.exists()


def test_select_with_parent_reads_a_row_and_its_parent_in_one_statement(interview, candidate, stranger):
    shown = timezone.now().replace(microsecond=654321)
    InterviewItem.objects.filter(interview=interview, position=1).update(shown_at=shown, draft="brouillon ✓")
    with CaptureQueriesContext(connection) as queries, connection.cursor() as cursor:
        found = statements.select_with_parent(
            cursor, InterviewItem, "interview", where={"position": 1},
            parent_where={"uuid": interview.uuid, "user": candidate.pk},
        )  # fmt: skip
        theirs = statements.select_with_parent(
            cursor, InterviewItem, "interview", where={"position": 1},
            parent_where={"uuid": interview.uuid, "user": stranger.pk},
        )  # fmt: skip
    assert len(queries.captured_queries) == 2 and theirs == []
    [(item, parent)] = found
    assert item == InterviewItem.objects.get(interview=interview, position=1) and parent == interview
    assert item.shown_at == shown and timezone.is_aware(item.shown_at) and item.draft == "brouillon ✓"
    assert parent.uuid == interview.uuid and isinstance(parent.uuid, uuid.UUID)
    assert parent.deadline == interview.deadline and parent.get_deferred_fields() == set()
    assert item.get_deferred_fields() == set()


def _as_the_orm_builds_it(obj):
    return {k: v for k, v in vars(obj).items() if k != "_state"}, obj._state.adding, obj._state.db


def test_select_with_parent_outer_brings_the_rows_whose_key_points_nowhere_with_none(interview, candidate):
    answered = InterviewItem.objects.get(interview=interview, position=0)
    svc.item_answer(item=answered, text="dropout zeroes units at random")
    with connection.cursor() as cursor:
        outer = statements.select_with_parent(
            cursor, InterviewItem, "attempt", where={"interview": interview.pk}, outer=True
        )
        inner = statements.select_with_parent(cursor, InterviewItem, "attempt", where={"interview": interview.pk})
    by_position = {item.position: attempt for item, attempt in outer}
    assert by_position[1] is None and by_position[0] == Attempt.objects.get(user=candidate)
    assert [item.position for item, _ in inner] == [0]


@pytest.mark.parametrize("names", [None, ["id", "position", "draft", "interview"]])
def test_a_selected_instance_is_the_one_from_db_makes(interview, names):
    InterviewItem.objects.filter(interview=interview, position=0).update(draft="é", shown_at=timezone.now())
    assert statements._set_directly(InterviewItem)
    with connection.cursor() as cursor:
        [item] = statements.select(cursor, InterviewItem, names, where={"interview": interview.pk, "position": 0})
    orm = InterviewItem.objects.only(*names) if names else InterviewItem.objects.all()
    expected = orm.get(interview=interview, position=0)
    assert _as_the_orm_builds_it(item) == _as_the_orm_builds_it(expected)
    assert item.get_deferred_fields() == expected.get_deferred_fields()
    assert item.interview == interview  # the relation still loads on use
    item.draft = "changed"
    item.save(update_fields=["draft"])  # an instance the ORM can save: adding is False, the db set
    assert InterviewItem.objects.get(pk=item.pk).draft == "changed"


def test_a_model_with_a_post_init_receiver_is_made_by_from_db(interview):
    seen = []

    def receiver(sender, instance, **kwargs):
        seen.append(instance)

    post_init.connect(receiver, sender=InterviewItem)
    statements._set_directly.cache_clear()
    try:
        assert not statements._set_directly(InterviewItem)
        with connection.cursor() as cursor:
            items = statements.select(cursor, InterviewItem, None, where={"interview": interview.pk})
        assert seen == items and len(items) == 2
    finally:
        post_init.disconnect(receiver, sender=InterviewItem)
        statements._set_directly.cache_clear()
    assert statements._set_directly(InterviewItem)


def test_a_batchs_writes_are_one_statement_on_postgresql_and_an_item_can_point_at_an_attempt_written_beside_it(
    interview, candidate, question
):
    with statements.batch() as batch:
        reserved = batch.reserve_id(Attempt)
    attempt = Attempt(user=candidate, question=question, answer="x", score=1, band="weak", scorer_version="v")
    attempt.pk = reserved.result
    first, second = InterviewItem.objects.filter(interview=interview).order_by("position")
    state = ReviewState(user=candidate, question=question, card={}, due=timezone.now())
    with CaptureQueriesContext(connection) as queries, statements.batch() as batch:
        batch.insert(attempt)
        batch.insert(state)  # its key comes back from the statement
        first.attempt, first.state = attempt, "answered"
        batch.update(first, ["attempt", "state"])
        second.flagged = True
        batch.update(second, ["flagged"])
    written = [q["sql"] for q in queries.captured_queries]
    assert len(written) == (1 if connection.vendor == "postgresql" else 4)
    assert state.pk == ReviewState.objects.get(user=candidate, question=question).pk
    first.refresh_from_db()
    assert first.attempt == Attempt.objects.get(pk=attempt.pk) and first.state == "answered"
    assert InterviewItem.objects.get(pk=second.pk).flagged


def test_two_writes_of_one_row_in_a_batch_run_in_order_and_a_read_sees_the_writes_before_it(interview):
    item = InterviewItem.objects.filter(interview=interview).first()
    with CaptureQueriesContext(connection) as queries, statements.batch() as batch:
        item.draft = "first"
        batch.update(item, ["draft"])
        item.flagged, item.draft = True, "second"
        batch.update(item, ["flagged", "draft"])  # the same row: not in the first one's statement
        seen = batch.select(InterviewItem, ["id", "draft", "flagged"], where={"id": item.pk})
        item.draft = "third"
        batch.update(item, ["draft"])
    assert len(queries.captured_queries) == 4
    assert (seen.result[0].draft, seen.result[0].flagged) == ("second", True)
    assert InterviewItem.objects.get(pk=item.pk).draft == "third"


def test_a_write_refused_after_another_in_a_batch_raises_and_none_is_kept(candidate, question, interview):
    key = uuid.uuid4()
    fields = {"user": candidate, "question": question, "answer": "x", "score": 1, "band": "weak", "scorer_version": "v"}
    Attempt.objects.create(**fields, submission_key=key)
    item = InterviewItem.objects.filter(interview=interview).first()
    item.draft = "not kept"
    with pytest.raises(IntegrityError), transaction.atomic(), statements.batch() as batch:
        batch.update(item, ["draft"])  # before the refused one this time
        batch.insert(Attempt(**fields, submission_key=key))
    assert InterviewItem.objects.get(pk=item.pk).draft == "" and Attempt.objects.count() == 1
