"""Users, their role and the jurisdiction they act for."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("system administrator")
    STAFF = "staff", _("foreign affairs office staff")
    LIAISON = "liaison", _("department liaison")
    VIEWER = "viewer", _("viewer")


class User(AbstractUser):
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.VIEWER)
    jurisdiction = models.ForeignKey(
        "geo.Division",
        verbose_name=_("jurisdiction"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_("The province, prefecture or county this user acts for."),
    )
    department = models.CharField(_("department"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @property
    def can_write(self):
        return self.is_active and (self.is_superuser or self.role in {Role.ADMIN, Role.STAFF})

    def role_label(self):
        return self.get_role_display()
