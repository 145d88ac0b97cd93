"""Reference geography: countries, dated country groups, Chinese divisions and
the gazetteer of foreign places. Loaded from data/ by `manage.py load_reference`."""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Continent(models.TextChoices):
    # As Chinese statistics count them (Russia in Europe, Turkey in Asia).
    ASIA = "asia", _("Asia")
    EUROPE = "europe", _("Europe")
    AFRICA = "africa", _("Africa")
    AMERICAS = "americas", _("Americas")
    OCEANIA = "oceania", _("Oceania")
    ANTARCTICA = "antarctica", _("Antarctica")


STAT_CONTINENTS = ["asia", "europe", "africa", "americas", "oceania"]
# Hong Kong and Macao are loaded with the countries as places of official trips ("国家和地区"),
# never as the foreign side of a partnership.
CHINESE_REGIONS = ("HK", "MO")


class LocalizedNameMixin:
    @property
    def name(self):
        lang = get_language() or "zh-hans"
        if lang.startswith("en") and self.name_en:
            return self.name_en
        # A place imported from an English-only list may have no Chinese name yet.
        return self.name_zh or self.name_en

    def __str__(self):
        return self.name


class Country(LocalizedNameMixin, models.Model):
    iso2 = models.CharField(_("ISO code"), max_length=2, primary_key=True)
    iso3 = models.CharField(max_length=3, blank=True)
    numeric = models.CharField(max_length=3, blank=True)
    name_zh = models.CharField(_("Chinese name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100)
    aliases_zh = models.TextField(blank=True, help_text="pipe-separated")
    aliases_en = models.TextField(blank=True, help_text="pipe-separated")
    continent = models.CharField(_("continent"), max_length=12, choices=Continent.choices)
    lat = models.FloatField(null=True, blank=True)
    lon = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["iso2"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")

    def all_names(self):
        names = [self.name_zh, self.name_en, self.iso2, self.iso3]
        names += [a for a in self.aliases_zh.split("|") if a]
        names += [a for a in self.aliases_en.split("|") if a]
        return [n for n in names if n]


class CountryGroup(models.Model):
    code = models.SlugField(primary_key=True, max_length=30)
    name_zh = models.CharField(max_length=100)
    name_en = models.CharField(max_length=100)
    description_zh = models.TextField(blank=True)
    description_en = models.TextField(blank=True)
    source = models.TextField(blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("country group")
        verbose_name_plural = _("country groups")

    @property
    def name(self):
        lang = get_language() or "zh-hans"
        return self.name_en if lang.startswith("en") else self.name_zh

    def __str__(self):
        return self.name


class GroupMembership(models.Model):
    group = models.ForeignKey(CountryGroup, on_delete=models.CASCADE, related_name="memberships")
    country = models.ForeignKey(Country, on_delete=models.CASCADE, related_name="memberships")
    member_from = models.DateField()
    member_to = models.DateField(null=True, blank=True, help_text="exclusive; blank = still a member")
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["group", "country"]
        indexes = [models.Index(fields=["group", "member_from"])]


class Division(LocalizedNameMixin, models.Model):
    """A Chinese administrative division (GB/T 2260): province, prefecture or county."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("province")
        PREFECTURE = "prefecture", _("prefecture")
        COUNTY = "county", _("county")

    code = models.CharField(_("code"), max_length=6, primary_key=True)
    name_zh = models.CharField(_("name"), max_length=60)
    short_name = models.CharField(max_length=30, blank=True)
    name_en = models.CharField(max_length=100, blank=True)
    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    lat = models.FloatField(null=True, blank=True)
    lon = models.FloatField(null=True, blank=True)
    former_names = models.TextField(blank=True, help_text="pipe-separated")

    class Meta:
        ordering = ["code"]
        verbose_name = _("division")
        verbose_name_plural = _("divisions")

    @property
    def display_short(self):
        lang = get_language() or "zh-hans"
        if lang.startswith("en") and self.name_en:
            return self.name_en
        return self.short_name or self.name_zh

    @property
    def prefix(self):
        """Code prefix shared by this division and everything below it."""
        if self.level == self.Level.PROVINCE:
            return self.code[:2]
        if self.level == self.Level.PREFECTURE:
            return self.code[:4]
        return self.code

    def contains(self, other):
        return other is not None and other.code.startswith(self.prefix)

    def prefecture(self):
        if self.level == self.Level.COUNTY and self.parent and self.parent.level == self.Level.PREFECTURE:
            return self.parent
        return self if self.level == self.Level.PREFECTURE else None


class Place(models.Model):
    """A foreign place from the offline gazetteer: a first-level division (state, province,
    prefecture…) or a city, used to resolve and suggest names and coordinates."""

    class Kind(models.TextChoices):
        ADMIN1 = "admin1", _("state / province / region")
        CITY = "city", _("city")

    country = models.ForeignKey(Country, on_delete=models.CASCADE, related_name="places")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    name_en = models.CharField(max_length=200)
    name_local = models.CharField(max_length=200, blank=True)
    name_zh = models.CharField(max_length=200, blank=True)
    # Other names the place is matched by: Chinese aliases and the other Chinese-script names of GeoNames.
    aliases = models.TextField(blank=True, help_text="pipe-separated")
    # Full pinyin of the Chinese names ("zihexian"), space-separated: typed pinyin resolves a place.
    pinyin = models.TextField(blank=True)
    # A first-level division's ISO 3166-2 code ("JP-25"); empty for cities.
    code = models.CharField(max_length=10, blank=True)
    # The first-level division a city lies in, where the gazetteer is certain of it (data/gazetteer/SOURCES.md).
    admin1 = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="cities",
        limit_choices_to={"kind": "admin1"},
    )
    # GeoNames' own code of the city's first-level division, as given ("35" for Shiga), for provenance.
    admin1_code = models.CharField(max_length=20, blank=True)
    lat = models.FloatField()
    lon = models.FloatField()
    population = models.PositiveIntegerField(default=0)
    geonameid = models.PositiveIntegerField(null=True, blank=True)
    search_text = models.TextField(help_text="lower-cased names, Chinese names and their pinyin")

    class Meta:
        ordering = ["-population", "name_en"]
        verbose_name = _("gazetteer place")
        verbose_name_plural = _("gazetteer places")

    def __str__(self):
        return f"{self.name_zh or self.name_en} ({self.country_id})"

    def names(self):
        """Every name the place is matched by."""
        names = [self.name_zh, self.name_en, self.name_local, *self.aliases.split("|")]
        return [n for n in dict.fromkeys(names) if n]

    @property
    def admin1_name(self):
        """The name of the city's first-level division (Chinese first), or "" when unknown or a division itself."""
        if self.admin1_id is None:
            return ""
        return self.admin1.name_zh or self.admin1.name_en
