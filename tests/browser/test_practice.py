import pytest

from accounts.models import User
from interviews.models import Attempt

pytestmark = pytest.mark.django_db(transaction=True)


def test_answering_a_question_swaps_in_the_feedback_without_a_reload(logged_in_page, candidate, question):
    page = logged_in_page
    page.goto(question.get_absolute_url())
    page.evaluate("window.__marker = 'same page'")
    page.fill("textarea[name=answer]", "ReLU and residual connections stop gradients shrinking through sigmoid layers.")
    page.click("button:has-text('Submit answer')")
    score = page.locator("[data-testid=score]")
    score.wait_for()
    attempt = Attempt.objects.get(user=candidate)
    assert score.inner_text() == str(attempt.score)
    assert page.evaluate("window.__marker") == "same page"  # no full page load happened


def test_an_empty_answer_shows_the_error_in_the_page(logged_in_page, question):
    page = logged_in_page
    page.goto(question.get_absolute_url())
    page.click("button:has-text('Submit answer')")
    page.get_by_role("alert").wait_for()
    assert "empty answer" in page.get_by_role("alert").inner_text()
    assert Attempt.objects.count() == 0


def test_sign_up_records_the_browsers_time_zone(browser, live_server):
    context = browser.new_context(base_url=live_server.url, timezone_id="Asia/Tokyo")
    page = context.new_page()
    page.goto("/accounts/signup/")
    page.fill("input[name=username]", "kenji")
    page.fill("input[name=email]", "kenji@example.com")
    page.fill("input[name=password1]", "a-long-pass-phrase-9")
    page.fill("input[name=password2]", "a-long-pass-phrase-9")
    page.click("form button[type=submit]")
    page.wait_for_url("**/questions/")
    context.close()
    assert User.objects.get(username="kenji").time_zone == "Asia/Tokyo"


def test_save_for_later_swaps_the_button_in_place(logged_in_page, candidate, question):
    from interviews.models import SavedQuestion

    page = logged_in_page
    page.goto(question.get_absolute_url())
    page.fill("textarea[name=answer]", "half an answer")
    page.click("button:has-text('Save for later')")
    page.locator("button:has-text('★ Saved for later')").wait_for()
    assert SavedQuestion.objects.filter(user=candidate, question=question).exists()
    assert page.input_value("textarea[name=answer]") == "half an answer"  # only the button was swapped
    page.click("button:has-text('★ Saved for later')")
    page.locator("button:has-text('☆ Save for later')").wait_for()
    assert not SavedQuestion.objects.exists()
