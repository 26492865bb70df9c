"""The preferences form: a checkbox per kind and channel, quiet hours and caps.

Checkbox names are ``<kind>__<channel>``; the list of kinds sent (``kinds``) says which
rows the page showed, so an unchecked box means "off" and an unknown kind is refused.
"""

from __future__ import annotations

from datetime import time
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from ambassade.notifications import kinds
from ambassade.notifications.models import Settings


class SettingsForm(forms.Form):
    quiet_start = forms.TimeField(
        label=_lazy("Quiet hours from"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    quiet_end = forms.TimeField(
        label=_lazy("Quiet hours until"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    daily_cap = forms.IntegerField(
        label=_lazy("Messages a day at most"), min_value=0, max_value=100
    )
    weekly_cap = forms.IntegerField(
        label=_lazy("Messages a week at most"), min_value=0, max_value=100
    )

    @staticmethod
    def initial_of(saved: Settings) -> dict[str, Any]:
        return {
            "quiet_start": saved.quiet_start,
            "quiet_end": saved.quiet_end,
            "daily_cap": saved.daily_cap,
            "weekly_cap": saved.weekly_cap,
        }


def read_choices(data: QueryDict) -> tuple[dict[tuple[str, str], bool], list[str]]:
    """(kind x channel -> on, errors) from the posted table."""
    errors: list[str] = []
    shown = data.getlist("kinds")
    channels = kinds.channel_names()
    choices: dict[tuple[str, str], bool] = {}
    for code in shown:
        if code not in kinds.KINDS:
            errors.append(_("Unknown kind of notification: %s") % code)
            continue
        for channel in channels:
            choices[(code, channel)] = data.get(f"{code}__{channel}") == "on"
    for name in data:
        if "__" in name:
            code, channel = name.split("__", 1)
            if code not in kinds.KINDS:
                errors.append(_("Unknown kind of notification: %s") % code)
            elif channel not in channels:
                errors.append(_("Unknown channel: %s") % channel)
    return choices, sorted(set(errors))


def quiet_times(form: SettingsForm) -> tuple[time, time]:
    return form.cleaned_data["quiet_start"], form.cleaned_data["quiet_end"]
