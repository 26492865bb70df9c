"""Forms of the program pages; the rules themselves live in actions.py."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from ambassade.core.roles import CONSOLE_ROLES
from ambassade.people.models import Person
from ambassade.programs.models import (
    KINDS_WITH_OWN_CHARTER,
    AmbassadorKind,
    AmbassadorType,
    Enrolment,
    KpiTarget,
    Metric,
    Objective,
    Program,
)


def people_by_email(organisation_id: int, text: str) -> tuple[list[Person], list[str]]:
    """People named by e-mail addresses (any separator); also returns the unknown ones."""
    emails = list(dict.fromkeys(e.lower() for e in re.split(r"[\s,;]+", text or "") if e))
    found = list(
        Person.objects.filter(organisation_id=organisation_id, email__in=emails).select_related(
            "user"
        )
    )
    known = {person.email.lower() for person in found}
    return found, [email for email in emails if email not in known]


class EmailListField(forms.CharField):
    widget = forms.Textarea(attrs={"rows": 4})


class ProgramForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    objectives = forms.MultipleChoiceField(
        label=_("Objectives"),
        choices=Objective.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one objective.")},
    )
    owners = forms.ModelMultipleChoiceField(
        label=_("Owners"),
        queryset=Person.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("People of the console who run the program."),
    )
    working_group = EmailListField(
        label=_("Working group"),
        required=False,
        help_text=_("Work e-mail addresses, one per line."),
    )
    self_service = forms.BooleanField(
        label=_("People may ask to join"),
        required=False,
        help_text=_("Employees see the program in their space and may ask for an invitation."),
    )
    open_to_alumni = forms.BooleanField(
        label=_("Open to alumni"),
        required=False,
        help_text=_("Former employees who stayed alumni ambassadors may be invited to it."),
    )
    status = forms.ChoiceField(label=_("Status"), choices=Program.Status.choices)

    def __init__(self, *args: Any, organisation_id: int, creating: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisation_id = organisation_id
        owners: QuerySet[Person] = (
            Person.objects.filter(
                organisation_id=organisation_id, role_assignments__role__in=CONSOLE_ROLES
            )
            .exclude(employment_status="left")
            .distinct()
        )
        self.fields["owners"].queryset = owners  # type: ignore[attr-defined]
        if creating:
            del self.fields["status"]

    def clean_working_group(self) -> list[Person]:
        people, unknown = people_by_email(
            self.organisation_id, self.cleaned_data.get("working_group", "")
        )
        if unknown:
            raise ValidationError(
                _("Nobody in the organisation has these addresses: %s") % ", ".join(unknown)
            )
        return people


class TargetForm(forms.ModelForm):
    class Meta:
        model = KpiTarget
        fields = ["metric", "target", "period_start", "period_end"]
        widgets = {
            "period_start": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "period_end": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["metric"].choices = Metric.choices  # type: ignore[attr-defined]
        self.fields["target"].widget.attrs["min"] = "0.01"
        self.fields["target"].widget.attrs["step"] = "any"


class CharterForm(forms.Form):
    ambassador_kind = forms.ChoiceField(
        label=_("Charter for"),
        required=False,
        choices=[
            ("", _("Every ambassador of the program")),
            *[
                (kind, label)
                for kind, label in AmbassadorKind.choices
                if kind in KINDS_WITH_OWN_CHARTER
            ],
        ],
        help_text=_("Alumni ambassadors accept a charter of their own."),
    )
    body_fr = forms.CharField(
        label=_("Charter in French"),
        widget=forms.Textarea(attrs={"rows": 14, "lang": "fr", "data-preview": "preview-fr"}),
        required=False,
        help_text=_(
            "Written in Markdown: ## for a heading, - for a list item, **bold**, *italics*, "
            "[a link](https://…); an empty line between paragraphs."
        ),
    )
    body_en = forms.CharField(
        label=_("Charter in English"),
        widget=forms.Textarea(attrs={"rows": 14, "lang": "en", "data-preview": "preview-en"}),
        required=False,
    )
    change_summary = forms.CharField(
        label=_("What changed"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown to ambassadors who accepted an earlier version."),
    )


class InviteForm(forms.Form):
    recipients = forms.ChoiceField(
        label=_("Who to invite"),
        choices=[
            ("emails", _("The people of a list of e-mail addresses")),
            ("audience", _("Everyone in an audience (department, site, segment…)")),
        ],
        initial="emails",
        required=False,  # without a choice: the list of addresses, as before audiences
        widget=forms.RadioSelect,
    )
    emails = EmailListField(
        label=_("People to invite"),
        help_text=_("Work e-mail addresses, one per line."),
        required=False,
    )
    ambassador_type = forms.ModelChoiceField(
        label=_("Invite as"), queryset=AmbassadorType.objects.none(), empty_label=None
    )
    on_request = forms.BooleanField(
        label=_("The person asked for this invitation"),
        required=False,
        help_text=_(
            "Required to invite a de facto representative: the company never contacts them "
            "on its own initiative."
        ),
    )
    campaign_name = forms.CharField(
        label=_("Campaign name"),
        max_length=120,
        required=False,
        help_text=_("Optional. With a name, the invitations form a campaign with reminders."),
    )
    reminder_after_days = forms.IntegerField(
        label=_("Remind after (days)"), min_value=1, max_value=60, initial=7
    )
    max_reminders = forms.IntegerField(
        label=_("Reminders at most"), min_value=0, max_value=5, initial=2
    )

    def __init__(self, *args: Any, organisation_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisation_id = organisation_id
        self.fields["ambassador_type"].queryset = AmbassadorType.objects.filter(  # type: ignore[attr-defined]
            organisation_id=organisation_id
        )
        self.fields["ambassador_type"].label_from_instance = lambda t: t.label  # type: ignore[attr-defined]

    def clean_emails(self) -> list[Person]:
        if self.data.get(self.add_prefix("recipients")) == "audience":
            return []  # the audience chooses the people (see the invitations view)
        people, unknown = people_by_email(self.organisation_id, self.cleaned_data["emails"])
        if unknown:
            raise ValidationError(
                _("Nobody in the organisation has these addresses: %s") % ", ".join(unknown)
            )
        if not people:
            raise ValidationError(_("Choose at least one person to invite."))
        return people


class AmbassadorTypeForm(forms.ModelForm):
    class Meta:
        model = AmbassadorType
        fields = [
            "name",
            "description",
            "required_training",
            "counts_in_evaluation",
            "posting_guidance",
            "may_contact",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "required_training": forms.Textarea(attrs={"rows": 3}),
            "posting_guidance": forms.Textarea(attrs={"rows": 3}),
        }


class AcceptForm(forms.Form):
    accept_charter = forms.BooleanField(
        label=_("I have read and accept the charter"), required=False
    )


class LeaveForm(forms.Form):
    history = forms.ChoiceField(
        label=_("My past contributions"),
        choices=Enrolment.History.choices,
        widget=forms.RadioSelect,
        initial=Enrolment.History.ATTRIBUTED,
    )
    disconnect_accounts = forms.BooleanField(
        label=_("Disconnect my social accounts from Ambassade"), required=False, initial=True
    )


class ReviewForm(forms.Form):
    ambassador_type = forms.ModelChoiceField(
        label=_("My ambassador type"),
        queryset=AmbassadorType.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
    )

    def __init__(self, *args: Any, enrolment: Enrolment, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ids = [i for i in (enrolment.ambassador_type_id, enrolment.suggested_type_id) if i]
        field = self.fields["ambassador_type"]
        field.queryset = AmbassadorType.objects.filter(pk__in=ids)  # type: ignore[attr-defined]
        field.initial = enrolment.ambassador_type_id
        field.label_from_instance = lambda t: t.label  # type: ignore[attr-defined]
