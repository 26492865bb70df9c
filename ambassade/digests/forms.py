"""The settings form: it parses input; the actions decide what is valid."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ambassade.digests.models import Frequency, Weekday

HOURS = [(hour, f"{hour:02d}:00") for hour in range(24)]


class DigestSettingsForm(forms.Form):
    frequency = forms.ChoiceField(
        label=_("How often"), choices=Frequency.choices, widget=forms.RadioSelect
    )
    weekday = forms.TypedChoiceField(
        label=_("Day (weekly digest)"),
        choices=Weekday.choices,
        coerce=int,
        error_messages={"invalid_choice": _("Choose a day of the week.")},
    )
    hour = forms.TypedChoiceField(
        label=_("Hour, in your time zone"),
        choices=HOURS,
        coerce=int,
        error_messages={"invalid_choice": _("Choose an hour from 0 to 23.")},
    )
