"""Forms of the map: layers and their items, and the item import."""

from django import forms
from django.utils.translation import gettext_lazy as _

from geo.divisions import home_division
from geo.models import Division

from .items import place_errors
from .models import Layer, LayerItem


class LayerForm(forms.ModelForm):
    class Meta:
        model = Layer
        fields = [
            "code", "name_zh", "name_en", "map", "owner", "department", "department_en", "visibility", "color",
            "description_zh", "description_en", "source",
        ]
        widgets = {
            "color": forms.TextInput(attrs={"type": "color"}),
            "description_zh": forms.Textarea(attrs={"rows": 3}),
            "description_en": forms.Textarea(attrs={"rows": 3}),
            "source": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        # Every division of the home province is offered; clean_owner says which one the user may pick.
        home = home_division()
        self.fields["owner"].queryset = Division.objects.filter(code__startswith=home.prefix).exclude(
            level="county"
        ) | Division.objects.filter(code=getattr(user, "jurisdiction_id", None) or "")
        self.fields["owner"].empty_label = _("(choose)")

    def clean_owner(self):
        from accounts.access import may_own

        owner = self.cleaned_data["owner"]
        if not may_own(self.user, owner):
            raise forms.ValidationError(_("You may only keep layers of your own jurisdiction or below."))
        return owner


class LayerItemForm(forms.ModelForm):
    on = forms.DateField(label=_("date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    class Meta:
        model = LayerItem
        fields = [
            "name_zh", "name_en", "category", "country", "division", "lat", "lon", "to_lat", "to_lon",
            "on", "date_precision", "description_zh", "description_en", "source",
        ]
        widgets = {
            "description_zh": forms.Textarea(attrs={"rows": 3}),
            "description_en": forms.Textarea(attrs={"rows": 3}),
            "source": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, layer=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.layer = layer
        if layer is not None:
            self.instance.layer = layer
        self.fields["division"].queryset = Division.objects.filter(code__startswith=home_division().prefix)
        self.fields["country"].empty_label = _("(choose)")
        self.fields["division"].empty_label = _("(choose)")
        self.fields["date_precision"].choices = [("", _("(choose)"))] + list(self.fields["date_precision"].choices)[1:]

    def clean(self):
        data = super().clean()
        if data.get("on") and not data.get("date_precision"):
            data["date_precision"] = "day"
        if not data.get("on"):
            data["date_precision"] = ""
        if data.get("division") and not data.get("country"):
            from geo.models import Country

            data["country"] = Country.objects.filter(iso2="CN").first()
        if self.errors:
            return data
        probe = LayerItem(layer=self.layer, **{k: data.get(k) for k in ("country", "division", "lat", "lon")})
        for message in place_errors(probe):
            self.add_error("lat", message)
        return data


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Excel (.xlsx) or CSV file"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError(_("Upload an .xlsx or .csv file."))
        return upload
