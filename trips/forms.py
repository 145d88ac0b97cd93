"""Forms of the trip service: the application with its delegation, itinerary
and budget (inline formsets), reasons for exceptions, the annual plan, people
and passports of a unit, the report and the disclosure."""

from django import forms
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from accounts.models import Person
from geo.models import Country

from .models import AnnualPlan, BudgetItem, Member, Passport, PlannedTrip, Stop, Trip

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class TripForm(forms.ModelForm):
    title = forms.CharField(label=_("Title of the delegation"), max_length=200,
                            help_text=_("For example: 湖南省商务厅赴德国、法国经贸考察团"))

    class Meta:
        model = Trip
        fields = ["kind", "purpose", "tasks", "departs_on", "returns_on", "invitation_issuer",
                  "invitation_issuer_kind", "planned"]
        widgets = {"departs_on": DATE, "returns_on": DATE, "tasks": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.unit = unit
        if self.instance.pk:
            self.fields["title"].initial = self.instance.application.title
        self.fields["planned"].queryset = PlannedTrip.objects.filter(plan__unit=unit).select_related("plan")
        self.fields["planned"].empty_label = _("(not in the plan)")
        self.fields["invitation_issuer_kind"].choices = [("", _("(choose)"))] + list(
            self.fields["invitation_issuer_kind"].choices)[1:]

    def clean(self):
        data = super().clean()
        if data.get("departs_on") and data.get("returns_on") and data["returns_on"] < data["departs_on"]:
            self.add_error("returns_on", _("The return date is before the departure date."))
        return data


class MemberForm(forms.ModelForm):
    class Meta:
        model = Member
        fields = ["person", "group_role", "passport"]

    def __init__(self, *args, unit=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.filter(unit=unit) if unit else Person.objects.none()
        self.fields["person"].empty_label = _("(choose)")
        self.fields["passport"].queryset = Passport.objects.filter(person__unit=unit) if unit else \
            Passport.objects.none()
        self.fields["passport"].empty_label = _("(none yet)")

    def clean(self):
        data = super().clean()
        person, passport = data.get("person"), data.get("passport")
        if person and passport and passport.person_id != person.pk:
            self.add_error("passport", _("This passport belongs to someone else."))
        return data


class StopForm(forms.ModelForm):
    class Meta:
        model = Stop
        fields = ["country", "city", "arrives_on", "leaves_on", "transit"]
        widgets = {"arrives_on": DATE, "leaves_on": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].queryset = Country.objects.exclude(iso2="CN").order_by("name_zh")
        self.fields["country"].empty_label = _("(choose)")


class BudgetForm(forms.ModelForm):
    class Meta:
        model = BudgetItem
        fields = ["item", "amount", "note"]

    def clean_amount(self):
        """R19: every amount of the budget is positive (财行〔2013〕516号: no trip without a budget)."""
        amount = self.cleaned_data.get("amount")
        if amount is not None and amount <= 0:
            raise forms.ValidationError(_("Each amount of the budget must be more than zero."))
        return amount


class UnitFormSetMixin:
    def __init__(self, *args, unit=None, **kwargs):
        self.unit = unit
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        kwargs["unit"] = self.unit
        return kwargs

    @property
    def empty_form(self):
        form = self.form(auto_id=self.auto_id, prefix=self.add_prefix("__prefix__"), empty_permitted=True,
                         use_required_attribute=False, unit=self.unit, renderer=self.renderer)
        self.add_fields(form, None)
        return form


MemberBase = inlineformset_factory(Trip, Member, form=MemberForm, extra=0, min_num=1, validate_min=True,
                                   can_delete=True)


class MemberFormSet(UnitFormSetMixin, MemberBase):
    def clean(self):
        super().clean()
        people = [f.cleaned_data.get("person") for f in self.forms
                  if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        if len([p for p in people if p]) != len({p.pk for p in people if p}):
            raise forms.ValidationError(_("A person is listed twice in the delegation."))


StopFormSet = inlineformset_factory(Trip, Stop, form=StopForm, extra=0, min_num=1, validate_min=True,
                                    can_delete=True)
# R19: a trip has a budget (at least one item), every amount positive.
BudgetFormSet = inlineformset_factory(Trip, BudgetItem, form=BudgetForm, extra=0, min_num=1, validate_min=True,
                                      can_delete=True)


class ActionForm(forms.Form):
    """A move: the action, the version the user saw, a comment and comments on fields."""

    FIELDS = [("tasks", _("purpose and tasks")), ("members", _("delegation")), ("stops", _("itinerary")),
              ("dates", _("dates")), ("invitation", _("invitation")), ("budget", _("budget"))]
    action = forms.CharField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput)
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, label in self.FIELDS:
            self.fields[f"fc_{key}"] = forms.CharField(label=label, required=False, max_length=1000)

    def field_comments(self):
        return {key: self.cleaned_data[f"fc_{key}"].strip() for key, _label in self.FIELDS
                if self.cleaned_data.get(f"fc_{key}", "").strip()}


class PlanForm(forms.ModelForm):
    class Meta:
        model = AnnualPlan
        fields = ["note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}


class PlannedTripForm(forms.ModelForm):
    class Meta:
        model = PlannedTrip
        fields = ["title", "kind", "countries", "month", "size", "purpose"]
        widgets = {"countries": forms.SelectMultiple(attrs={"size": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["countries"].queryset = Country.objects.exclude(iso2="CN").order_by("name_zh")

    def clean_month(self):
        month = self.cleaned_data.get("month")
        if month is not None and not 1 <= month <= 12:
            raise forms.ValidationError(_("A month is 1 to 12."))
        return month


PlannedTripFormSet = inlineformset_factory(AnnualPlan, PlannedTrip, form=PlannedTripForm, extra=1, can_delete=True)


class PersonForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = ["name_zh", "name_pinyin", "gender", "born_on", "id_number", "post", "rank", "is_leader",
                  "teaching_research", "phone"]
        widgets = {"born_on": DATE}


class PassportForm(forms.ModelForm):
    class Meta:
        model = Passport
        fields = ["person", "kind", "number", "expires_on"]
        widgets = {"expires_on": DATE}

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.filter(unit=unit)


class ReportForm(forms.ModelForm):
    class Meta:
        model = Trip
        fields = ["report", "disclosure"]
        widgets = {"report": forms.Textarea(attrs={"rows": 10}), "disclosure": forms.Textarea(attrs={"rows": 4})}
