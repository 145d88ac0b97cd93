"""Registering units (public) and activating them (foreign affairs office staff); logging in with
a changed password and a second factor."""

import base64

from django import forms
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .access import CHANGE, restrict
from .audit import record
from .forms import UnitRegistrationForm
from .landing import after_login, landing_url, safe_next, with_next
from .models import AuditEvent, Role, Unit


def register(request):
    form = UnitRegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        return render(request, "accounts/registered.html", {"unit": user.unit})
    return render(request, "accounts/register.html", {"form": form})


def _office(user):
    if not (user.is_superuser or user.role in (Role.STAFF, Role.ADMIN)):
        raise PermissionDenied


@login_required
def unit_list(request):
    _office(request.user)
    units = restrict(Unit.objects.all(), request.user).select_related("jurisdiction", "competent")
    return render(request, "accounts/unit_list.html", {
        "pending": units.filter(active=False).prefetch_related("users"),
        "units": units.filter(active=True).prefetch_related("users"),
    })


@login_required
@require_POST
def unit_activate(request, pk):
    _office(request.user)
    unit = get_object_or_404(restrict(Unit.objects.all(), request.user, CHANGE), pk=pk)
    unit.active = True
    unit.save(update_fields=["active"])
    count = unit.users.filter(is_active=False).update(is_active=True)
    messages.success(request, _("%(unit)s is active; %(count)s accounts can log in.") % {"unit": unit, "count": count})
    return redirect("accounts:unit_list")


# --- logging in: password change, second factor ------------------------------------------------


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"

    def get_default_redirect_url(self):
        return landing_url(self.request.user)


def home(request):
    """The site's root: the landing page of the user's role, or the login page."""
    if not request.user.is_authenticated:
        return redirect("accounts:login")
    return redirect(landing_url(request.user))


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"

    def get_success_url(self):
        return after_login(self.request)

    def form_valid(self, form):
        response = super().form_valid(form)
        user = form.user
        if user.must_change_password:
            user.must_change_password = False
            user.save(update_fields=["must_change_password"])
        record(AuditEvent.Kind.PASSWORD_CHANGED, self.request, user)
        messages.success(self.request, _("Your password is changed."))
        return response


def _keeping_next(request, name):
    return redirect(with_next(reverse(name), safe_next(request)))


class OTPTokenForm(forms.Form):
    token = forms.RegexField(label=_("Code from the authenticator app"), regex=r"^\d{6}$", max_length=6,
                             error_messages={"invalid": _("Enter the 6 digits the app shows.")},
                             widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}))


@login_required
def otp_verify(request):
    from django_otp import login as otp_login
    from django_otp.plugins.otp_totp.models import TOTPDevice

    devices = TOTPDevice.objects.filter(user=request.user, confirmed=True)
    if not devices.exists():
        return _keeping_next(request, "accounts:otp_setup")
    form = OTPTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        for device in devices:
            if device.verify_token(form.cleaned_data["token"]):
                otp_login(request, device)
                return redirect(after_login(request))
        record(AuditEvent.Kind.OTP_FAILED, request)
        form.add_error("token", _("The code is wrong or has expired."))
    return render(request, "accounts/otp_verify.html", {"form": form})


@login_required
def otp_setup(request):
    """Enrol an authenticator app (TOTP): show the key and its QR code, confirm with a first code."""
    import segno
    from django_otp import login as otp_login
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if TOTPDevice.objects.filter(user=request.user, confirmed=True).exists():
        return _keeping_next(request, "accounts:otp_verify")
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first() or TOTPDevice.objects.create(
        user=request.user, name="default", confirmed=False)
    form = OTPTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            record(AuditEvent.Kind.TOKEN, request, object_repr="TOTP", action="second factor enrolled")
            messages.success(request, _("The second factor is set up."))
            return redirect(after_login(request))
        form.add_error("token", _("The code is wrong or has expired."))
    qr = segno.make(device.config_url, error="m")
    return render(request, "accounts/otp_setup.html", {
        "form": form, "secret": base64.b32encode(device.bin_key).decode(),
        "qr": qr.svg_data_uri(scale=4), "config_url": device.config_url,
    })


# --- the audit administrator: reading and exporting the audit ---------------------------------------


def _only(role):
    def check(user):
        if not (user.is_authenticated and user.is_active and user.role == role):
            raise PermissionDenied
    return check


def _audit_period(request):
    from datetime import date, timedelta

    today = date.today()
    try:
        date_from = date.fromisoformat(request.GET.get("from") or (today - timedelta(days=30)).isoformat())
        date_to = date.fromisoformat(request.GET.get("to") or today.isoformat())
    except ValueError:
        return None, None
    return date_from, date_to


@login_required
def audit_log(request):
    from django.core.paginator import Paginator

    from . import audit_reports

    _only(Role.AUDIT_ADMIN)(request.user)
    date_from, date_to = _audit_period(request)
    if date_from is None:
        messages.error(request, _("Give the dates as YYYY-MM-DD."))
        return redirect("accounts:audit_log")
    events, changes = audit_reports.period(date_from, date_to, kind=request.GET.get("kind", ""),
                                           username=request.GET.get("user", "").strip())
    return render(request, "accounts/audit_log.html", {
        "events": Paginator(events, 100).get_page(request.GET.get("page")),
        "changes": Paginator(changes, 100).get_page(request.GET.get("cpage")),
        "kinds": AuditEvent.Kind.choices, "date_from": date_from, "date_to": date_to,
        "kind": request.GET.get("kind", ""), "username": request.GET.get("user", ""),
        "query": request.GET.urlencode(),
    })


@login_required
def audit_export(request):
    from django.http import HttpResponse

    from twinning.exports import XLSX

    from . import audit_reports

    _only(Role.AUDIT_ADMIN)(request.user)
    date_from, date_to = _audit_period(request)
    if date_from is None:
        return HttpResponse(_("Give the dates as YYYY-MM-DD."), status=400)
    events, changes = audit_reports.period(date_from, date_to, kind=request.GET.get("kind", ""),
                                           username=request.GET.get("user", "").strip())
    record(AuditEvent.Kind.EXPORT, request, object_repr="audit", period=f"{date_from}/{date_to}")
    response = HttpResponse(audit_reports.workbook(events, changes), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="audit-{date_from}-{date_to}.xlsx"'
    return response


# --- the security administrator: accounts, roles, lock-outs, second factors ----------------------


@login_required
def user_list(request):
    from axes.models import AccessAttempt

    from .models import User

    _only(Role.SECURITY_ADMIN)(request.user)
    locked = set(AccessAttempt.objects.values_list("username", flat=True))
    return render(request, "accounts/user_list.html", {
        "users": User.objects.select_related("jurisdiction", "unit").order_by("username"), "locked": locked,
        "roles": Role.choices,
    })


@login_required
@require_POST
def user_action(request, pk):
    from axes.utils import reset
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from .models import User

    _only(Role.SECURITY_ADMIN)(request.user)
    target = get_object_or_404(User, pk=pk)
    action = request.POST.get("action")
    if target.pk == request.user.pk and action != "unlock":
        messages.error(request, _("Your own account is changed by another security administrator."))
        return redirect("accounts:user_list")
    if action == "role" and request.POST.get("role") in Role.values:
        target.role = request.POST["role"]
        target.save(update_fields=["role"])
    elif action == "unlock":
        reset(username=target.username)
    elif action == "reset_otp":
        TOTPDevice.objects.filter(user=target).delete()
    elif action == "deactivate":
        target.is_active = False
        target.save(update_fields=["is_active"])
    elif action == "activate":
        target.is_active = True
        target.save(update_fields=["is_active"])
    elif action == "issue_password":
        from .management.commands.ensure_admin import new_password

        password = new_password()
        target.set_password(password)
        target.must_change_password = True
        target.save(update_fields=["password", "must_change_password"])
        messages.warning(request, _("New password for %(user)s (shown once, to be changed at the first login): "
                                    "%(password)s") % {"user": target.username, "password": password})
    else:
        messages.error(request, _("Unknown action."))
        return redirect("accounts:user_list")
    record(AuditEvent.Kind.ACCOUNT, request, object_repr=target.username, action=action,
           role=request.POST.get("role", ""))
    messages.success(request, _("Done."))
    return redirect("accounts:user_list")
