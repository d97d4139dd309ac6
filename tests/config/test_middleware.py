import pytest
from csp import middleware as csp_middleware
from csp.constants import NONCE
from csp.decorators import csp, csp_exempt, csp_replace, csp_update
from csp.exceptions import CSPNonceError
from django.http import HttpResponse
from django.urls import reverse

from config.middleware import CSPMiddleware
from interviews.models import Attempt
from interviews.services import mock_interviews as svc

pytestmark = pytest.mark.django_db


@pytest.fixture
def answer_url(candidate, question, other_question):
    interview = svc.interview_start(user=candidate, count=2, timing="whole", time_limit_seconds=600, mode="interview")
    return reverse("interviews:item_answer", kwargs={"interview_uuid": interview.uuid, "position": 0})


def test_an_htmx_request_without_a_login_gets_a_401_not_the_log_in_page(client, answer_url):
    response = client.post(answer_url, {"answer": "Dropout zeroes units."}, headers={"HX-Request": "true"})
    assert response.status_code == 401
    assert "Log in again" in response.content.decode()
    assert not Attempt.objects.exists()


def test_a_plain_request_without_a_login_is_still_sent_to_log_in(client, answer_url):
    response = client.post(answer_url, {"answer": "Dropout zeroes units."})
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_other_htmx_redirects_are_left_alone(client, candidate, answer_url):
    client.force_login(candidate)
    response = client.get(reverse("accounts:logout"), headers={"HX-Request": "true"})  # GET: refused, 405
    assert response.status_code == 405
    response = client.post(reverse("accounts:logout"), headers={"HX-Request": "true"})
    assert response.status_code == 302 and response.url == reverse("accounts:login")  # logging out: no 401


@pytest.mark.parametrize(
    "decorate",
    [
        lambda view: view,
        csp_update({"img-src": ["https://images.example"]}),
        csp_replace({"script-src": ["'self'", "https://cdn.example"]}),
        csp_exempt(),
        csp({"default-src": ["'self'"], "img-src": ["data:"]}, REPORT_ONLY=True),
    ],
    ids=["settings", "update", "replace", "exempt", "own-report-only"],
)
@pytest.mark.parametrize("path", ["/interviews/", "/skipped/page"])
@pytest.mark.parametrize(
    "report_only", [None, {"DIRECTIVES": {"default-src": ["'none'"]}, "EXCLUDE_URL_PREFIXES": ["/skipped"]}]
)
def test_the_csp_headers_are_django_csps_own(rf, settings, decorate, path, report_only):
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = report_only  # the cache is cleared on a change
    view = decorate(lambda request: HttpResponse("ok"))
    ours, theirs = CSPMiddleware(view), csp_middleware.CSPMiddleware(view)
    for _ in range(2):  # the second time from the built headers
        got, expected = ours(rf.get(path)), theirs(rf.get(path))
        for header in ("Content-Security-Policy", "Content-Security-Policy-Report-Only"):
            assert got.get(header) == expected.get(header)
    assert "script-src 'self'" in ours(rf.get("/")).get("Content-Security-Policy", "script-src 'self'")


def test_a_nonce_or_a_changed_setting_gets_a_policy_built_for_it(rf, settings):
    def view(request):
        return HttpResponse(str(request.csp_nonce))

    middleware = CSPMiddleware(view)
    response = middleware(rf.get("/"))
    assert f"'nonce-{response.content.decode()}'" not in response["Content-Security-Policy"]  # none in the settings
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"script-src": ["'self'", NONCE]}}
    response = middleware(rf.get("/"))
    assert f"script-src 'self' 'nonce-{response.content.decode()}'" in response["Content-Security-Policy"]
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'none'"]}}
    assert CSPMiddleware(lambda r: HttpResponse())(rf.get("/"))["Content-Security-Policy"] == "default-src 'none'"


def test_a_nonce_asked_for_after_the_headers_raises(rf):
    request = rf.get("/")
    CSPMiddleware(lambda r: HttpResponse())(request)
    with pytest.raises(CSPNonceError):
        str(request.csp_nonce)
