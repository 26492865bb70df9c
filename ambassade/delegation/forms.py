"""The delegation forms: they parse input; the actions decide what is valid."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ambassade.sharing.registry import display_name


class GrantForm(forms.Form):
    email = forms.EmailField(
        label=_("Your colleague's work e-mail"),
        max_length=254,
        help_text=_("They can write drafts for you; nothing is posted until you approve it."),
    )


class DraftForm(forms.Form):
    item = forms.TypedChoiceField(label=_("Content to share"), coerce=int)
    text = forms.CharField(
        label=_("The post, in their voice"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,  # the action says "write the post first"
        max_length=3000,
    )
    accounts = forms.TypedMultipleChoiceField(
        label=_("Post on"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    suggested_at = forms.DateTimeField(
        label=_("Suggested time (optional)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        help_text=_("Empty: posted as soon as they approve it."),
    )

    def __init__(self, *args: Any, items: list[Any], accounts: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        item_field: Any = self.fields["item"]
        item_field.choices = [(item.pk, item.title) for item in items]
        accounts_field: Any = self.fields["accounts"]
        # Network and handle only: a delegate never sees more of an account.
        accounts_field.choices = [
            (account.pk, f"{display_name(account.network)} · {account.handle}")
            for account in accounts
        ]


class ApproveForm(forms.Form):
    text = forms.CharField(
        label=_("The post"),
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
        max_length=3000,
        help_text=_("Change it as you like before approving."),
    )
    accept_similar = forms.BooleanField(
        label=_("I have read the warning and still want to post it as it is"),
        required=False,
    )


class RefuseForm(forms.Form):
    note = forms.CharField(
        label=_("A word for your delegate (optional)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=500,
    )
