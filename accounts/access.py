"""Who may see and change what: the one place every queryset goes through.

A record belongs to an owner jurisdiction (a GB/T 2260 division). A user acts
for a jurisdiction and may read and, if their role writes, change records owned
by that jurisdiction or any division below it. System administrators and
superusers reach everything. Pages, API and exports all call `restrict`.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q

from .models import Role

VIEW = "view"
CHANGE = "change"


def scope_prefix(user):
    """The GB/T 2260 code prefix of the user's reach, "" for everything, None for nothing."""
    if not user or not user.is_authenticated or not user.is_active:
        return None
    if user.role in (Role.SECURITY_ADMIN, Role.AUDIT_ADMIN):
        # The security and audit administrators keep accounts and the audit, never business records.
        return None
    if user.is_superuser or user.role == Role.ADMIN:
        return ""
    if user.jurisdiction_id is None:
        return None
    return user.jurisdiction.prefix


def scope_q(user, owner_field="owner", action=VIEW):
    prefix = scope_prefix(user)
    if prefix is None or (action == CHANGE and not user.can_write):
        return Q(pk__in=[])
    if prefix == "":
        # Not Q(): an empty Q vanishes when OR-ed with another, and "everything" must not.
        return Q(pk__isnull=False)
    return Q(**{f"{owner_field}__code__startswith": prefix})


def restrict(queryset, user, action=VIEW):
    """Restrict a queryset of an owned model to what `user` may `action`."""
    owner_field = getattr(queryset.model, "owner_field", "owner")
    return queryset.filter(scope_q(user, owner_field, action))


def may_own(user, division):
    """May `user` create or keep records owned by `division`?"""
    prefix = scope_prefix(user)
    if prefix is None or division is None or not user.can_write:
        return False
    return division.code.startswith(prefix)


def check_change(user, obj):
    owner = getattr(obj, "owner", None)
    if not may_own(user, owner):
        raise PermissionDenied


def restrict_people(queryset, user):
    """People (accounts.Person) `user` may see: by jurisdiction, and for unit users only their unit's
    people (a unit reviewer also those of the units it supervises). A clerk never learns about
    another unit's people, not even how often they travelled."""
    people = restrict(queryset, user)
    if user.is_authenticated and user.role == Role.CLERK:
        return people.filter(unit_id=user.unit_id)
    if user.is_authenticated and user.role == Role.UNIT_REVIEWER:
        return people.filter(Q(unit_id=user.unit_id) | Q(unit__competent_id=user.unit_id))
    return people
