"""Tokens for machine clients: `Authorization: Bearer <token>`, each with scopes and an
expiry, revocable; only a hash of the key is stored. Views name the scope they need
(`required_scope`); `HasScope` checks it for token requests. Session requests go by
the user's role and jurisdiction as in the pages."""

import hashlib
import secrets
from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions, permissions

from .models import ApiToken

PREFIX_LENGTH = 8


def digest(key):
    return hashlib.sha256(key.encode()).hexdigest()


def issue(*, user, name, scopes, days=90):
    """Create a token; returns (token, key). The key is shown once and never stored."""
    unknown = set(scopes) - set(ApiToken.Scope.values)
    if unknown:
        raise ValueError(f"unknown scopes: {', '.join(sorted(unknown))}")
    key = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        name=name, user=user, prefix=key[:PREFIX_LENGTH], key_hash=digest(key), scopes=sorted(scopes),
        expires_at=timezone.now() + timedelta(days=days),
    )
    return token, key


class ScopedTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].decode().lower() != self.keyword.lower():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Give the token after “Bearer”."))
        key = header[1].decode(errors="replace")
        token = ApiToken.objects.select_related("user").filter(key_hash=digest(key)).first()
        now = timezone.now()
        if token is None or token.revoked_at is not None or token.expires_at <= now or not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("The token is unknown, expired or revoked."))
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request):
        return self.keyword


class HasScope(permissions.BasePermission):
    """A token request needs the view's `required_scope`; other requests pass to the next check."""

    message = _("The token does not carry the scope this needs.")

    def has_permission(self, request, view):
        if not isinstance(request.auth, ApiToken):
            return True
        scope = getattr(view, "required_scope", None)
        return scope is not None and scope in request.auth.scopes
