"""The registry of services: each service app registers its workflow here."""

_WORKFLOWS = {}


def register(workflow):
    _WORKFLOWS[workflow.service] = workflow
    return workflow


def workflow_for(service):
    if not _WORKFLOWS:
        from django.apps import apps

        for config in apps.get_app_configs():
            try:
                __import__(f"{config.name}.workflow")
            except ModuleNotFoundError:
                continue
    return _WORKFLOWS[service]


PREFIXES = {"trip": "CG"}


def new_application(*, service, unit, title, user):
    """A new application in draft, numbered per service and year (CG-2027-00001)."""
    from datetime import date

    from django.db import transaction

    from .models import Application

    year = date.today().year
    prefix = f"{PREFIXES.get(service, service[:2].upper())}-{year}-"
    with transaction.atomic():
        last = (Application.objects.select_for_update().filter(number__startswith=prefix)
                .order_by("-number").values_list("number", flat=True).first())
        number = int(last[len(prefix):]) + 1 if last else 1
        return Application.objects.create(service=service, number=f"{prefix}{number:05d}", title=title, unit=unit,
                                          owner=unit.jurisdiction, created_by=user)
