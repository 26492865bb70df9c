"""The autopilot's forms: they parse input; the actions decide what is valid."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ambassade.content.models import Channel
from ambassade.people.models import Person
from ambassade.sharing.models import SocialAccount
from ambassade.sharing.registry import display_name
from ambassade.sharing.selectors import accounts_of


class AutopilotForm(forms.Form):
    enabled = forms.BooleanField(label=_("My autopilot is on"), required=False)
    channels = forms.ModelMultipleChoiceField(
        label=_("Channels it follows"),
        queryset=Channel.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Only new items of these channels that are in your feed."),
    )
    accounts = forms.ModelMultipleChoiceField(
        label=_("Accounts it posts on"),
        queryset=SocialAccount.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    template = forms.CharField(
        label=_("My words"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=1000,
        help_text=_(
            "Your message, in your own words: {title} is replaced by the item's title. "
            "The tracked link is always added after your text ({link} marks where you "
            "expect it)."
        ),
    )
    per_week = forms.IntegerField(label=_("Posts a week, at most"), min_value=1, max_value=21)

    def __init__(self, *args: Any, person: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["channels"].queryset = Channel.objects.filter(  # type: ignore[attr-defined]
            organisation_id=person.organisation_id
        )
        self.fields["accounts"].queryset = accounts_of(person)  # type: ignore[attr-defined]
        self.fields["accounts"].label_from_instance = (  # type: ignore[attr-defined]
            lambda account: f"{display_name(account.network)} · {account.handle}"
        )


class EditPostForm(forms.Form):
    message = forms.CharField(
        label=_("Your post"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        max_length=3000,
    )


class AutopilotSettingsForm(forms.Form):
    max_per_week = forms.IntegerField(
        label=_("Autopilot posts per person and week, at most"),
        min_value=0,
        max_value=21,
        help_text=_("0 turns the autopilot off for everyone."),
    )
    preview_hours = forms.IntegerField(
        label=_("Preview window (hours)"),
        min_value=1,
        max_value=168,
        help_text=_("How long people have to edit or cancel a post before it goes out."),
    )
