"""Forms of the contributions pages: they parse input; the actions decide what is valid."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ambassade.contributions.models import Contribution, Kind
from ambassade.contributions.report import FORMATS
from ambassade.core.forms import add_action_errors
from ambassade.programs.models import Enrolment

MALFORMED_DATE = _("Give a date such as 2026-03-31.")


def _date_field(label: Any) -> forms.DateField:
    return forms.DateField(
        label=label,
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": MALFORMED_DATE, "required": MALFORMED_DATE},
    )


class ContributionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        error_messages={"required": _("Give the contribution a title.")},
    )
    occurred_on = _date_field(_("Date"))
    program = forms.TypedChoiceField(
        label=_("Program"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_("Leave empty if it served no program in particular."),
    )
    url = forms.CharField(
        label=_("Link"),
        required=False,
        max_length=2048,
        widget=forms.URLInput(),
        help_text=_("The article, the video of the talk, the event's page (optional)."),
    )
    audience = forms.CharField(
        label=_("Audience"),
        required=False,
        max_length=200,
        help_text=_("Who it was for: a conference, a school, a team (optional)."),
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, person: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        enrolments = Enrolment.objects.filter(person=person).select_related("program")
        field = self.fields["program"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", "—")] + [
            (enrolment.program_id, enrolment.program.name)
            for enrolment in enrolments.order_by("program__name")
        ]

    @staticmethod
    def initial_of(contribution: Contribution) -> dict[str, Any]:
        return {
            "kind": contribution.kind,
            "title": contribution.title,
            "occurred_on": contribution.occurred_on,
            "program": contribution.program_id,
            "url": contribution.url,
            "audience": contribution.audience,
            "notes": contribution.notes,
        }

    def values(self) -> dict[str, Any]:
        """The cleaned data under the names of the actions."""
        data = dict(self.cleaned_data)
        data["program_id"] = data.pop("program")
        return data


def add_errors(form: forms.Form, error: ValidationError) -> None:
    """Puts an action's per-field messages next to the fields that caused them."""
    add_action_errors(form, error, aliases={"program_id": "program"})


class ReportForm(forms.Form):
    """Only chooses what to download; the download URL checks everything again."""

    program = forms.ChoiceField(label=_("Program"))
    start = _date_field(_("From"))
    end = _date_field(_("To"))
    format = forms.ChoiceField(
        label=_("Format"),
        choices=[(value, value.upper()) for value in FORMATS],
        widget=forms.RadioSelect,
        initial="pdf",
    )

    def __init__(self, *args: Any, enrolments: list[Enrolment], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["program"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(enrolment.program_id, enrolment.program.name) for enrolment in enrolments]
