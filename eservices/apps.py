from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EservicesConfig(AppConfig):
    name = "eservices"
    verbose_name = _("Online services")

    def ready(self):
        from auditlog.registry import auditlog

        from .models import Application

        auditlog.register(Application)
