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

        from django.db.models.signals import post_delete

        def delete_file(sender, instance, **kwargs):
            # A deleted agreement leaves no file behind (residual information).
            if instance.file:
                instance.file.delete(save=False)

        post_delete.connect(delete_file, sender=models.AgreementDocument, dispatch_uid="twinning-document-file")
