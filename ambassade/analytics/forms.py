"""Forms of the analytics settings page; they only read the input, actions.py holds the rules.

No bounds here: the actions' messages ("at most 1,000", "not in the future") are the ones
people see, on the page as through the API.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ambassade.analytics.value import known_networks
from ambassade.sharing.registry import display_name


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SettingsForm(forms.Form):
    currency = forms.CharField(
        label=_("Currency"),
        max_length=10,
        help_text=_("Three capital letters (ISO 4217), such as EUR, CHF or USD."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "size": 4}),
    )
    small_group = forms.IntegerField(
        label=_("Smallest group shown"),
        help_text=_("From 3 to 50 people."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )


class RateForm(forms.Form):
    """One network's rates; prefixed with the network's code, one form per table row."""

    # Text, not DecimalField: "4,50" is how half the users write it; the action reads both.
    cost_per_click = forms.CharField(
        label=_("Cost per click"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 8}),
    )
    cost_per_mille = forms.CharField(
        label=_("Cost per thousand impressions"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 8}),
    )


class BrandAccountForm(forms.Form):
    # A select, read as text: an unknown code gets the action's message, as in the API.
    network = forms.CharField(label=_("Network"), widget=forms.Select)
    handle = forms.CharField(
        label=_("Account"),
        max_length=200,
        help_text=_("The handle, such as @company, or the name of the company page."),
    )
    followers = forms.IntegerField(
        label=_("Followers"), widget=forms.NumberInput(attrs={"inputmode": "numeric"})
    )
    measured_on = forms.DateField(label=_("Counted on"), widget=_date_input())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["network"].widget.choices = [("", "—")] + [
            (code, display_name(code)) for code in known_networks()
        ]


class FollowersForm(forms.Form):
    """A new count for one account; prefixed with the account's id."""

    followers = forms.IntegerField(
        label=_("Followers"), widget=forms.NumberInput(attrs={"inputmode": "numeric"})
    )
    measured_on = forms.DateField(label=_("Counted on"), widget=_date_input())
