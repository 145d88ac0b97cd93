"""Recording audit events: one function, `record`, called by signal handlers
(logins, logouts, failed logins, lock-outs), by `AuditMiddleware` (refusals and
records not found) and by the views that export, download or unmask.

Changes to records (create, change, delete, with values before and after) are
kept by django-auditlog; see docs/security.md.
"""

import functools
import logging

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .models import AuditEvent

logger = logging.getLogger(__name__)


def client_ip(request):
    if request is None:
        return None
    if getattr(settings, "WAISHI_TRUST_X_FORWARDED_FOR", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip() or None
    return request.META.get("REMOTE_ADDR") or None


def record(kind, request=None, user=None, username="", object_repr="", **detail):
    user = user if user is not None else getattr(request, "user", None)
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    try:
        return AuditEvent.objects.create(
            kind=kind, actor=user, username=username or (user.get_username() if user else ""),
            ip=client_ip(request), method=getattr(request, "method", "") or "",
            path=(request.get_full_path()[:500] if request is not None else ""), object_repr=str(object_repr)[:300],
            detail=detail,
        )
    except Exception:  # the audit must never be the reason a request fails; it is logged instead
        logger.exception("audit event %s not recorded", kind)
        return None


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    record(AuditEvent.Kind.LOGIN, request, user)


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    record(AuditEvent.Kind.LOGOUT, request, user)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    record(AuditEvent.Kind.LOGIN_FAILED, request, username=str(credentials.get("username", ""))[:150])


def _locked_out(sender, request, username=None, ip_address=None, **kwargs):
    record(AuditEvent.Kind.LOCKED_OUT, request, username=username or "", address=ip_address)


try:
    from axes.signals import user_locked_out

    user_locked_out.connect(_locked_out, dispatch_uid="waishi-audit-locked-out")
except ImportError:  # axes not installed: nothing to connect
    pass


class AuditMiddleware:
    """Records refusals (403) and, for logged-in users, records not found (404): guessing ids shows up."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 403:
            record(AuditEvent.Kind.DENIED, request, status=403)
        elif response.status_code == 404 and getattr(request, "user", None) and request.user.is_authenticated:
            record(AuditEvent.Kind.NOT_FOUND, request, status=404)
        return response


def audited(kind):
    """Decorate a view that exports or downloads: a successful response is recorded."""

    def decorate(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            response = view(request, *args, **kwargs)
            if 200 <= response.status_code < 300:
                record(kind, request, view=view.__name__, args={k: str(v) for k, v in kwargs.items()},
                       query=request.GET.urlencode()[:500])
            return response

        return wrapper

    return decorate
