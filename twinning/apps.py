from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TwinningConfig(AppConfig):
    name = "twinning"
    verbose_name = _("Friendship-city registry")

    def ready(self):
        from auditlog.registry import auditlog

        from . import models

        for model in (
            models.ForeignPlace,
            models.Partnership,
            models.StatusChange,
            models.AgreementDocument,
            models.Exchange,
            models.Project,
            models.ProjectUpdate,
        ):
            auditlog.register(model)
        auditlog.register(models.Exchange.partnerships.through)
