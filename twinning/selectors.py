"""Reading the registry: what a user may see, anniversaries, timelines."""

from dataclasses import dataclass
from datetime import date

from accounts.access import restrict

from .models import Exchange, Kind, Partnership, Project, Status


def visible_partnerships(user, action="view"):
    return restrict(Partnership.objects.all(), user, action)


def visible_exchanges(user, action="view"):
    return restrict(Exchange.objects.all(), user, action)


def visible_projects(user, action="view"):
    return restrict(Project.objects.all(), user, action)


@dataclass
class Anniversary:
    partnership: Partnership
    on: date
    years: int

    @property
    def round(self):
        return self.years % 5 == 0


def _same_day(year, signed):
    try:
        return signed.replace(year=year)
    except ValueError:  # 29 February in a common year
        return date(year, 2, 28)


def anniversaries(partnerships, today=None, days=365):
    """Anniversaries of signing falling from today up to `days` ahead, soonest first."""
    today = today or date.today()
    found = []
    qs = partnerships.filter(signed_on__isnull=False, signed_on__lt=today).exclude(kind=Kind.INTENT)
    qs = qs.exclude(status=Status.ENDED).select_related("cn_division", "foreign", "country")
    for p in qs:
        for year in (today.year, today.year + 1):
            on = _same_day(year, p.signed_on)
            if today <= on and (on - today).days < days:
                found.append(Anniversary(p, on, year - p.signed_on.year))
                break
    found.sort(key=lambda a: (a.on, a.partnership.cn_division_id))
    return found


def timeline(partnership):
    """Everything that happened in a partnership, newest first: exchanges, status changes, project steps."""
    events = []
    for exchange in partnership.exchanges.all():
        events.append({"on": exchange.occurred_on, "type": "exchange", "object": exchange})
    for change in partnership.status_changes.all():
        events.append({"on": change.changed_on, "type": "status", "object": change})
    for project in partnership.projects.prefetch_related("updates"):
        for update in project.updates.all():
            events.append({"on": update.on, "type": "project", "object": update, "project": project})
    if partnership.signed_on:
        events.append({"on": partnership.signed_on, "type": "signed", "object": partnership})
    events.sort(key=lambda e: e["on"], reverse=True)
    return events
