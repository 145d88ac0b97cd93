"""What a fresh install holds is decided by the home: Hunan's reference pairs and map layers load only
where they belong; another home starts empty, and `--demo` loads Hunan's pairs on purpose."""

from io import StringIO

import pytest
from django.core.management import call_command

from atlas.models import Layer, TargetCounty
from twinning.models import Partnership

pytestmark = pytest.mark.django_db


@pytest.fixture
def empty_registry():
    """A fresh database: the session's reference data removed inside this test's transaction."""
    Partnership.objects.all().delete()
    Layer.objects.all().delete()
    TargetCounty.objects.all().delete()


def load(*args):
    out = StringIO()
    call_command("load_twinning_reference", *args, stdout=out)
    return out.getvalue()


def test_hunan_loads_its_82_reference_pairs(empty_registry):
    load()
    assert Partnership.objects.count() == 82


def test_another_home_starts_with_an_empty_registry(settings, empty_registry):
    settings.WAISHI_HOME_CODE = "330100"
    output = load()
    assert Partnership.objects.count() == 0
    assert "--demo" in output


def test_a_city_of_hunan_loads_the_pairs_within_it(settings, empty_registry):
    settings.WAISHI_HOME_CODE = "430100"
    load()
    sides = set(Partnership.objects.values_list("cn_division__code", flat=True))
    assert Partnership.objects.count() == 13  # 长沙 12 and 浏阳 1
    assert all(code.startswith("4301") for code in sides)


def test_demo_loads_hunans_pairs_on_purpose_whatever_the_home(settings, empty_registry):
    settings.WAISHI_HOME_CODE = "330100"
    load("--demo")
    assert Partnership.objects.count() == 82


def test_another_home_starts_with_an_empty_map(settings, empty_registry):
    settings.WAISHI_HOME_CODE = "330100"
    call_command("load_atlas_reference", stdout=StringIO())
    assert Layer.objects.count() == 0 and TargetCounty.objects.count() == 0


def test_hunan_loads_its_map_layers(empty_registry):
    call_command("load_atlas_reference", stdout=StringIO())
    assert Layer.objects.filter(owner_id="430000").exists() and TargetCounty.objects.count() == 4
