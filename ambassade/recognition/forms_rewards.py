"""The forms of the rewards pages. They only shape the input; the actions validate it
(the same rules as the API) and their errors come back next to the fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ambassade.programs.models import Program


class RewardForm(forms.Form):
    # Not required here: the action says what is missing, with the other mistakes at once.
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the person receives, and how it reaches them."),
    )
    cost = forms.IntegerField(
        label=_("Cost (points)"), required=False, help_text=_("From 1 to 1,000,000.")
    )
    stock = forms.IntegerField(
        label=_("Stock"),
        initial=0,
        required=False,
        help_text=_("The number still available, up to 100,000."),
    )
    eligible = forms.MultipleChoiceField(
        label=_("Programs"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Only the people actively enrolled in one of them may request it. "
            "None ticked: every ambassador of the organisation."
        ),
    )

    def __init__(self, *args: Any, programs: list[Program], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["eligible"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(str(program.pk), program.name) for program in programs]

    def values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["eligible"] = [int(pk) for pk in data["eligible"]]
        return data


class RequestForm(forms.Form):
    note = forms.CharField(
        label=_("A note for the team (optional)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("A size, a colour, where to send it."),
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Answer to the person (optional)"), required=False, max_length=500
    )
