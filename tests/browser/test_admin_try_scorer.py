import pytest

from interviews.services.curation import curator_group_ensure

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def curator_page(page, curator, password):
    curator.groups.add(curator_group_ensure())
    page.goto("/admin/login/")
    page.fill("input[name=username]", curator.username)
    page.fill("input[name=password]", password)
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")
    return page


def test_a_curator_tries_the_scorer_on_a_questions_admin_page(curator_page, question):
    page = curator_page
    page.goto(f"/admin/interviews/question/{question.pk}/change/")
    page.evaluate("window.__marker = 'same page'")
    page.get_by_label("Sample answer").fill(
        "Gradients shrink as they are multiplied back through sigmoid layers; ReLU and residual connections help."
    )
    page.get_by_role("button", name="Try the scorer").click()
    score = page.locator("[data-testid=try-score]")
    score.wait_for()
    assert 0 <= int(score.inner_text()) <= 100
    assert "Covered" in page.locator("[data-testid=try-scorer-result]").inner_text()
    assert page.evaluate("window.__marker") == "same page"  # scored in place, the form is not submitted


def test_try_the_scorer_uses_an_unsaved_reference(curator_page, question):
    page = curator_page
    answer = "Pooling layers summarise neighbourhoods with a maximum."
    page.goto(f"/admin/interviews/question/{question.pk}/change/")
    page.get_by_label("Sample answer").fill(answer)
    page.get_by_role("button", name="Try the scorer").click()
    before = int(page.locator("[data-testid=try-score]").inner_text())
    page.fill("textarea[name='references-0-text']", answer)  # edited, not saved
    page.get_by_role("button", name="Try the scorer").click()
    page.locator("[data-testid=try-scorer-result]:has-text('rule: matches a reference answer')").wait_for()
    assert int(page.locator("[data-testid=try-score]").inner_text()) > before
    assert question.references.get().text != answer
