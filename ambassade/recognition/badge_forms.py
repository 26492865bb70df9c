"""The forms of badges: the console's badge form and the person's choice to show theirs.

They only shape the input; the actions validate it (the same rules as the API) and their
errors are put back next to the fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ambassade.recognition.models import Criterion


class BadgeForm(forms.Form):
    # Not required here: the action says what is missing, in the same words as the API.
    name = forms.CharField(label=_("Name"), required=False, max_length=200)
    description = forms.CharField(
        label=_("What it celebrates"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    criterion = forms.ChoiceField(label=_("Earned by"), choices=Criterion.choices)
    threshold = forms.IntegerField(
        label=_("How many times"),
        initial=1,
        help_text=_("For example 10 shares in the last 90 days; 1 for a first time."),
    )
    image = forms.FileField(
        label=_("Image (JPEG, PNG, WebP or GIF, 8 MB at most)"),
        required=False,
        help_text=_("Its metadata (such as a photo's location) is removed."),
    )

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "name": data.get("name", ""),
            "description": data.get("description", ""),
            "criterion": data.get("criterion"),
            "threshold": data.get("threshold"),
        }

    def image_bytes(self) -> bytes | None:
        upload = self.cleaned_data.get("image")
        return upload.read() if upload else None


class ShowBadgesForm(forms.Form):
    show_badges = forms.BooleanField(label=_("Show my badges to colleagues"), required=False)
