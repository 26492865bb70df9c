from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from ambassade.sharing import dates
from ambassade.sharing.models import SharingSettings
from ambassade.sharing.registry import display_name


class ComposerForm(forms.Form):
    message = forms.CharField(
        label=_("Your message"), widget=forms.Textarea(attrs={"rows": 8}), max_length=3000
    )
    accounts = forms.TypedMultipleChoiceField(
        label=_("Post on"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    links = forms.MultipleChoiceField(
        label=_("Or open a share link"), required=False, widget=forms.CheckboxSelectMultiple
    )
    # Two text fields read in the person's language (no browser-dependent mm/dd/yyyy);
    # ``clean`` joins them into ``at``, naive, in the person's time zone.
    day = forms.CharField(label=_("Date"), required=False, max_length=20)
    time = forms.CharField(label=_("Time of day"), required=False, max_length=10)
    # ISO "2026-12-30T14:30", for clients that send one value (not shown on the page).
    at = forms.DateTimeField(
        required=False,
        widget=forms.HiddenInput,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
    )
    accept_similar = forms.BooleanField(
        label=_("I have read the suggestion above and still want to post it as it is"),
        required=False,
    )

    def __init__(self, *args: Any, accounts: list[Any], links: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        accounts_field: Any = self.fields["accounts"]
        accounts_field.choices = [
            (account.pk, f"{display_name(account.network)} · {account.handle}")
            for account in accounts
        ]
        links_field: Any = self.fields["links"]
        links_field.choices = [(code, display_name(code)) for code in links]
        for name, hint in (("day", dates.day_hint()), ("time", dates.time_hint())):
            self.fields[name].widget.attrs.update(
                {
                    "lang": get_language() or "en",
                    "autocomplete": "off",
                    "aria-describedby": f"id_{name}_hint",
                    "size": 10,
                }
            )
            self.fields[name].help_text = hint

    def clean(self) -> dict[str, Any]:
        return join_day_and_time(self, super().clean() or {})


def join_day_and_time(form: forms.Form, data: dict[str, Any]) -> dict[str, Any]:
    """The typed date and time as ``at`` (naive: the person's time zone)."""
    day, moment = data.get("day", "").strip(), data.get("time", "").strip()
    if not day and not moment:
        return data
    parsed_day, parsed_time = dates.parse_day(day), dates.parse_time(moment)
    if parsed_day is None:
        form.add_error("day", _("Write the date as %(hint)s.") % {"hint": dates.day_hint()})
    if parsed_time is None:
        form.add_error("time", _("Write the time as %(hint)s.") % {"hint": dates.time_hint()})
    if parsed_day is not None and parsed_time is not None:
        data["at"] = datetime.combine(parsed_day, parsed_time)
    return data


class RescheduleForm(forms.Form):
    """A returned post planned again (My posts): a date and a time, or the next slot."""

    day = forms.CharField(label=_("Date"), required=False, max_length=20)
    time = forms.CharField(label=_("Time of day"), required=False, max_length=10)
    when = forms.ChoiceField(
        choices=[("schedule", "schedule"), ("now", "now"), ("queue", "queue")],
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        return join_day_and_time(self, super().clean() or {})


class BlueskyConnectForm(forms.Form):
    handle = forms.CharField(label=_("Handle"), max_length=253, help_text=_("alice.bsky.social"))
    app_password = forms.CharField(
        label=_("App password"),
        max_length=100,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
        help_text=_("Create one in Bluesky: Settings, Privacy and security, App passwords."),
    )
    pds_url = forms.URLField(
        label=_("Server"),
        initial="https://bsky.social",
        required=False,
        max_length=300,
        assume_scheme="https",
    )


class SettingsForm(forms.ModelForm):
    class Meta:
        model = SharingSettings
        fields = [
            "similarity_threshold",
            "similarity_mode",
            "stagger_minutes",
            "daily_cap",
            "quiet_start",
            "quiet_end",
        ]
        widgets = {
            "quiet_start": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "quiet_end": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }


class NetworkAppForm(forms.Form):
    network = forms.ChoiceField(label=_("Network"))
    client_id = forms.CharField(label=_("Client id"), max_length=300)
    client_secret = forms.CharField(
        label=_("Client secret"),
        max_length=300,
        required=False,
        widget=forms.PasswordInput,
        help_text=_("Never shown again. Leave empty to keep the one saved."),
    )

    def __init__(self, *args: Any, networks: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        network_field: Any = self.fields["network"]
        network_field.choices = networks


class PauseForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (shown to ambassadors)"), max_length=300, required=False
    )
