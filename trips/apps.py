from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TripsConfig(AppConfig):
    name = "trips"
    verbose_name = _("Official trips abroad")

    def ready(self):
        from auditlog.registry import auditlog

        from . import models

        for model in (models.AnnualPlan, models.PlannedTrip, models.Trip, models.Member, models.Stop,
                      models.BudgetItem, models.Rule, models.PassportLoan):
            auditlog.register(model)
        auditlog.register(models.Passport, mask_fields=["number"])  # the log keeps that it changed, masked
        from . import workflow  # noqa: F401  registers the service
