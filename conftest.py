"""Shared test fixtures: reference data loaded once per run, users of each role."""

import pytest
from django.core.management import call_command


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        from geo.loaders import load_all
        from twinning.loaders import load_reference_partnerships

        load_all(gazetteer=True)
        load_reference_partnerships()


@pytest.fixture(autouse=True)
def _no_threads(settings):
    settings.WAISHI_IMPORT_THREADS = False


@pytest.fixture
def make_user(db):
    from accounts.models import User

    def make(username, role="staff", code="430000", **extra):
        return User.objects.create_user(
            username=username, password="Secret-pass-1", role=role, jurisdiction_id=code, **extra
        )

    return make


@pytest.fixture
def province_staff(make_user):
    return make_user("province", "staff", "430000")


@pytest.fixture
def changsha_staff(make_user):
    return make_user("changsha", "staff", "430100")


@pytest.fixture
def liuyang_staff(make_user):
    return make_user("liuyang", "staff", "430181")


@pytest.fixture
def viewer(make_user):
    return make_user("viewer", "viewer", "430000")


@pytest.fixture
def admin_user(make_user):
    return make_user("root", "admin", "430000", is_superuser=True, is_staff=True)


def client_for(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def call(db):
    return call_command
