"""Create the local administrator once and print its password once."""

import secrets
import string

from django.core.management.base import BaseCommand

from accounts.models import Role, User
from geo.divisions import home_division


def new_password(length=16):
    alphabet = string.ascii_letters + string.digits
    while True:
        password = "".join(secrets.choice(alphabet) for _ in range(length - 2)) + secrets.choice("!@#%+=") + "7"
        if any(c.islower() for c in password) and any(c.isupper() for c in password):
            return password


# The three administrators of a level-3 system, none able to act as another.
ADMINISTRATORS = [
    ("admin", Role.ADMIN, "系统管理员 / system administrator", True),
    ("secadmin", Role.SECURITY_ADMIN, "安全管理员 / security administrator", False),
    ("auditadmin", Role.AUDIT_ADMIN, "审计管理员 / audit administrator", False),
]


class Command(BaseCommand):
    help = ("Create the system, security and audit administrators if they do not exist, printing each "
            "password once; each changes it and sets up a second factor at the first login.")

    def handle(self, *args, **options):
        bar = "=" * 60
        for username, role, label, superuser in ADMINISTRATORS:
            if User.objects.filter(username=username).exists():
                self.stdout.write(f"{label} '{username}' exists; its password is not shown again.")
                continue
            password = new_password()
            user = User(username=username, role=role, jurisdiction=home_division(), must_change_password=True,
                        is_staff=superuser, is_superuser=superuser)
            user.set_password(password)
            user.save()
            self.stdout.write(f"{bar}\n{label}: {username}\n密码 / password (shown once): {password}\n{bar}")
