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


class Command(BaseCommand):
    help = "Create the administrator account 'admin' if it does not exist, printing its password once."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")

    def handle(self, *args, **options):
        username = options["username"]
        if User.objects.filter(username=username).exists():
            self.stdout.write(f"Administrator '{username}' exists; its password is not shown again.")
            return
        password = new_password()
        User.objects.create_superuser(
            username=username, password=password, email="", role=Role.ADMIN, jurisdiction=home_division()
        )
        bar = "=" * 60
        self.stdout.write(f"{bar}\n管理员 / administrator: {username}\n密码 / password (shown once): {password}\n{bar}")
