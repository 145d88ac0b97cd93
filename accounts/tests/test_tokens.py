"""Machine clients authenticate with tokens that carry scopes and expire."""

from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from accounts.models import ApiToken
from accounts.tokens import issue

pytestmark = pytest.mark.django_db


def bearer(key):
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_a_token_reads_what_its_scope_and_its_user_allow(client, changsha_staff):
    _token, key = issue(user=changsha_staff, name="市政府门户", scopes=["twinning:read"])
    response = client.get("/api/twinning/partnerships/", **bearer(key))
    assert response.status_code == 200
    assert response.json()["count"] == 13  # Changsha and below, as the user sees in the pages
    assert ApiToken.objects.get(prefix=key[:8]).last_used_at is not None


def test_a_token_without_the_scope_is_refused(client, province_staff):
    _token, key = issue(user=province_staff, name="地图", scopes=["atlas:read"])
    assert client.get("/api/twinning/partnerships/", **bearer(key)).status_code == 403
    assert client.get("/api/atlas/layers/", **bearer(key)).status_code == 200
    assert client.post("/api/trips/check", {}, content_type="application/json", **bearer(key)).status_code == 403


def test_expired_revoked_and_unknown_tokens_are_refused(client, province_staff):
    token, key = issue(user=province_staff, name="x", scopes=["twinning:read"])
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get("/api/twinning/partnerships/", **bearer(key)).status_code == 401
    token2, key2 = issue(user=province_staff, name="y", scopes=["twinning:read"])
    ApiToken.objects.filter(pk=token2.pk).update(revoked_at=timezone.now())
    assert client.get("/api/twinning/partnerships/", **bearer(key2)).status_code == 401
    assert client.get("/api/twinning/partnerships/", **bearer("guessed-key")).status_code == 401


def test_only_the_hash_of_the_key_is_kept(province_staff):
    token, key = issue(user=province_staff, name="z", scopes=["trips:check"])
    assert key not in token.key_hash and len(token.key_hash) == 64


def test_tokens_are_issued_by_command_with_scopes_and_a_lifetime(province_staff, capsys):
    call_command("issue_token", "province", "--name", "统计平台", "--scope", "twinning:read", "--days", "30")
    out = capsys.readouterr().out
    token = ApiToken.objects.get(name="统计平台")
    assert "shown once" in out and token.scopes == ["twinning:read"]
    assert timedelta(days=29) < token.expires_at - timezone.now() <= timedelta(days=30)
    with pytest.raises(CommandError, match="unknown scopes"):
        call_command("issue_token", "province", "--name", "x", "--scope", "everything")
