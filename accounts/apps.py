from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts and access")

    def ready(self):
        from auditlog.registry import auditlog
        from django.db.models import fields

        # Django's empty choice ("- Select an option -") is not translated into Chinese; every select
        # of the site offers the project's own, translated one (Django documents this override).
        fields.BLANK_CHOICE_LABEL = _("(choose)")

        from . import audit, schema  # noqa: F401  signal handlers; the token scheme of the OpenAPI schema
        from .models import ApiToken, Person, Unit, User

        auditlog.register(User, exclude_fields=["password", "last_login"])
        auditlog.register(Unit)
        # The change log keeps that personal data changed, not the data itself.
        auditlog.register(Person, mask_fields=["id_number", "phone"])
        auditlog.register(ApiToken, exclude_fields=["key_hash", "last_used_at"])
