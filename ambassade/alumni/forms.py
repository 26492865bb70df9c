from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ambassade.people.actions.alumni import REASON_LIMIT


class EntryForm(forms.Form):
    listed = forms.BooleanField(
        label=_("Appear in the alumni directory"),
        required=False,
        help_text=_(
            "Other listed alumni, HR and internal communications see your name, the year you "
            "left and what you do now, to invite you to events and reunions."
        ),
    )
    current_role = forms.CharField(
        label=_("What I do now"),
        required=False,
        max_length=150,
        help_text=_("Optional, in your own words (for example: Product manager at Nordlys)."),
    )


class EndOfferForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=REASON_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Kept in the audit log, never shown to the person: they receive a neutral "
            "message that thanks them."
        ),
    )
