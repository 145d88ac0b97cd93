"""The map (湖南HERE): layers kept by the departments and jurisdictions that own
them, their items, and the counties the plan wants to break zero in.

A layer belongs to an owner jurisdiction and names the department that keeps
it; who may see and change it is decided in atlas.selectors through
accounts.access. The friendship-city layer is not stored here: the map draws
it from the registry (twinning) with the statistics' as-of rules.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from geo.models import LocalizedNameMixin


class MapView(models.TextChoices):
    WORLD = "world", _("world map")
    HOME = "home", _("home map")


class Visibility(models.TextChoices):
    PUBLIC = "public", _("public")
    INTERNAL = "internal", _("internal")


class DatePrecision(models.TextChoices):
    DAY = "day", _("day")
    MONTH = "month", _("month")
    YEAR = "year", _("year")


def date_label(on, precision):
    """A date as precise as it is known: 2017, 2017-05 or 2017-05-12."""
    if not on:
        return ""
    if precision == DatePrecision.YEAR:
        return str(on.year)
    if precision == DatePrecision.MONTH:
        return on.strftime("%Y-%m")
    return on.isoformat()


class Bilingual(LocalizedNameMixin):
    @property
    def description(self):
        lang = get_language() or "zh-hans"
        if lang.startswith("en") and self.description_en:
            return self.description_en
        return self.description_zh


class Layer(Bilingual, models.Model):
    owner_field = "owner"

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name_zh = models.CharField(_("Chinese name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=150, blank=True)
    map = models.CharField(_("map"), max_length=5, choices=MapView.choices, default=MapView.WORLD)
    owner = models.ForeignKey(
        "geo.Division", verbose_name=_("owner jurisdiction"), on_delete=models.PROTECT, related_name="+"
    )
    department = models.CharField(
        _("department"), max_length=100, blank=True,
        help_text=_("The department that keeps this layer; its liaison officers edit the items."),
    )
    department_en = models.CharField(_("department (English)"), max_length=150, blank=True)
    visibility = models.CharField(
        _("visibility"), max_length=8, choices=Visibility.choices, default=Visibility.INTERNAL
    )
    color = models.CharField(
        _("colour"), max_length=7, default="#c23531",
        validators=[RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Give the colour as #rrggbb."))],
    )
    description_zh = models.TextField(_("description (Chinese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    source = models.TextField(_("source"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["map", "code"]
        verbose_name = _("map layer")
        verbose_name_plural = _("map layers")

    @property
    def department_name(self):
        lang = get_language() or "zh-hans"
        if lang.startswith("en") and self.department_en:
            return self.department_en
        return self.department


class LayerItem(Bilingual, models.Model):
    """One thing on a layer: a place (lat/lon) or a route (to a second point)."""

    owner_field = "layer__owner"

    layer = models.ForeignKey(Layer, verbose_name=_("layer"), on_delete=models.CASCADE, related_name="items")
    name_zh = models.CharField(_("Chinese name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=250, blank=True)
    category = models.SlugField(_("category"), max_length=50, blank=True)
    country = models.ForeignKey(
        "geo.Country", verbose_name=_("country"), null=True, blank=True, on_delete=models.PROTECT
    )
    division = models.ForeignKey(
        "geo.Division", verbose_name=_("Chinese division"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", help_text=_("For items in China: the division where it is."),
    )
    lat = models.FloatField(_("latitude"))
    lon = models.FloatField(_("longitude"))
    to_lat = models.FloatField(_("route end latitude"), null=True, blank=True)
    to_lon = models.FloatField(_("route end longitude"), null=True, blank=True)
    on = models.DateField(_("date"), null=True, blank=True)
    date_precision = models.CharField(
        _("date precision"), max_length=5, choices=DatePrecision.choices, blank=True
    )
    description_zh = models.TextField(_("description (Chinese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    source = models.TextField(_("source"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["layer", "name_zh", "id"]
        verbose_name = _("layer item")
        verbose_name_plural = _("layer items")
        indexes = [models.Index(fields=["layer", "on"])]

    @property
    def is_route(self):
        return self.to_lat is not None and self.to_lon is not None

    def date_label(self):
        return date_label(self.on, self.date_precision)

    def clean(self):
        errors = {}
        if not -90 <= (self.lat if self.lat is not None else 0) <= 90:
            errors["lat"] = _("Latitude must lie between -90 and 90.")
        if not -180 <= (self.lon if self.lon is not None else 0) <= 180:
            errors["lon"] = _("Longitude must lie between -180 and 180.")
        if (self.to_lat is None) != (self.to_lon is None):
            errors["to_lon"] = _("A route needs both the latitude and the longitude of its end.")
        if self.to_lat is not None and not -90 <= self.to_lat <= 90:
            errors["to_lat"] = _("Latitude must lie between -90 and 90.")
        if self.to_lon is not None and not -180 <= self.to_lon <= 180:
            errors["to_lon"] = _("Longitude must lie between -180 and 180.")
        if errors:
            raise ValidationError(errors)


class TargetCounty(models.Model):
    """A county the plan wants to break zero in (专栏10: 百强县或县域经济十强县)."""

    class Basis(models.TextChoices):
        NATIONAL = "national_top100", _("China's top 100 counties")
        PROVINCIAL = "provincial_top10", _("the province's top 10 county economies")

    division = models.OneToOneField("geo.Division", on_delete=models.CASCADE, related_name="+")
    basis = models.CharField(_("basis"), max_length=20, choices=Basis.choices)
    source = models.TextField(_("source"), blank=True)

    class Meta:
        ordering = ["division"]
        verbose_name = _("target county")
        verbose_name_plural = _("target counties")

    def __str__(self):
        return str(self.division)
