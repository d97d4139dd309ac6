"""axe-core (the engine behind browsers' accessibility audits) on every kind of page a candidate
sees, in the states that matter: forms with errors, feedback swapped in, a question against the
clock, the report. Any WCAG 2 A or AA violation fails, whatever its impact."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from interviews.services import mock_interviews as svc
from tests.factories import make_attempt

pytestmark = pytest.mark.django_db(transaction=True)

WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def violations(page) -> list[str]:
    results = Axe().run(page, options=WCAG_AA).response["violations"]
    return [
        f"{page.url}: {v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results
    ]


def test_public_pages(page):
    found = []
    for url in ["/", "/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"]:
        page.goto(url)
        found += violations(page)
    page.goto("/accounts/signup/")
    page.click("form button[type=submit]")  # every field missing: the errors are in the page
    page.wait_for_load_state()
    found += violations(page)
    assert found == []


def test_a_candidates_pages(logged_in_page, candidate, question, other_question):
    page = logged_in_page
    make_attempt(user=candidate, question=other_question, score=55, key_points=[("Residual connection", False)])
    found = []
    for url in ["/questions/", "/history/", "/progress/", "/review/", "/interviews/", "/accounts/profile/",
                "/accounts/my-data/"]:
        page.goto(url)
        found += violations(page)
    page.goto(question.get_absolute_url())
    page.fill("textarea[name=answer]", "ReLU and residual connections keep gradients from vanishing.")
    page.click("button:has-text('Submit answer')")
    page.locator("[data-testid=score]").wait_for()
    found += violations(page)  # the feedback, swapped in
    assert found == []


def test_a_mock_interview_and_its_report(logged_in_page, candidate, question, other_question):
    interview = svc.interview_start(user=candidate, count=2, timing="whole", time_limit_seconds=600, mode="interview")
    page = logged_in_page
    page.goto(interview.get_absolute_url())
    found = violations(page)
    page.fill("textarea[name=answer]", "Skip connections keep the gradient flowing.")
    page.click("button:has-text('Submit answer')")
    page.wait_for_selector("li.state-answered")
    found += violations(page)  # the next question, swapped in
    page.click("button:has-text('Submit answer')")  # an empty answer to the last one ends the interview
    page.wait_for_url("**/report/")
    found += violations(page)
    assert found == []


def test_pages_reflow_to_a_320_pixel_screen(logged_in_page, candidate, question, other_question):
    """WCAG 2.1 1.4.10 (Reflow): no page scrolls sideways at 320 CSS pixels."""
    attempts = [make_attempt(user=candidate, question=q, score=s, key_points=[("Residual connection", False)])
                for q, s in [(question, 40), (other_question, 80)]]
    interview = svc.interview_start(user=candidate, count=2, timing="whole", time_limit_seconds=600, mode="interview")
    finished = svc.interview_start(user=candidate, count=2, timing="whole", time_limit_seconds=600, mode="interview")
    svc.interview_finish(interview=finished)
    page = logged_in_page
    page.set_viewport_size({"width": 320, "height": 700})
    too_wide = {}
    for url in ["/questions/", question.get_absolute_url(), "/history/", attempts[0].get_absolute_url(), "/progress/",
                "/review/", "/interviews/", interview.get_absolute_url(), f"{finished.get_absolute_url()}report/",
                "/accounts/profile/", "/accounts/my-data/"]:
        page.goto(url)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 320:
            too_wide[url] = width
    assert too_wide == {}
