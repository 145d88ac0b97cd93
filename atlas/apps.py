from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AtlasConfig(AppConfig):
    name = "atlas"
    verbose_name = _("Map")

    def ready(self):
        from auditlog.registry import auditlog

        from .models import Layer, LayerItem, TargetCounty

        auditlog.register(Layer)
        auditlog.register(LayerItem)
        auditlog.register(TargetCounty)
