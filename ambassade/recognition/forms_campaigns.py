"""The console's forms for a campaign and a challenge.

They only shape the input; the actions validate it (the same rules as the API) and their
errors are put back next to the fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ambassade.content.models import ContentItem
from ambassade.people.models import Department
from ambassade.programs.models import Program
from ambassade.recognition.models import Campaign, ChallengeMetric, ChallengeScope


def _date() -> forms.DateField:
    return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))


def _departments(program: Program) -> list[tuple[int, str]]:
    return list(
        Department.objects.filter(organisation_id=program.organisation_id)
        .order_by("name")
        .values_list("pk", "name")
    )


class CampaignForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    starts_on = _date()
    ends_on = _date()
    items = forms.TypedMultipleChoiceField(
        label=_("Content items"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    target_departments = forms.TypedMultipleChoiceField(
        label=_("Who should relay it"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("No department: everyone enrolled in the program."),
    )
    goal_human_clicks = forms.IntegerField(label=_("Goal of human clicks"))
    goal_conversions = forms.IntegerField(
        label=_("Goal of conversions"), required=False, help_text=_("Optional.")
    )

    def __init__(self, *args: Any, program: Program, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["starts_on"].label = _("First day")
        self.fields["ends_on"].label = _("Last day")
        items = ContentItem.objects.filter(program=program).order_by("-created_at")[:200]
        self.fields["items"].choices = [(item.pk, item.title) for item in items]  # type: ignore[attr-defined]
        self.fields["target_departments"].choices = _departments(program)  # type: ignore[attr-defined]


class ChallengeForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    campaign = forms.TypedChoiceField(
        label=_("Campaign"), coerce=int, required=False, empty_value=None
    )
    metric = forms.ChoiceField(label=_("What counts"), choices=ChallengeMetric.choices)
    scope = forms.ChoiceField(
        label=_("Goal"), choices=ChallengeScope.choices, initial=ChallengeScope.COLLECTIVE
    )
    target = forms.IntegerField(label=_("Target"))
    starts_on = _date()
    ends_on = _date()
    eligible_departments = forms.TypedMultipleChoiceField(
        label=_("Who takes part"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("No department: everyone enrolled in the program."),
    )
    points = forms.IntegerField(label=_("Points for those who complete it"), initial=0)

    def __init__(self, *args: Any, program: Program, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["starts_on"].label = _("First day")
        self.fields["ends_on"].label = _("Last day")
        campaigns = Campaign.objects.filter(program=program, archived=False)
        self.fields["campaign"].choices = [("", _("None: it stands alone"))] + [  # type: ignore[attr-defined]
            (campaign.pk, campaign.name) for campaign in campaigns
        ]
        self.fields["eligible_departments"].choices = _departments(program)  # type: ignore[attr-defined]
