from __future__ import annotations

import json

import pytest
from django.contrib.admin.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from interviews import bank
from interviews.models import Attempt, Flag, FlagReason, FlagStatus, Question, QuestionStatus, Topic
from interviews.services import curation

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:interviews_question_changelist")


@pytest.fixture
def curator_client(client, curator):
    curator.groups.add(curation.curator_group_ensure())
    client.force_login(curator)
    return client


def _change_url(question: Question) -> str:
    return reverse("admin:interviews_question_change", args=[question.pk])


def _form_data(question: Question, **fields) -> dict:
    """The question's admin change form as a browser would post it, with `fields` changed."""
    refs, kps = list(question.references.all()), list(question.key_points.all())
    data = {
        "prompt": question.prompt,
        "topic": question.topic_id,
        "difficulty": question.difficulty,
        "status": question.status,
        "time_limit_seconds": question.time_limit_seconds,
        "slug": question.slug,
        "source": question.source,
        "references-TOTAL_FORMS": len(refs),
        "references-INITIAL_FORMS": len(refs),
        "key_points-TOTAL_FORMS": len(kps),
        "key_points-INITIAL_FORMS": len(kps),
    }
    for i, ref in enumerate(refs):
        data |= {f"references-{i}-id": ref.pk, f"references-{i}-question": question.pk}
        data |= {f"references-{i}-text": ref.text, f"references-{i}-position": ref.position}
    for i, kp in enumerate(kps):
        data |= {f"key_points-{i}-id": kp.pk, f"key_points-{i}-question": question.pk}
        data |= {f"key_points-{i}-label": kp.label, f"key_points-{i}-position": kp.position}
        data[f"key_points-{i}-phrasings"] = "\n".join(kp.phrasings)
        data[f"key_points-{i}-concept"] = kp.concept
    return data | fields


def _contest(question, user, answer="My answer", score=20) -> Attempt:
    return Attempt.objects.create(
        user=user,
        question=question,
        answer=answer,
        score=score,
        band="weak",
        scorer_version="t",
        contested_at=timezone.now(),
        contest_note="I was right",
    )


# --- roles --------------------------------------------------------------------------------------


def test_a_candidate_never_reaches_the_admin(candidate_client, question):
    for url in ("/admin/", CHANGELIST, _change_url(question)):
        response = candidate_client.get(url)
        assert response.status_code == 302
        assert response.url.startswith("/admin/login/")


def test_a_curator_cannot_see_or_change_user_accounts(curator_client, candidate):
    assert "Users" not in curator_client.get("/admin/").content.decode()
    assert curator_client.get(reverse("admin:accounts_user_changelist")).status_code == 403
    assert curator_client.get(reverse("admin:accounts_user_change", args=[candidate.pk])).status_code == 403


def test_a_staff_user_outside_the_curator_group_cannot_edit_the_bank(client, curator, question):
    client.force_login(curator)
    assert client.get(_change_url(question)).status_code == 403


def test_setup_roles_makes_a_user_a_curator_and_can_run_twice(candidate):
    from django.core.management import call_command

    call_command("setup_roles", curator=[candidate.username])
    call_command("setup_roles")
    candidate.refresh_from_db()
    assert candidate.is_staff and candidate.groups.filter(name="curator").exists()


# --- editing ------------------------------------------------------------------------------------


def test_a_curator_can_edit_a_question_with_its_references_and_key_points(curator_client, curator, question):
    data = _form_data(question, prompt="What is the vanishing-gradient problem?")
    data["references-0-text"] = "Gradients shrink through saturating layers."
    data["key_points-0-phrasings"] = "gradient shrinks\nvanishing"
    response = curator_client.post(_change_url(question), data)
    assert response.status_code == 302, response.context["errors"] if response.context else response
    question.refresh_from_db()
    assert question.prompt == "What is the vanishing-gradient problem?"
    assert question.references.get().text == "Gradients shrink through saturating layers."
    assert question.key_points.first().phrasings == ["gradient shrinks", "vanishing"]
    assert LogEntry.objects.filter(user=curator, object_id=str(question.pk)).exists()


def test_a_curator_tags_a_key_point_choosing_among_the_banks_concepts(curator_client, question, other_question):
    other_question.key_points.filter(label="Max or average").update(concept="pooling")
    other_question.key_points.filter(label="Downsamples feature maps").update(concept="pooling")
    page = curator_client.get(_change_url(question)).content.decode()
    assert page.count('list="keypoint-concepts"') == question.key_points.count() + 1  # and the empty row to add
    assert '<datalist id="keypoint-concepts"><option value="pooling"></datalist>' in page  # once each
    data = _form_data(question, **{"key_points-1-concept": "activations"})
    response = curator_client.post(_change_url(question), data)
    assert response.status_code == 302
    assert list(question.key_points.values_list("concept", flat=True)) == ["", "activations", "", ""]


def test_the_concepts_page_puts_one_question_concepts_and_respellings_first(curator_client, question, other_question):
    question.key_points.filter(label__startswith="ReLU").update(concept="activation functions")
    question.key_points.filter(label__startswith="Saturating").update(concept="Activation functions.")
    other_question.key_points.filter(label="Max or average").update(concept="activation functions")
    other_question.key_points.filter(label="Downsamples feature maps").update(concept="pooling")
    page = curator_client.get(reverse("admin:interviews_question_concepts"))
    assert page.status_code == 200
    rows = [(c.name, c.questions, c.points, c.respelled) for c in page.context["concepts"]]
    assert rows == [("pooling", 1, 1, False), ("activation functions", 2, 3, True)]
    body = page.content.decode()
    assert "(one question only)" in body and "“Activation functions.” ×1" in body
    listed = curator_client.get(reverse("admin:interviews_question_changelist"), {"key_points__concept": "pooling"})
    assert [q.slug for q in listed.context["cl"].result_list] == [other_question.slug]


def test_the_concepts_page_is_for_curators_only(candidate_client, client, curator):
    url = reverse("admin:interviews_question_concepts")
    assert candidate_client.get(url).status_code == 302  # to the admin's log-in
    client.force_login(curator)
    curator.groups.clear()
    assert client.get(url).status_code == 403


def test_editing_a_reference_refits_the_scorer_and_past_attempts_keep_their_score(curator_client, candidate, question):
    from interviews.services.attempts import attempt_submit

    attempt = attempt_submit(user=candidate, question=question, answer="ReLU and residual connections help.")
    engine = bank.get_engine()
    data = _form_data(question)
    data["references-0-text"] = "ReLU and residual connections help."
    curator_client.post(_change_url(question), data)
    assert bank.get_engine() is not engine
    kept = Attempt.objects.get(pk=attempt.pk)
    assert (kept.score, kept.scorer_version) == (attempt.score, attempt.scorer_version)


def test_a_curator_can_publish_and_unpublish_with_bulk_actions(curator_client, question, other_question):
    Question.objects.update(status=QuestionStatus.DRAFT)
    curator_client.post(CHANGELIST, {"action": "publish_selected", "_selected_action": [question.pk]})
    assert Question.objects.get(pk=question.pk).status == QuestionStatus.PUBLISHED
    assert Question.objects.get(pk=other_question.pk).status == QuestionStatus.DRAFT
    curator_client.post(CHANGELIST, {"action": "unpublish_selected", "_selected_action": [question.pk]})
    assert Question.objects.get(pk=question.pk).status == QuestionStatus.DRAFT


def test_moving_questions_uses_the_topic_from_the_action_bar(curator_client, question, other_topic):
    data = {"action": "move_selected", "_selected_action": [question.pk], "topic": other_topic.pk}
    curator_client.post(CHANGELIST, data)
    assert Question.objects.get(pk=question.pk).topic == other_topic


def test_exporting_a_selection_downloads_only_those_questions(curator_client, question, other_question):
    data = {"action": "export_selected", "_selected_action": [other_question.pk], "export_format": "json"}
    response = curator_client.post(CHANGELIST, data)
    assert response["Content-Disposition"] == 'attachment; filename="questions.json"'
    assert [q["slug"] for q in json.loads(response.content)["questions"]] == [other_question.slug]


def test_a_selection_exports_as_an_anki_deck_too(curator_client, question, other_question):
    data = {"action": "export_selected", "_selected_action": [question.pk], "export_format": "anki"}
    response = curator_client.post(CHANGELIST, data)
    assert response["Content-Disposition"] == 'attachment; filename="questions.txt"'
    lines = response.content.decode().splitlines()
    assert lines[0] == "#separator:tab" and len(lines) == 7
    assert lines[-1].startswith(f"{question.slug}\t{question.prompt}\t")


# --- the list -----------------------------------------------------------------------------------


def test_the_list_shows_live_statistics(curator_client, candidate, stranger, question):
    _contest(question, candidate, score=20)
    Attempt.objects.create(user=stranger, question=question, answer="a", score=80, band="good", scorer_version="t")
    Flag.objects.create(user=candidate, question=question, reason=FlagReason.TYPO)
    response = curator_client.get(CHANGELIST)
    row = response.context["cl"].result_list.get(pk=question.pk)
    assert (row.n_attempts, row.avg_score, row.n_contested, row.n_open_flags) == (2, 50, 1, 1)
    assert "50% (1)" in response.content.decode()


def test_the_flagged_filter_lists_questions_with_open_flags(curator_client, candidate, question, other_question):
    Flag.objects.create(user=candidate, question=question, reason=FlagReason.TYPO)
    Flag.objects.create(user=candidate, question=other_question, reason=FlagReason.TYPO, status=FlagStatus.RESOLVED)
    response = curator_client.get(CHANGELIST + "?flagged=yes")
    assert list(response.context["cl"].result_list) == [question]


def test_the_low_agreement_filter_lists_often_contested_questions(curator_client, candidate, question, other_question):
    _contest(question, candidate)
    for _ in range(10):
        Attempt.objects.create(user=candidate, question=other_question, score=50, band="partial", scorer_version="t")
    _contest(other_question, candidate)  # 1 of 11: agreement is fine
    response = curator_client.get(CHANGELIST + "?agreement=low")
    assert list(response.context["cl"].result_list) == [question]


def test_search_finds_a_question_by_its_reference_text(curator_client, question, other_question):
    response = curator_client.get(CHANGELIST + "?q=downsamples")
    assert list(response.context["cl"].result_list) == [other_question]


# --- try the scorer -----------------------------------------------------------------------------


def test_the_change_page_offers_try_the_scorer(curator_client, question):
    page = curator_client.get(_change_url(question)).content.decode()
    assert "Try the scorer" in page
    assert reverse("admin:interviews_question_try_scorer", args=[question.pk]) in page


def test_try_the_scorer_scores_against_unsaved_references(curator_client, question):
    url = reverse("admin:interviews_question_try_scorer", args=[question.pk])
    answer = "Pooling summarises neighbourhoods with a max."
    saved = curator_client.post(url, _form_data(question, try_answer=answer))
    data = _form_data(question, try_answer=answer)
    data["references-0-text"] = answer
    unsaved = curator_client.post(url, data)
    assert saved.context["result"].score < unsaved.context["result"].score
    assert 'data-testid="try-score"' in unsaved.content.decode()
    assert question.references.get().text != answer  # nothing was saved


def test_try_the_scorer_shows_key_points_as_posted(curator_client, question):
    data = _form_data(question, try_answer="Use dropout.")
    data |= {"key_points-TOTAL_FORMS": 5, "key_points-4-label": "Dropout", "key_points-4-phrasings": "dropout"}
    data |= {"key_points-4-position": 9}
    result = curator_client.post(reverse("admin:interviews_question_try_scorer", args=[question.pk]), data)
    labels = {kp.label: kp.covered for kp in result.context["result"].explanation.key_points}
    assert labels["Dropout"] is True and len(labels) == 5


def test_try_the_scorer_asks_for_an_answer(curator_client, question):
    response = curator_client.post(
        reverse("admin:interviews_question_try_scorer", args=[question.pk]), _form_data(question)
    )
    assert "Type a sample answer first." in response.content.decode()


def test_try_the_scorer_is_for_curators_only(candidate_client, question):
    response = candidate_client.post(
        reverse("admin:interviews_question_try_scorer", args=[question.pk]), _form_data(question, try_answer="x")
    )
    assert response.status_code == 302


# --- disagreements ------------------------------------------------------------------------------


def test_disagreements_list_the_contested_attempts(curator_client, candidate, question):
    _contest(question, candidate, answer="Gradients fade backwards.")
    page = curator_client.get(reverse("admin:interviews_question_disagreements", args=[question.pk]))
    assert "Gradients fade backwards." in page.content.decode()


def test_one_click_accepts_the_edited_answer_as_a_reference(curator_client, curator, candidate, question):
    attempt = _contest(question, candidate, answer="gradients fade backwards lol")
    url = reverse("admin:interviews_question_disagreements", args=[question.pk])
    data = {"attempt": attempt.pk, "decision": "accept", "text": "Gradients fade as they flow backwards."}
    response = curator_client.post(url, data, follow=True)
    assert list(question.references.values_list("text", flat=True))[-1] == "Gradients fade as they flow backwards."
    assert "Accepted as reference" in response.content.decode()
    assert LogEntry.objects.filter(user=curator, object_id=str(question.pk)).exists()


def test_an_attempt_on_another_question_cannot_be_accepted_here(curator_client, candidate, question, other_question):
    attempt = _contest(other_question, candidate)
    url = reverse("admin:interviews_question_disagreements", args=[question.pk])
    response = curator_client.post(url, {"attempt": attempt.pk, "decision": "accept", "text": "x"})
    assert response.status_code == 404
    assert question.references.count() == 1


# --- flags queue --------------------------------------------------------------------------------


def test_the_flag_queue_shows_open_flags_and_resolving_closes_them(curator_client, curator, candidate, question):
    open_flag = curation.flag_create(user=candidate, question=question, reason=FlagReason.TYPO, comment="tpyo")
    done = Flag.objects.create(user=candidate, question=question, reason=FlagReason.UNCLEAR, status="resolved")
    queue = curator_client.get(reverse("admin:interviews_flag_changelist"))
    assert list(queue.context["cl"].result_list) == [open_flag]
    assert done not in queue.context["cl"].result_list
    curator_client.post(
        reverse("admin:interviews_flag_changelist"), {"action": "resolve_selected", "_selected_action": [open_flag.pk]}
    )
    open_flag.refresh_from_db()
    assert open_flag.status == FlagStatus.RESOLVED and open_flag.resolved_by == curator
    assert not curator_client.get(reverse("admin:interviews_flag_changelist")).context["cl"].result_list


def test_a_flag_is_resolved_with_a_note_from_its_page(curator_client, curator, candidate, question):
    flag = curation.flag_create(user=candidate, question=question, reason=FlagReason.TYPO)
    url = reverse("admin:interviews_flag_change", args=[flag.pk])
    assert curator_client.get(url).status_code == 200
    curator_client.post(url, {"status": "dismissed", "resolution_note": "Not a typo."})
    flag.refresh_from_db()
    assert (flag.status, flag.resolution_note, flag.resolved_by) == ("dismissed", "Not a typo.", curator)
    assert LogEntry.objects.filter(object_id=str(flag.pk)).count() == 1


def test_the_question_list_links_to_its_open_flags(curator_client, candidate, question):
    curation.flag_create(user=candidate, question=question, reason=FlagReason.TYPO)
    response = curator_client.get(reverse("admin:interviews_flag_changelist") + f"?question__id__exact={question.pk}")
    assert response.status_code == 200 and len(response.context["cl"].result_list) == 1


# --- import -------------------------------------------------------------------------------------


def _bank_file(questions: list[dict], name: str = "bank.json") -> SimpleUploadedFile:
    data = {"format": "mlprep-bank", "version": 1, "topics": [], "questions": questions}
    return SimpleUploadedFile(name, json.dumps(data, indent=2).encode())


def _question_json(slug: str, topic: str, **extra) -> dict:
    return {"slug": slug, "topic": topic, "prompt": f"What is {slug}?", "references": ["An answer."]} | extra


def test_an_import_with_an_error_writes_nothing_and_shows_the_line(curator_client, topic):
    upload = _bank_file([_question_json("good-one", topic.slug), _question_json("bad-one", topic.slug, difficulty="x")])
    response = curator_client.post(reverse("admin:interviews_question_import"), {"file": upload})
    page = response.content.decode()
    assert "Nothing was imported" in page
    [problem] = response.context["problems"]
    assert problem.line == 15  # where "bad-one" is declared in the uploaded file
    assert "bank.json:15" in page and "bad-one" in page and "difficulty" in page
    assert not Question.objects.filter(slug__in=["good-one", "bad-one"]).exists()


def test_an_import_shows_a_dry_run_diff_then_writes_on_confirm(curator_client, curator, topic, question):
    upload = _bank_file(
        [_question_json("brand-new", topic.slug), _question_json(question.slug, topic.slug, prompt="Changed?")]
    )
    response = curator_client.post(reverse("admin:interviews_question_import"), {"file": upload})
    report = response.context["report"]
    assert (report.created, report.updated) == (["brand-new"], [question.slug])
    assert not Question.objects.filter(slug="brand-new").exists()  # a dry run

    response = curator_client.post(reverse("admin:interviews_question_import_confirm"), follow=True)
    assert Question.objects.filter(slug="brand-new").exists()
    assert Question.objects.get(pk=question.pk).prompt == "Changed?"
    assert "1 questions were created" in response.content.decode()
    assert LogEntry.objects.filter(user=curator, object_repr="brand-new").exists()


def test_confirming_twice_imports_once(curator_client, topic):
    upload = _bank_file([_question_json("brand-new", topic.slug)])
    curator_client.post(reverse("admin:interviews_question_import"), {"file": upload})
    curator_client.post(reverse("admin:interviews_question_import_confirm"))
    response = curator_client.post(reverse("admin:interviews_question_import_confirm"), follow=True)
    assert "upload expired" in response.content.decode()
    assert LogEntry.objects.filter(object_repr="brand-new").count() == 1


def test_an_unknown_topic_is_reported_by_the_dry_run(curator_client):
    upload = _bank_file([_question_json("orphan", "no-such-topic")])
    response = curator_client.post(reverse("admin:interviews_question_import"), {"file": upload})
    assert "unknown topic" in response.content.decode()
    assert not Topic.objects.exists() or not Question.objects.filter(slug="orphan").exists()


# --- change log ---------------------------------------------------------------------------------


def test_recent_changes_list_service_changes_but_not_account_changes(curator_client, curator, candidate, question):
    curation.questions_unpublish(questions=Question.objects.all(), curator=curator)
    LogEntry.objects.log_actions(curator.pk, [candidate], 2, "Changed email.")
    response = curator_client.get(reverse("admin:admin_logentry_changelist"))
    entries = list(response.context["cl"].result_list)
    assert [e.object_repr for e in entries] == [question.slug]
    assert "Unpublished (bulk action)." in response.content.decode()


def test_the_question_list_links_to_import_and_recent_changes(curator_client):
    page = curator_client.get(CHANGELIST).content.decode()
    assert reverse("admin:interviews_question_import") in page
    assert reverse("admin:admin_logentry_changelist") in page


def test_the_add_page_offers_try_the_scorer_before_the_question_exists(curator_client, topic):
    page = curator_client.get(reverse("admin:interviews_question_add")).content.decode()
    assert reverse("admin:interviews_question_try_scorer_new") in page
    data = {
        "prompt": "What is dropout?",
        "references-TOTAL_FORMS": 1,
        "references-INITIAL_FORMS": 0,
        "references-0-text": "Dropout randomly zeroes activations during training.",
        "references-0-position": 0,
        "key_points-TOTAL_FORMS": 0,
        "key_points-INITIAL_FORMS": 0,
        "try_answer": "Dropout randomly zeroes activations during training.",
    }
    response = curator_client.post(reverse("admin:interviews_question_try_scorer_new"), data)
    assert response.context["result"].score >= 90
    assert not Question.objects.filter(prompt="What is dropout?").exists()


def test_a_malformed_attempt_id_is_a_404(curator_client, question):
    url = reverse("admin:interviews_question_disagreements", args=[question.pk])
    assert curator_client.post(url, {"attempt": "1 OR 1=1", "decision": "accept", "text": "x"}).status_code == 404
