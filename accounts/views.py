"""Registering units (public) and activating them (foreign affairs office staff)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .access import CHANGE, restrict
from .forms import UnitRegistrationForm
from .models import Role, Unit


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
