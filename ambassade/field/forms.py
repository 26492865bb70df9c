"""The forms of field reports; the actions check every value again and say what is wrong."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ambassade.core.roles import Role
from ambassade.field.models import OWNER_ROLES, ReportKind, ReportStatus


class ReportForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What are you reporting?"), choices=ReportKind.choices, widget=forms.RadioSelect
    )
    text = forms.CharField(
        label=_("What did you see or hear?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        required=False,  # the action refuses it blank, with its own words
    )
    link = forms.CharField(
        label=_("Link (optional)"),
        required=False,
        max_length=2048,
        widget=forms.URLInput(attrs={"inputmode": "url"}),
    )
    photo = forms.FileField(
        label=_("Photo (optional)"),
        required=False,
        help_text=_("JPEG, PNG, WebP or GIF, 8 MB at most."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/*"}),
    )
    may_contact = forms.BooleanField(label=_("I may be contacted about it"), required=False)
    personal_data = forms.BooleanField(
        label=_("This report contains personal data (such as a customer's name)"),
        required=False,
        help_text=_("Its text, link and photo are then erased some time after it is closed."),
    )


class TriageForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[choice for choice in ReportStatus.choices if choice[0] != ReportStatus.NEW],
    )
    answer = forms.CharField(
        label=_("Answer to the ambassador"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        required=False,
        help_text=_("Required to close the report: useful, not pursued or already reported."),
    )


class ConvertForm(forms.Form):
    value = forms.DecimalField(
        label=_("Value"), min_value=0, max_digits=14, decimal_places=2, localize=True
    )
    currency = forms.CharField(label=_("Currency"), max_length=3, min_length=3, initial="EUR")


class RouteForm(forms.Form):
    role = forms.ChoiceField(
        label=_("Owning role"),
        choices=[(role.value, role.label) for role in Role if role in OWNER_ROLES],
    )
    department = forms.TypedChoiceField(
        label=_("Department"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args: object, departments: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["department"].choices = [("", _("Any department")), *departments]  # type: ignore[attr-defined]


class SettingsForm(forms.Form):
    answer_days = forms.IntegerField(label=_("Answer target (days)"), min_value=1, max_value=60)
    retention_days = forms.IntegerField(
        label=_("Erase personal data this many days after closing"), min_value=1, max_value=3650
    )
