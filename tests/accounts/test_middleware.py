from datetime import UTC, datetime
from unittest import mock

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.db import SessionStore
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from accounts.middleware import UserTimeZoneMiddleware
from tests.factories import make_attempt

pytestmark = pytest.mark.django_db


def zone_seen_by_the_view(user, *, session_key: str | None = "a-session"):
    seen = []
    middleware = UserTimeZoneMiddleware(lambda request: seen.append(timezone.get_current_timezone_name()))
    request = RequestFactory().get("/")
    request.session = SessionStore(session_key=session_key)
    request.user = user
    middleware(request)
    return seen[0]


def test_a_signed_in_users_requests_run_in_their_time_zone_and_no_later_one(candidate):
    candidate.time_zone = "Pacific/Auckland"
    assert zone_seen_by_the_view(candidate) == "Pacific/Auckland"
    assert timezone.get_current_timezone_name() == "UTC"  # deactivated once the response is made


def test_no_time_zone_or_an_unknown_one_is_the_sites(candidate):
    assert zone_seen_by_the_view(candidate) == "UTC"
    candidate.time_zone = "Mars/Olympus_Mons"
    assert zone_seen_by_the_view(candidate) == "UTC"
    assert zone_seen_by_the_view(AnonymousUser()) == "UTC"


def test_a_request_without_a_session_never_loads_the_user(django_assert_num_queries):
    request = RequestFactory().get("/livez")
    request.session = SessionStore()  # no session cookie came with it
    request.user = SimpleLazyObject(lambda: pytest.fail("the user was read"))
    with django_assert_num_queries(0):
        assert UserTimeZoneMiddleware(lambda request: "ok")(request) == "ok"


def test_the_progress_days_are_the_users(candidate_client, candidate, question):
    # 11:30 UTC on 20 November is 00:30 on 21 November in Auckland (UTC+13).
    make_attempt(user=candidate, question=question, score=70, created=datetime(2026, 11, 20, 11, 30, tzinfo=UTC))
    candidate.time_zone = "Pacific/Auckland"
    candidate.save()
    with mock.patch("django.utils.timezone.now", return_value=datetime(2026, 11, 22, 0, 0, tzinfo=UTC)):
        activity = dict(candidate_client.get(reverse("interviews:progress")).context["progress"].activity)
    assert activity[datetime(2026, 11, 21).date()] == 1
    assert activity.get(datetime(2026, 11, 20).date(), 0) == 0
