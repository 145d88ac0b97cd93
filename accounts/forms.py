"""Registering an applicant unit and its first clerk, once."""

from django import forms
from django.contrib.auth.forms import BaseUserCreationForm
from django.utils.translation import gettext_lazy as _

from geo.divisions import home_division
from geo.models import Division

from .models import Role, Unit, User


class UnitRegistrationForm(BaseUserCreationForm):
    unit_name = forms.CharField(label=_("Name of the unit"), max_length=200)
    unit_name_en = forms.CharField(label=_("English name of the unit"), max_length=250, required=False)
    kind = forms.ChoiceField(label=_("Kind of unit"), choices=Unit.Kind.choices)
    credit_code = forms.RegexField(label=_("Unified social credit code"), regex=r"^[0-9A-HJ-NPQRTUWXY]{18}$",
                                   error_messages={"invalid": _("A unified social credit code has 18 characters.")})
    jurisdiction = forms.ModelChoiceField(label=_("Jurisdiction"), queryset=Division.objects.none(),
                                          empty_label=_("(choose)"),
                                          help_text=_("Where the unit is registered; that office handles it."))
    competent = forms.ModelChoiceField(label=_("Competent department"), queryset=Unit.objects.none(),
                                       required=False, empty_label=_("(none)"))

    class Meta:
        model = User
        fields = ["username", "first_name", "email"]
        labels = {"first_name": _("Your name"), "email": _("E-mail")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jurisdiction"].queryset = Division.objects.filter(
            code__startswith=home_division().prefix).order_by("code")
        self.fields["competent"].queryset = Unit.objects.filter(kind=Unit.Kind.DEPARTMENT, active=True)
        self.fields["email"].required = True
        self.fields["first_name"].required = True

    def clean_unit_name(self):
        name = self.cleaned_data["unit_name"].strip()
        if Unit.objects.filter(name_zh=name).exists():
            raise forms.ValidationError(_("This unit is registered already: ask its clerk or the foreign affairs "
                                          "office for an account."))
        return name

    def clean_credit_code(self):
        code = self.cleaned_data["credit_code"].upper()
        if Unit.objects.filter(credit_code=code).exists():
            raise forms.ValidationError(_("A unit with this credit code is registered already."))
        return code

    def save(self, commit=True):
        unit = Unit.objects.create(
            name_zh=self.cleaned_data["unit_name"], name_en=self.cleaned_data["unit_name_en"],
            kind=self.cleaned_data["kind"], credit_code=self.cleaned_data["credit_code"],
            jurisdiction=self.cleaned_data["jurisdiction"], competent=self.cleaned_data["competent"],
            active=False,
        )
        user = super().save(commit=False)
        user.role = Role.CLERK
        user.unit = unit
        user.jurisdiction = unit.jurisdiction
        user.is_active = False  # until the foreign affairs office checks the unit
        user.save()
        return user
