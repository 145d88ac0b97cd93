"""What every request of a logged-in user must have passed: a changed password
if the one in use was issued, and the second factor (TOTP, django-otp) for the
accounts that approve or administer (accounts.models.TWO_FACTOR_ROLES)."""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from .landing import with_next

# Paths a user may reach before the password change and the second factor.
OPEN_PREFIXES = ("/accounts/login/", "/accounts/logout/", "/accounts/otp/", "/accounts/password/", "/static/",
                 "/i18n/", "/public/")


class LoginPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.path.startswith(OPEN_PREFIXES):
            pending = user.must_change_password or (two_factor_required(user) and not user.is_verified())
            if pending and request.path.startswith("/api/"):
                return JsonResponse({"detail": _("Finish logging in (password change or second factor) first.")},
                                    status=403)
            # The page asked for is where the user goes once the login steps are done.
            wanted = request.get_full_path() if request.method == "GET" and request.path != "/" else None
            if user.must_change_password:
                return redirect(with_next(reverse("accounts:password_change"), wanted))
            if two_factor_required(user) and not user.is_verified():
                step = "accounts:otp_setup" if not has_device(user) else "accounts:otp_verify"
                return redirect(with_next(reverse(step), wanted))
        return self.get_response(request)


def two_factor_required(user):
    return settings.WAISHI_REQUIRE_2FA and user.needs_two_factor


def has_device(user):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()
