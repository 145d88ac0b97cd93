"""Forms of the registry. Validation rules live in services.check_partnership,
so a form and an import row are judged alike."""

from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.access import restrict, scope_prefix
from geo.divisions import home_division
from geo.models import Division, Place
from waishi.uploads import accept_attribute, validate_upload

from .models import AgreementDocument, Exchange, Kind, Partnership, PlaceType, Project, Status
from .services import check_partnership

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def writable_divisions(user):
    prefix = scope_prefix(user)
    home = home_division()
    qs = Division.objects.filter(code__startswith=home.prefix)
    if prefix:
        qs = qs.filter(code__startswith=prefix)
    return qs.order_by("code")


class PartnershipForm(forms.Form):
    cn_division = forms.ModelChoiceField(
        queryset=Division.objects.none(), label=_("Chinese side"), empty_label=_("(choose)")
    )
    kind = forms.ChoiceField(choices=Kind.choices, label=_("Kind"), initial=Kind.SISTER)
    signed_on = forms.DateField(label=_("Signed on"), required=False, widget=DATE)
    country = forms.CharField(
        label=_("Country"), max_length=100, widget=forms.TextInput(attrs={"list": "country-names"})
    )
    foreign_name_zh = forms.CharField(label=_("Foreign side (Chinese name)"), max_length=100)
    foreign_name_en = forms.CharField(label=_("Foreign side (English name)"), max_length=150, required=False)
    foreign_name_local = forms.CharField(label=_("Foreign side (local name)"), max_length=150, required=False)
    place_type = forms.ChoiceField(choices=PlaceType.choices, label=_("Type of place"), initial=PlaceType.CITY)
    lat = forms.FloatField(label=_("Latitude"), required=False)
    lon = forms.FloatField(label=_("Longitude"), required=False)
    gazetteer = forms.ModelChoiceField(queryset=Place.objects.all(), required=False, widget=forms.HiddenInput)
    provenance = forms.CharField(label=_("Provenance"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    published = forms.BooleanField(label=_("Published (may appear in open data)"), required=False, initial=True)

    def __init__(self, *args, user, instance=None, **kwargs):
        self.user = user
        self.instance = instance
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "cn_division": instance.cn_division,
                "kind": instance.kind,
                "signed_on": instance.signed_on,
                "country": instance.country.name_zh,
                "foreign_name_zh": instance.foreign.name_zh,
                "foreign_name_en": instance.foreign.name_en,
                "foreign_name_local": instance.foreign.name_local,
                "place_type": instance.foreign.place_type,
                "lat": instance.foreign.lat,
                "lon": instance.foreign.lon,
                "provenance": instance.provenance,
                "notes": instance.notes,
                "published": instance.published,
            }
        super().__init__(*args, **kwargs)
        self.fields["cn_division"].queryset = writable_divisions(user)

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        checked = check_partnership(data, user=self.user, instance=self.instance)
        for name, messages in checked.errors.items():
            for message in messages:
                self.add_error(name if name in self.fields else None, message)
        data.update({k: v for k, v in checked.values.items() if k == "country"})
        return data


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=Status.choices, label=_("Status"))
    changed_on = forms.DateField(label=_("Date"), widget=DATE, initial=date.today)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def clean(self):
        data = super().clean()
        if data.get("changed_on") and data["changed_on"] > date.today():
            self.add_error("changed_on", _("The date cannot be in the future."))
        if data.get("status") in {Status.SUSPENDED, Status.ENDED} and not data.get("reason"):
            self.add_error("reason", _("Give the reason for suspending or ending a partnership."))
        return data


class DocumentForm(forms.ModelForm):
    """An agreement document: the file is judged by its content (waishi.uploads);
    the content type recorded is the one found, never the browser's."""

    class Meta:
        model = AgreementDocument
        fields = ["title", "doc_kind", "signed_on", "file"]
        widgets = {"signed_on": DATE, "file": forms.ClearableFileInput(attrs={"accept": accept_attribute()})}

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        self.content_type = validate_upload(uploaded, allowed=("pdf", "image", "office"))
        self.instance.content_type = self.content_type
        self.instance.original_name = uploaded.name[:255]
        return uploaded


class ExchangeForm(forms.ModelForm):
    class Meta:
        model = Exchange
        fields = ["partnerships", "kind", "title", "occurred_on", "ended_on", "delegation_size", "description"]
        widgets = {"occurred_on": DATE, "ended_on": DATE, "partnerships": forms.SelectMultiple(attrs={"size": 8})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        qs = restrict(Partnership.objects.select_related("cn_division", "foreign"), user, "change")
        self.fields["partnerships"].queryset = qs.order_by("cn_division__code", "signed_on")

    def clean(self):
        data = super().clean()
        occurred, ended = data.get("occurred_on"), data.get("ended_on")
        if occurred and occurred > date.today():
            self.add_error("occurred_on", _("Record exchanges that have taken place; the date is in the future."))
        if occurred and ended and ended < occurred:
            self.add_error("ended_on", _("The end date is before the start date."))
        return data


class ProjectForm(forms.ModelForm):
    class Meta:
        model = Project
        fields = ["partnerships", "title", "sector", "description", "proposed_on"]
        widgets = {"proposed_on": DATE, "partnerships": forms.SelectMultiple(attrs={"size": 8})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        qs = restrict(Partnership.objects.select_related("cn_division", "foreign"), user, "change")
        self.fields["partnerships"].queryset = qs.order_by("cn_division__code", "signed_on")

    def clean_proposed_on(self):
        value = self.cleaned_data["proposed_on"]
        if value > date.today():
            raise ValidationError(_("The date cannot be in the future."))
        return value


class ProjectUpdateForm(forms.Form):
    stage = forms.ChoiceField(choices=Project.Stage.choices, label=_("Stage"))
    on = forms.DateField(label=_("Date"), widget=DATE, initial=date.today)
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.project = project

    def clean(self):
        from .services import PROJECT_ORDER

        data = super().clean()
        stage = data.get("stage")
        if stage and PROJECT_ORDER.index(stage) < PROJECT_ORDER.index(self.project.stage):
            self.add_error("stage", _("A project cannot go back to an earlier stage."))
        if data.get("on") and data["on"] > date.today():
            self.add_error("on", _("The date cannot be in the future."))
        return data


class ImportForm(forms.Form):
    what = forms.ChoiceField(
        choices=[("partnerships", _("partnerships")), ("exchanges", _("exchanges"))], label=_("What the file holds")
    )
    file = forms.FileField(label=_("Excel (.xlsx) or CSV file"))

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        name = uploaded.name.lower()
        if not (name.endswith(".xlsx") or name.endswith(".csv")):
            raise ValidationError(_("Upload an .xlsx or .csv file."))
        head = uploaded.read(4)
        uploaded.seek(0)
        if name.endswith(".xlsx") and head != b"PK\x03\x04":
            raise ValidationError(_("This is not an Excel .xlsx file."))
        return uploaded
