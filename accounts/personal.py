"""Personal data (PIPL): masked unless the role needs it, each unmasked view audited;
a person's data exported on request and erased where the law allows."""

from datetime import date

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from .access import scope_prefix
from .models import Role


def mask(value, keep=3):
    """'430102198001011234' -> '***************234'; empty stays empty."""
    value = str(value or "")
    if not value:
        return ""
    keep = min(keep, max(len(value) - 4, 0))
    return "*" * (len(value) - keep) + value[len(value) - keep:] if keep else "*" * len(value)


def may_unmask(user, person):
    """The unit's clerk who keeps the data, and office staff of the unit's jurisdiction."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.role == Role.CLERK:
        return user.unit_id == person.unit_id
    if user.role == Role.STAFF:
        prefix = scope_prefix(user)
        return prefix is not None and person.unit.jurisdiction_id.startswith(prefix)
    return False


def export(person):
    """Everything the system holds about a person, as JSON-ready data."""
    from trips.models import Member

    return {
        "name": person.name_zh, "name_pinyin": person.name_pinyin, "gender": person.gender,
        "born_on": person.born_on.isoformat() if person.born_on else None, "id_number": person.id_number,
        "post": person.post, "rank": person.rank, "phone": person.phone, "unit": person.unit.name_zh,
        "passports": [{"kind": p.kind, "number": p.number, "expires_on": p.expires_on.isoformat()}
                      for p in person.passports.all()],
        "trips": [{"number": m.trip.application.number, "title": m.trip.application.title,
                   "departs_on": m.trip.departs_on.isoformat(), "returns_on": m.trip.returns_on.isoformat(),
                   "role": m.group_role, "state": m.trip.application.state}
                  for m in Member.objects.filter(person=person).select_related("trip__application")],
    }


def erase_blockers(person, today=None):
    """Why the law keeps this person's data, if it does: trips still open, or archived within the
    keeping period of official trip records (WAISHI_TRIP_RECORD_YEARS)."""
    from trips.models import Member

    today = today or date.today()
    years = getattr(settings, "WAISHI_TRIP_RECORD_YEARS", 5)
    reasons = []
    for member in Member.objects.filter(person=person).select_related("trip__application"):
        trip = member.trip
        if trip.application.state in ("draft", "withdrawn", "rejected"):
            continue
        if trip.application.state != "archived":
            reasons.append(_("%(number)s is not closed yet.") % {"number": trip.application.number})
        elif (today - trip.returns_on).days < years * 365:
            reasons.append(_("%(number)s is kept until %(year)s as a record of an official trip.")
                           % {"number": trip.application.number, "year": trip.returns_on.year + years})
    return reasons


@transaction.atomic
def erase(person):
    """Anonymise a person whose data the law does not keep. Returns the reasons it cannot, if any."""
    reasons = erase_blockers(person)
    if reasons:
        return reasons
    person.name_zh = _("(erased)")
    person.name_pinyin = ""
    person.born_on = None
    person.id_number = ""
    person.phone = ""
    person.post = ""
    person.save()
    for passport in person.passports.all():
        passport.number = f"ERASED-{passport.pk}"
        passport.save(update_fields=["number"])
    return []
