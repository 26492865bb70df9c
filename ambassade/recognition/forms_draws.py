"""The form of a prize draw. It only shapes the input; the actions validate it (the same
rules as the API) and their errors come back next to the fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


def _date(label: Any) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class DrawForm(forms.Form):
    # Not required here: the action says what is missing, with the other mistakes at once.
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    prize = forms.CharField(
        label=_("Prize"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    rules = forms.CharField(
        label=_("Rules"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Shown to everyone before the draw opens; they can't change once published."),
    )
    opens_on = _date(_("Opens on"))
    closes_on = _date(_("Closes on"))
    winners = forms.IntegerField(
        label=_("Winners"), initial=1, required=False, help_text=_("From 1 to 20.")
    )
    cap = forms.IntegerField(
        label=_("Points counted at most"),
        required=False,
        help_text=_("Per person, so that one person can't dominate. Empty: no cap."),
    )
