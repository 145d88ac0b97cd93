"""Where a user lands after logging in: the page of their work, decided by role in one place.

A `next` that is a local URL of this site wins over the landing page (the user was on their way
there); anything else is ignored so that a link cannot send a user off the site after logging in.
"""

from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode

from .models import Role

LANDING = {
    Role.CLERK: "trips:trip_list",          # a unit's clerk files and follows the unit's trips
    Role.UNIT_REVIEWER: "eservices:inbox",  # a reviewer works from the desk
    Role.SECURITY_ADMIN: "accounts:user_list",
    Role.AUDIT_ADMIN: "accounts:audit_log",
}
DEFAULT = "twinning:partnership_list"  # office staff, leaders, liaisons, viewers: the registry


def landing_url(user):
    return reverse(LANDING.get(user.role, DEFAULT))


def safe_next(request, value=None):
    """The `next` of the request when it stays on this site, else None."""
    value = value if value is not None else request.POST.get("next") or request.GET.get("next")
    if value and url_has_allowed_host_and_scheme(value, allowed_hosts={request.get_host()},
                                                 require_https=request.is_secure()):
        return value
    return None


def after_login(request):
    """The page to go to once the user is fully logged in."""
    return safe_next(request) or landing_url(request.user)


def with_next(url, next_url):
    """`url` carrying `next_url` on to the end of the login steps (when there is one)."""
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url
