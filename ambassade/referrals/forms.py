"""The referral form: it parses input; the action decides what is valid."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class ReferForm(forms.Form):
    name = forms.CharField(
        label=_("Their name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    email = forms.EmailField(
        label=_("Their e-mail address"),
        max_length=254,
        help_text=_(
            "They get one e-mail, and only one, asking them to confirm. Nothing is kept if "
            "they say no or do not answer."
        ),
        widget=forms.EmailInput(attrs={"autocomplete": "off", "inputmode": "email"}),
    )
    note = forms.CharField(
        label=_("A short note for HR (optional)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why you think of them. The candidate does not see it."),
    )
