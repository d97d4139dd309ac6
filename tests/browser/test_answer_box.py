"""static/js/answer_box.js: practice and review answers kept in the browser until they are sent."""

import time

import pytest

from interviews.models import Attempt
from tests.browser.conftest import forget_expected_errors

pytestmark = pytest.mark.django_db(transaction=True)

TEXT = "Residual connections give the gradient a short path, so very deep networks still train."
DRAFTS = "Object.keys(localStorage).filter(k => k.startsWith('mlprep:draft:'))"


def _type(page, text: str = TEXT) -> None:
    """Type into the answer box and wait until the draft is stored (it is saved after a pause)."""
    page.fill("textarea[name=answer]", text)
    page.wait_for_function(f"() => {DRAFTS}.length > 0")


def _log_in(page, user, password: str) -> None:
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", password)
    page.click("form button[type=submit]:has-text('Log in')")


def test_a_practice_answer_survives_a_reload_and_goes_once_it_is_accepted(logged_in_page, candidate, question):
    page = logged_in_page
    page.goto(question.get_absolute_url())
    _type(page)
    assert page.evaluate(f"() => {DRAFTS}") == [f"mlprep:draft:{candidate.pk}:practice:{question.slug}"]

    page.reload()
    assert page.input_value("textarea[name=answer]") == TEXT
    assert "Your unsent answer from" in page.locator("[data-draft-note]").inner_text()

    page.click("button:has-text('Submit answer')")
    page.locator("[data-testid=score]").wait_for()
    assert Attempt.objects.get(user=candidate).answer == TEXT
    assert page.evaluate(f"() => {DRAFTS}") == []
    page.reload()
    assert page.input_value("textarea[name=answer]") == ""
    assert page.locator("[data-draft-note]").count() == 0


def test_an_answer_sent_back_with_an_error_keeps_its_draft(logged_in_page, question, settings):
    settings.ANSWER_MAX_CHARS = 40  # the live server runs in this process
    page = logged_in_page
    page.goto(question.get_absolute_url())
    _type(page)
    page.click("button:has-text('Submit answer')")
    page.get_by_role("alert").wait_for()  # too long: the form comes back with the text and the error
    assert page.input_value("textarea[name=answer]") == TEXT
    assert page.evaluate(f"() => {DRAFTS}.map(k => JSON.parse(localStorage.getItem(k)).text)") == [TEXT]
    assert Attempt.objects.count() == 0


def test_a_blank_box_stores_no_draft(logged_in_page, question):
    page = logged_in_page
    page.goto(question.get_absolute_url())
    _type(page)
    page.fill("textarea[name=answer]", "  \n ")  # cleared again: the draft goes with the text
    page.wait_for_function(f"() => {DRAFTS}.length === 0")
    page.reload()
    assert page.input_value("textarea[name=answer]") == ""


def test_the_answer_comes_back_after_the_session_ended_and_only_for_its_account(
    logged_in_page, candidate, stranger, password, question, console_problems
):
    page = logged_in_page
    page.goto(question.get_absolute_url())
    _type(page)
    page.context.clear_cookies(name="sessionid")  # the session ended (or another tab logged out)

    page.click("button:has-text('Submit answer')")
    banner = page.locator("#request-error")
    banner.wait_for()
    assert "Your answer is kept in this browser: log in again" in banner.inner_text()
    assert Attempt.objects.count() == 0
    forget_expected_errors(console_problems)

    page.reload()  # to the log-in page, which comes back here
    _log_in(page, stranger, password)
    page.wait_for_url(f"**{question.get_absolute_url()}")
    assert page.input_value("textarea[name=answer]") == ""  # another account on this browser sees nothing

    page.context.clear_cookies(name="sessionid")
    page.reload()
    _log_in(page, candidate, password)
    page.wait_for_url(f"**{question.get_absolute_url()}")
    assert page.input_value("textarea[name=answer]") == TEXT
    page.click("button:has-text('Submit answer')")
    page.locator("[data-testid=score]").wait_for()
    assert Attempt.objects.get().user == candidate


def test_logging_out_clears_the_drafts(logged_in_page, candidate, password, question):
    page = logged_in_page
    page.goto(question.get_absolute_url())
    _type(page)
    page.click("button:has-text('Log out')")
    page.wait_for_load_state()
    assert page.evaluate(f"() => {DRAFTS}") == []
    page.goto(question.get_absolute_url())
    _log_in(page, candidate, password)
    page.wait_for_url(f"**{question.get_absolute_url()}")
    assert page.input_value("textarea[name=answer]") == ""


def test_a_restored_answer_can_be_discarded(logged_in_page, question):
    page = logged_in_page
    page.goto(question.get_absolute_url())
    _type(page)
    page.reload()
    page.click("[data-draft-note] button:has-text('Discard it')")
    assert page.input_value("textarea[name=answer]") == ""
    assert page.evaluate(f"() => {DRAFTS}") == []
    assert page.locator("[data-draft-note]").count() == 0


def test_drafts_older_than_30_days_are_dropped(logged_in_page, candidate, question):
    page = logged_in_page
    page.goto(question.get_absolute_url())
    key = f"mlprep:draft:{candidate.pk}:practice:{question.slug}"
    old = int((time.time() - 31 * 24 * 3600) * 1000)
    page.evaluate(
        "([key, at]) => { localStorage.setItem(key, JSON.stringify({text: 'old', at: at}));"
        " localStorage.setItem('mlprep:draft:x', 'not json'); localStorage.setItem('other-site-key', 'kept'); }",
        [key, old],
    )
    page.reload()
    assert page.input_value("textarea[name=answer]") == ""
    assert page.evaluate(f"() => {DRAFTS}") == []
    assert page.evaluate("() => localStorage.getItem('other-site-key')") == "kept"


def test_a_review_answer_survives_a_reload_and_ctrl_enter_sends_it(logged_in_page, candidate, question):
    page = logged_in_page
    page.goto("/review/")
    _type(page)
    assert page.evaluate(f"() => {DRAFTS}") == [f"mlprep:draft:{candidate.pk}:review:{question.slug}"]
    page.reload()
    assert page.input_value("textarea[name=answer]") == TEXT
    page.press("textarea[name=answer]", "Control+Enter")
    page.locator("[data-testid=score]").wait_for()
    assert Attempt.objects.get(user=candidate).mode == "review"
    assert page.evaluate(f"() => {DRAFTS}") == []


def test_the_stopwatch_counts_against_the_suggested_time_and_stops_with_the_answer(logged_in_page, question):
    page = logged_in_page
    page.clock.install()
    page.goto(question.get_absolute_url())  # suggested: 180 s
    clock = page.locator("[data-stopwatch-time]")
    assert page.locator("[data-stopwatch]").is_visible()
    assert clock.inner_text() == "0:00"
    page.clock.run_for(95_000)
    assert clock.inner_text() == "1:35"
    assert page.locator("[data-stopwatch-over]").is_hidden()

    page.clock.run_for(90_000)  # 3:05: past the suggested time, which only says so
    assert clock.inner_text() == "3:05"
    assert "warning" in clock.get_attribute("class")
    assert page.locator("[data-stopwatch-over]").is_visible()

    page.fill("textarea[name=answer]", TEXT)
    page.click("button:has-text('Submit answer')")
    page.locator("[data-testid=time-taken]").wait_for()
    page.clock.run_for(60_000)
    assert clock.inner_text() == "3:05"  # stopped when the feedback came back
    assert page.locator("[data-stopwatch-over]").is_hidden()


def test_a_save_still_pending_when_the_answer_is_accepted_does_not_bring_it_back(logged_in_page, question):
    page = logged_in_page
    page.clock.install()  # the draft is saved 300 ms after the last keystroke: hold that timer
    page.goto(question.get_absolute_url())
    page.fill("textarea[name=answer]", TEXT)
    page.press("textarea[name=answer]", "Control+Enter")  # sent at once, the save still pending
    page.locator("[data-testid=score]").wait_for()
    page.clock.run_for(2_000)  # the pending save's time comes after the answer was accepted
    assert page.evaluate(f"() => {DRAFTS}") == []
