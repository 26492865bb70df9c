"""The organisation form shared by the first-run page and the operator's page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ambassade.core import first_run
from ambassade.people.actions import NewOrganisation, create_organisation


class OrganisationForm(forms.Form):
    organisation = forms.CharField(label=_("Organisation name"), max_length=200)
    admin_name = forms.CharField(label=_("Admin's first and last name"), max_length=200)
    admin_email = forms.CharField(
        label=_("Admin's e-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        choices=settings.LANGUAGES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one language.")},
    )
    default_language = forms.ChoiceField(
        label=_("Default language"),
        choices=settings.LANGUAGES,
        widget=forms.RadioSelect,
        help_text=_("Of messages and of the texts the organisation starts with."),
    )
    time_zone = forms.CharField(
        label=_("Time zone"),
        max_length=64,
        initial="Europe/Paris",
        help_text=_("For example Europe/Paris."),
    )
    password = forms.CharField(
        label=_("Admin's password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password_again = forms.CharField(
        label=_("The same password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    add_another = True
    via = "web"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password") and data.get("password") != data.get("password_again"):
            self.add_error("password_again", _("The two passwords differ."))
        return data

    def save(self) -> NewOrganisation | None:
        """Creates the organisation, or puts the action's messages on their fields."""
        data = self.cleaned_data
        try:
            return create_organisation(
                name=data["organisation"],
                admin_email=data["admin_email"],
                admin_name=data["admin_name"],
                # The action takes the default language first.
                languages=[data["default_language"], *data["languages"]],
                time_zone=data["time_zone"],
                password=data["password"],
                add_another=self.add_another,
                via=self.via,
            )
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                for message in messages:
                    self.add_error(field if field in self.fields else None, message)
            return None


class FirstRunForm(OrganisationForm):
    code = forms.CharField(
        label=_("One-time code"),
        max_length=40,
        help_text=_("Printed in the server's log when it started, e.g. ABCD-EFGH-JKLM."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
    field_order = ["code"]
    add_another = False

    def clean_code(self) -> str:
        code: str = self.cleaned_data["code"]
        if not first_run.check_code(code):
            raise ValidationError(_("This code is not the one in the server's log."))
        return code
