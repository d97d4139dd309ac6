"""Walks every URL pattern: per-user objects are 404 for anyone else; staff pages are staff-only.

A new URL whose parameters the tables below don't know makes these tests fail, so isolation is
decided (and tested) for every view that is ever added.
"""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from interviews.models import Attempt
from interviews.services import mock_interviews as svc

pytestmark = pytest.mark.django_db


def walk(patterns=None, namespace=""):
    """Yield (namespaced name, parameter names) for every URL pattern."""
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or ""
            yield from walk(entry.url_patterns, f"{namespace}{ns}:" if ns else namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            params = tuple(sorted(entry.pattern.regex.groupindex))
            yield f"{namespace}{entry.name}", params, entry.default_args


# Parameters that name an object belonging to one user.
PER_USER_PARAMS = {("pk",), ("interview_uuid",), ("interview_uuid", "position")}
# Parameters that name shared objects (the bank): visible to every member, owned by nobody.
SHARED_PARAMS = {("slug",)}
# A signed, expiring token that is itself the permission (the emailed password-reset link).
TOKEN_PARAMS = {("token", "uidb64")}


@pytest.fixture
def owned(candidate, question, other_question):
    """One of each per-user object, all owned by the candidate."""
    attempt = Attempt.objects.create(
        user=candidate, question=question, answer="mine", score=50, band="partial", scorer_version="t"
    )
    interview = svc.interview_start(user=candidate, count=2, timing="whole", time_limit_seconds=600, mode="interview")
    return {
        ("pk",): {"pk": attempt.pk},
        ("interview_uuid",): {"interview_uuid": interview.uuid},
        ("interview_uuid", "position"): {"interview_uuid": interview.uuid, "position": 0},
    }


def site_patterns():
    return [(name, params, defaults) for name, params, defaults in walk() if not name.startswith("admin:")]


def test_every_url_parameter_is_classified():
    known = PER_USER_PARAMS | SHARED_PARAMS | TOKEN_PARAMS
    unknown = {(name, params) for name, params, _ in site_patterns() if params and params not in known}
    assert unknown == set(), "decide whether these URLs name per-user objects and add them to the tables"


def test_another_users_objects_are_404_on_every_per_user_url(client, stranger, owned):
    client.force_login(stranger)
    checked = []
    for name, params, _defaults in site_patterns():
        if params not in PER_USER_PARAMS:
            continue
        url = reverse(name, kwargs=owned[params])
        get, post = client.get(url).status_code, client.post(url, {"answer": "x", "note": "x"}).status_code
        # 405 means the method is refused before any lookup; the other method must be a 404.
        assert {get, post} <= {404, 405} and 404 in {get, post}, (name, get, post)
        checked.append(name)
    assert len(checked) >= 10
    interview_item = owned[("interview_uuid", "position")]
    assert not Attempt.objects.filter(user=stranger).exists()
    assert svc.Interview.objects.get(uuid=interview_item["interview_uuid"]).status == "in_progress"


def test_the_owner_reaches_every_per_user_url(client, candidate, owned):
    client.force_login(candidate)
    for name, params, _defaults in site_patterns():
        if params in PER_USER_PARAMS and name in {"interviews:attempt_detail", "interviews:interview_detail"}:
            assert client.get(reverse(name, kwargs=owned[params])).status_code == 200


def test_anonymous_users_are_sent_to_log_in_from_every_member_page(client, owned):
    public = {"interviews:home", "accounts:signup", "accounts:login", "accounts:logout", "livez", "healthz"}
    public |= {f"accounts:password_reset{step}" for step in ("", "_done", "_confirm", "_complete")}
    for name, params, _defaults in site_patterns():
        if name in public:
            continue
        kwargs = owned.get(params, {"slug": "vanishing-gradients"} if params == ("slug",) else {})
        response = client.get(reverse(name, kwargs=kwargs))
        assert response.status_code in (302, 405), name
        if response.status_code == 302:
            assert response.url.startswith(reverse("accounts:login")), name


def admin_urls(question):
    urls = []
    for name, params, _ in walk():
        if not name.startswith("admin:") or name in {"admin:login", "admin:logout"}:
            continue
        kwargs = {}
        for param in params:
            kwargs[param] = {"object_id": str(question.pk), "app_label": "interviews"}.get(param)
        if None in kwargs.values():
            continue  # e.g. view_on_site's content type: covered by the admin's own wrapper
        urls.append((name, reverse(name, kwargs=kwargs)))
    return urls


@pytest.mark.parametrize("who", ["anonymous", "candidate"])
def test_staff_pages_are_closed_to_candidates_and_anonymous_users(client, candidate, question, who):
    if who == "candidate":
        client.force_login(candidate)
    urls = admin_urls(question)
    assert len(urls) > 20
    for name, url in urls:
        response = client.get(url)
        assert response.status_code == 302 and "/admin/login/" in response.url, (name, response.status_code)


def test_curators_reach_the_admin(client, curator, question):
    curator.is_superuser = True
    curator.save()
    client.force_login(curator)
    assert client.get(reverse("admin:interviews_question_change", args=[question.pk])).status_code == 200
