import re
import time

import pytest

from interviews.models import Interview, InterviewStatus
from interviews.services import mock_interviews as svc
from tests.browser.conftest import forget_expected_errors
from tests.conftest import make_question

pytestmark = pytest.mark.django_db(transaction=True)

DRAFT = "Saturating sigmoid units shrink the gradient; ReLU and skip connections keep it flowing."


@pytest.fixture
def bank(topic, question, other_question):
    for i in range(4):
        make_question(
            slug=f"extra-{i}", topic=topic, prompt=f"Extra question {i} about optimisers?",
            references=["Adam keeps running averages of the gradient and its square to adapt step sizes."],
        )


def seconds_left(page) -> int:
    minutes, seconds = re.fullmatch(r"(\d+):(\d\d)", page.locator(".timer").inner_text()).groups()
    return int(minutes) * 60 + int(seconds)


def test_a_draft_and_the_remaining_time_survive_a_reload(logged_in_page, candidate, bank):
    page = logged_in_page
    page.goto("/interviews/")
    page.click("button:has-text('Start 15-minute warm-up')")
    page.wait_for_selector("[role=timer]")
    assert page.evaluate("document.activeElement.name") == "answer"  # focus lands in the answer box
    page.keyboard.type(DRAFT)
    page.wait_for_selector("#draft-status:has-text('Draft saved')")
    before = seconds_left(page)
    page.wait_for_timeout(1200)
    page.reload()
    page.wait_for_selector("[role=timer]")
    assert page.input_value("textarea[name=answer]") == DRAFT
    after = seconds_left(page)
    assert after <= before  # the clock kept running on the server; a reload gave no time back
    assert after > 800


def answer_the_first_question_with_ctrl_enter(page, candidate) -> Interview:
    """A new 3-question interview-mode interview on `page`, its first question answered: the next
    one has come as htmx's fragment."""
    interview = svc.interview_start(user=candidate, count=3, timing="whole", time_limit_seconds=600, mode="interview")
    page.goto(interview.get_absolute_url())
    first_prompt = page.locator("h1.prompt").inner_text()
    page.fill("textarea[name=answer]", DRAFT)
    page.keyboard.press("Control+Enter")
    page.wait_for_function("(p) => document.querySelector('h1.prompt').innerText !== p", arg=first_prompt)
    return interview


def test_ctrl_enter_submits_and_the_next_question_appears(logged_in_page, candidate, bank):
    interview = answer_the_first_question_with_ctrl_enter(logged_in_page, candidate)
    assert logged_in_page.input_value("textarea[name=answer]") == ""
    assert interview.items.filter(state="answered").count() == 1


def test_keystrokes_not_yet_autosaved_are_sent_when_the_page_is_left(logged_in_page, candidate, bank):
    page = logged_in_page
    interview = answer_the_first_question_with_ctrl_enter(page, candidate)  # the stage has no token field now
    second = svc.current_item(interview=Interview.objects.get(pk=interview.pk))
    page.fill("textarea[name=answer]", "Last words, typed just before leaving")
    page.goto("/interviews/")  # before the 800 ms autosave: only the pagehide beacon can save them
    for _ in range(50):
        second.refresh_from_db()
        if second.draft:
            break
        time.sleep(0.1)
    assert second.draft == "Last words, typed just before leaving"


def test_back_to_the_interview_shows_where_it_is_not_the_page_as_first_served(logged_in_page, candidate, bank):
    page = logged_in_page
    interview = answer_the_first_question_with_ctrl_enter(page, candidate)
    current = page.locator("h1.prompt").inner_text()
    page.goto("/interviews/")
    page.go_back()
    page.wait_for_selector("[role=timer]")
    assert page.locator("h1.prompt").inner_text() == current
    assert page.locator(".interview-nav").inner_text().count("Answered") == 1
    assert interview.items.filter(state="answered").count() == 1


def test_when_time_runs_out_the_draft_is_submitted_and_the_report_shows_it(logged_in_page, candidate, bank):
    interview = svc.interview_start(user=candidate, count=2, timing="whole", time_limit_seconds=12, mode="interview")
    page = logged_in_page
    page.goto(interview.get_absolute_url())
    page.fill("textarea[name=answer]", "")
    page.keyboard.type(DRAFT)
    page.wait_for_selector("#draft-status:has-text('Draft saved')")
    page.wait_for_url("**/report/", timeout=25_000)
    assert page.locator("[data-testid=item-answer]").first.text_content().strip() == DRAFT
    interview.refresh_from_db()
    assert interview.status == InterviewStatus.FINISHED
    answered = interview.items.get(state="answered")
    assert answered.attempt.answer == DRAFT and not answered.attempt.late


def test_the_one_minute_warning_is_shown_and_announced(logged_in_page, candidate, bank):
    interview = svc.interview_start(user=candidate, count=1, timing="whole", time_limit_seconds=70, mode="interview")
    page = logged_in_page
    page.goto(interview.get_absolute_url())
    page.wait_for_selector("[data-timer-warning]:not([hidden])", timeout=15_000)
    assert page.locator("[data-timer-announce]").inner_text() == "One minute left."
    assert Interview.objects.get(pk=interview.pk).status == InterviewStatus.IN_PROGRESS


def test_a_skipped_question_is_reopened_from_the_navigation_without_a_reload(logged_in_page, candidate, bank):
    interview = svc.interview_start(user=candidate, count=3, timing="whole", time_limit_seconds=600, mode="interview")
    page = logged_in_page
    page.goto(interview.get_absolute_url())
    first_prompt = page.locator("h1.prompt").inner_text()
    page.click("button:has-text('Skip for now')")
    page.wait_for_function("(p) => document.querySelector('h1.prompt').innerText !== p", arg=first_prompt)
    page.evaluate("window.stillThisPage = true")  # gone if the click reloaded the page instead of swapping
    page.click(".interview-nav button:has-text('Question 1')")
    page.wait_for_function("(p) => document.querySelector('h1.prompt').innerText === p", arg=first_prompt)
    assert page.evaluate("window.stillThisPage") is True
    assert page.locator(".interview-nav li.current").inner_text().startswith("Question 1")
    interview.refresh_from_db()
    assert interview.items.get(position=interview.current_position).question.prompt == first_prompt


def test_a_failed_submission_says_so_and_keeps_the_answer(logged_in_page, candidate, bank, console_problems):
    interview = svc.interview_start(user=candidate, count=3, timing="whole", time_limit_seconds=600, mode="interview")
    page = logged_in_page
    page.goto(interview.get_absolute_url())
    first_prompt = page.locator("h1.prompt").inner_text()
    page.fill("textarea[name=answer]", DRAFT)

    page.route("**/answer/", lambda route: route.abort())  # the connection drops
    page.click("button:has-text('Submit answer')")
    banner = page.locator("#request-error")
    banner.wait_for(state="visible")
    assert "Could not reach the server" in banner.inner_text()
    assert page.input_value("textarea[name=answer]") == DRAFT
    assert interview.items.filter(state="answered").count() == 0

    page.unroute("**/answer/")  # back online: the same click goes through and the message goes away
    page.click("button:has-text('Submit answer')")
    page.wait_for_function("(p) => document.querySelector('h1.prompt').innerText !== p", arg=first_prompt)
    assert banner.is_hidden()
    assert interview.items.filter(state="answered").count() == 1
    forget_expected_errors(console_problems)


def test_logged_out_meanwhile_the_answer_stays_and_the_page_says_why(logged_in_page, candidate, bank, console_problems):
    interview = svc.interview_start(user=candidate, count=3, timing="whole", time_limit_seconds=600, mode="interview")
    page = logged_in_page
    page.goto(interview.get_absolute_url())
    page.fill("textarea[name=answer]", DRAFT)
    page.context.clear_cookies(name="sessionid")  # the session ended, or another tab logged out
    page.click("button:has-text('Submit answer')")
    banner = page.locator("#request-error")
    banner.wait_for(state="visible")
    assert "You are logged out" in banner.inner_text()
    assert banner.locator("a").get_attribute("href") == "/accounts/login/"
    assert page.input_value("textarea[name=answer]") == DRAFT  # no log-in form swapped over it
    assert page.locator("h1.prompt").count() == 1
    forget_expected_errors(console_problems)


def test_on_a_phone_the_question_comes_before_the_list_of_questions(logged_in_page, candidate, bank):
    interview = svc.interview_start(user=candidate, count=6, timing="whole", time_limit_seconds=600, mode="interview")
    page = logged_in_page
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(interview.get_absolute_url())
    prompt, nav = page.locator("h1.prompt").bounding_box(), page.locator(".interview-nav").bounding_box()
    assert prompt["y"] + prompt["height"] < 844 and prompt["y"] < nav["y"]  # in view without scrolling
    brand, menu = page.locator("header .brand").bounding_box(), page.locator("header nav").bounding_box()
    assert brand["y"] + brand["height"] <= menu["y"] or brand["x"] + brand["width"] <= menu["x"]  # no overlap
