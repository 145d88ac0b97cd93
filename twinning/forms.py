"""Forms of the registry. Validation rules live in services.check_partnership,
so a form and an import row are judged alike."""

from datetime import date

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.access import restrict, scope_prefix
from geo.divisions import home_division
from geo.models import Division, Place
from waishi.uploads import accept_attribute, validate_upload

from .dates import DateError, format_partial, parse_partial_date
from .models import AgreementDocument, Exchange, Kind, Partnership, PlaceType, Project, Status
from .projects import STAGE_ORDER, check_step
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
    signed_on = forms.CharField(
        label=_("Signed on"), required=False, max_length=30,
        help_text=_("As the source gives it: 1983-03-25, 1983年3月 or only the year, 1983年."),
        widget=forms.TextInput(attrs={"placeholder": "1983-03-25", "inputmode": "numeric"}),
    )
    country = forms.CharField(
        label=_("Country"), max_length=100, widget=forms.TextInput(attrs={"list": "country-names"})
    )
    foreign_name_zh = forms.CharField(label=_("Foreign side (Chinese name)"), max_length=100, required=False)
    foreign_name_en = forms.CharField(label=_("Foreign side (English name)"), max_length=150, required=False)
    foreign_name_local = forms.CharField(label=_("Foreign side (local name)"), max_length=150, required=False)
    foreign_admin1 = forms.CharField(
        label=_("State / province"), max_length=150, required=False,
        help_text=_("The state or province of the foreign side, which tells apart places of the same name."),
    )
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
                "signed_on": format_partial(instance.signed_on, instance.signed_precision, get_language()),
                "country": instance.country.name_zh,
                "foreign_name_zh": instance.foreign.name_zh,
                "foreign_name_en": instance.foreign.name_en,
                "foreign_name_local": instance.foreign.name_local,
                "foreign_admin1": instance.foreign.admin1,
                "place_type": instance.foreign.place_type,
                "lat": instance.foreign.lat,
                "lon": instance.foreign.lon,
                "provenance": instance.provenance,
                "notes": instance.notes,
                "published": instance.published,
            }
        super().__init__(*args, **kwargs)
        self.fields["cn_division"].queryset = writable_divisions(user)

    def clean_signed_on(self):
        try:
            return parse_partial_date(self.cleaned_data.get("signed_on"))
        except DateError as exc:
            raise ValidationError(
                _("Not a date: “%(text)s”. Write 1983-03-25, 1983年3月 or 1983年.") % {"text": exc}
            ) from exc

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        checked = check_partnership(data, user=self.user, instance=self.instance)
        self.warnings = checked.warnings
        for name, messages in checked.errors.items():
            for message in messages:
                self.add_error(name if name in self.fields else None, message)
        data.update(checked.values)
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
    """A step of the project's life; the rules are twinning.projects.check_step."""

    stage = forms.ChoiceField(choices=Project.Stage.choices, label=_("Stage"))
    on = forms.DateField(label=_("Date"), widget=DATE, initial=date.today)
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    skip_reason = forms.CharField(
        label=_("Reason for skipping a stage"), widget=forms.Textarea(attrs={"rows": 2}), required=False,
        help_text=_("Needed only when the project moves on by more than one stage."),
    )

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.project = project
        following = STAGE_ORDER[min(STAGE_ORDER.index(project.stage) + 1, len(STAGE_ORDER) - 1)]
        self.fields["stage"].initial = following

    def clean(self):
        data = super().clean()
        if data.get("stage") is None or "on" in self.errors:
            return data
        errors = check_step(self.project, stage=data["stage"], on=data.get("on"), skip_reason=data.get("skip_reason"))
        for name, messages in errors.items():
            for message in messages:
                self.add_error(name, message)
        return data


class ImportForm(forms.Form):
    what = forms.ChoiceField(
        choices=[("partnerships", _("partnerships")), ("exchanges", _("exchanges"))], label=_("What the file holds")
    )
    file = forms.FileField(label=_("Excel (.xlsx, .xls) or CSV file"))
    side = forms.ModelChoiceField(
        queryset=Division.objects.none(), required=False, label=_("Chinese side of rows that name none"),
        help_text=_("Lists published by one city often name no Chinese side: their rows belong to this one."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["side"].queryset = writable_divisions(user)
        default = user.jurisdiction if getattr(user, "jurisdiction_id", None) else home_division()
        if default is not None and self.fields["side"].queryset.filter(pk=default.pk).exists():
            self.fields["side"].initial = default.pk

    def clean_file(self):
        from waishi.tables import SUFFIXES

        uploaded = self.cleaned_data["file"]
        name = uploaded.name.lower()
        if not name.endswith(SUFFIXES):
            raise ValidationError(_("Upload an Excel (.xlsx, .xls) or CSV file."))
        limit = settings.WAISHI_IMPORT_MAX_BYTES
        if uploaded.size > limit:
            raise ValidationError(_("The file is larger than %(size)s MB; split it into smaller files.")
                                  % {"size": limit // (1024 * 1024)})
        head = uploaded.read(8)
        uploaded.seek(0)
        if name.endswith((".xlsx", ".xlsm", ".ods")) and not head.startswith(b"PK\x03\x04"):
            raise ValidationError(_("This is not an Excel .xlsx file."))
        if name.endswith(".xls") and not head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
            raise ValidationError(_("This is not an Excel .xls file."))
        return uploaded


class ColumnMappingForm(forms.Form):
    """One choice per column of the file: the field it holds, or nothing."""

    def __init__(self, *args, headers, what, mapping, **kwargs):
        from .imports import COLUMNS, FIELD_LABELS

        super().__init__(*args, **kwargs)
        self.headers = headers
        choices = [("", _("(not imported)"))] + [(f, FIELD_LABELS[f]) for f in COLUMNS[what] if f != "seq"]
        by_index = {index: name for name, index in mapping.items()}
        for index, heading in enumerate(headers):
            self.fields[f"col{index}"] = forms.ChoiceField(
                choices=choices, required=False, label=heading or _("(column %(n)s)") % {"n": index + 1},
                initial=by_index.get(index, ""),
            )

    def clean(self):
        data = super().clean()
        chosen = {}
        for index in range(len(self.headers)):
            name = data.get(f"col{index}")
            if not name:
                continue
            if name in chosen:
                self.add_error(f"col{index}", _("This field is already the column “%(heading)s”.")
                               % {"heading": self.headers[chosen[name]]})
            chosen[name] = index
        self.mapping = chosen
        return data
