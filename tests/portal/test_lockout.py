"""Sign-in lockout on the worker site and the CMS, the managers' unlock, and no e-mailed reset (issue 11)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.urls import reverse
from wagtail.models import ModelLogEntry

from portal import lockout
from portal.choices import Role
from tests.factories import TeamFactory, UserFactory

pytestmark = [
    pytest.mark.django_db,
    # The test settings switch the lockout off for every other test.
    pytest.mark.usefixtures("lockout_on"),
]

PASSWORD = "pass-word-123"  # tests.factories.UserFactory
LOCKED_TEXT = "You have entered the wrong password too many times"

SIGN_IN_PAGES = {"worker site": "/login/", "CMS": "/cms/login/"}


@pytest.fixture
def lockout_on(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 5
    settings.AXES_COOLOFF_TIME = timedelta(minutes=15)


@pytest.fixture
def team():
    return TeamFactory(name="Lockout team")


@pytest.fixture
def worker(team):
    return UserFactory(username="locked-sw", role=Role.SOCIAL_WORKER, team=team)


@pytest.fixture
def manager(team):
    manager = UserFactory(username="unlocking-tm", role=Role.TEAM_MANAGER, team=team)
    team.manager = manager
    team.save()
    return manager


def _sign_in(client, url: str, username: str, password: str):
    return client.post(url, {"username": username, "password": password})


def _lock(client, url: str, username: str) -> None:
    for _ in range(5):
        response = _sign_in(client, url, username, "wrong-password")
    assert response.status_code == 429


@pytest.mark.parametrize("site", SIGN_IN_PAGES)
def test_five_wrong_passwords_then_the_right_one_is_refused_with_a_plain_message(client, worker, site):
    url = SIGN_IN_PAGES[site]
    for attempt in range(4):
        response = _sign_in(client, url, worker.username, "wrong-password")
        assert response.status_code == 200, f"attempt {attempt + 1} was not an ordinary refusal"
        assert LOCKED_TEXT not in response.content.decode()
    response = _sign_in(client, url, worker.username, "wrong-password")
    assert response.status_code == 429
    assert LOCKED_TEXT in response.content.decode()

    response = _sign_in(client, url, worker.username, PASSWORD)
    assert response.status_code == 429
    html = response.content.decode()
    assert LOCKED_TEXT in html and "locked for 15 minutes" in html
    assert "_auth_user_id" not in client.session
    assert worker.username in html  # the username typed stays in the form
    assert "AXES" not in html and PASSWORD not in html


def test_a_lockout_on_the_worker_site_also_locks_the_cms(client, worker):
    _lock(client, "/login/", worker.username)
    response = _sign_in(client, "/cms/login/", worker.username, PASSWORD)
    assert response.status_code == 429 and "_auth_user_id" not in client.session


def test_a_lockout_ends_after_the_cool_off(client, worker):
    _lock(client, "/login/", worker.username)
    last_try = AccessAttempt.objects.get(username=worker.username).attempt_time
    AccessAttempt.objects.update(attempt_time=last_try - timedelta(minutes=16))
    response = _sign_in(client, "/login/", worker.username, PASSWORD)
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(worker.pk)


def test_fewer_failures_than_the_limit_are_forgotten_after_a_good_sign_in(client, worker):
    for _ in range(4):
        _sign_in(client, "/login/", worker.username, "wrong-password")
    assert _sign_in(client, "/login/", worker.username, PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        assert _sign_in(client, "/login/", worker.username, "wrong-password").status_code == 200


def test_a_manager_sees_and_unlocks_a_locked_person_in_their_team(client, worker, manager):
    _lock(client, "/login/", worker.username)
    client.force_login(manager)
    page = client.get(reverse("locked_accounts"))
    assert page.status_code == 200
    assert [account.user for account in page.context["accounts"]] == [worker]

    response = client.post(reverse("account_unlock", args=[worker.pk]), follow=True)
    assert "can sign in again" in response.content.decode()
    assert list(response.context["accounts"]) == []
    entry = ModelLogEntry.objects.get(action="wagtail.unlock", object_id=str(worker.pk))
    assert entry.user == manager and entry.data == {"reason": "sign-in lockout"}

    client.logout()
    assert _sign_in(client, "/login/", worker.username, PASSWORD).status_code == 302


def test_a_manager_cannot_unlock_someone_in_another_team(client, manager):
    stranger = UserFactory(username="other-team-sw", team=TeamFactory(name="Another team"))
    _lock(client, "/login/", stranger.username)
    client.force_login(manager)
    assert client.get(reverse("locked_accounts")).context["accounts"] == []
    assert client.post(reverse("account_unlock", args=[stranger.pk])).status_code == 404
    assert AccessAttempt.objects.filter(username=stranger.username).exists()
    with pytest.raises(lockout.PermissionDenied):
        lockout.user_unlock(user=stranger, by=manager)


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.AUDITOR, Role.BUYER])
def test_other_roles_cannot_unlock_anyone(client, worker, role):
    _lock(client, "/login/", worker.username)
    other = UserFactory(role=role, team=worker.team)
    client.force_login(other)
    assert client.get(reverse("locked_accounts")).status_code == 403
    assert client.post(reverse("account_unlock", args=[worker.pk])).status_code in {403, 404}
    assert AccessAttempt.objects.filter(username=worker.username).exists()
    with pytest.raises(lockout.PermissionDenied):
        lockout.user_unlock(user=worker, by=other)


def test_the_server_command_unlocks_a_username(client, worker):
    _lock(client, "/login/", worker.username)
    call_command("axes_reset_username", worker.username, stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert _sign_in(client, "/login/", worker.username, PASSWORD).status_code == 302


@pytest.mark.parametrize("signed_in_as", [None, Role.SOCIAL_WORKER, Role.POLICY_OWNER])
def test_nobody_can_ask_the_cms_for_a_password_reset_link(client, signed_in_as):
    """No e-mailed reset exists, so none can be asked for over and over (settings: no reset flow)."""
    if signed_in_as:
        client.force_login(UserFactory(role=signed_in_as))
    assert client.get("/cms/password_reset/").status_code == 404
    response = client.post("/cms/password_reset/", {"email": "locked-sw@example.org"})
    assert response.status_code == 404
    client.logout()
    assert "password_reset" not in client.get("/cms/login/").content.decode()
