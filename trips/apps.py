from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TripsConfig(AppConfig):
    name = "trips"
    verbose_name = _("Official trips abroad")

    def ready(self):
        from auditlog.registry import auditlog

        from . import models

        for model in (models.AnnualPlan, models.PlannedTrip, models.Trip, models.Member, models.Stop,
                      models.BudgetItem, models.Rule, models.Passport, models.PassportLoan):
            auditlog.register(model)
        from . import workflow  # noqa: F401  registers the service
