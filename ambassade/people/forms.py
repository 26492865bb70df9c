from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from ambassade.accounts.models import User
from ambassade.core.models import Organisation
from ambassade.core.roles import Role, Scope
from ambassade.people.models import (
    Department,
    EmploymentStatus,
    Membership,
    Person,
    SelfAssessment,
    Site,
)


class PreferencesForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["language", "time_zone"]


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100, help_text=_("What the token is for."))
    scopes = forms.MultipleChoiceField(
        label=_("Scopes"),
        choices=Scope.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one scope.")},
    )
    expires_at = forms.DateTimeField(
        label=_("Expires"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text=_("Optional. Empty: until revoked."),
    )
    organisation_wide = forms.BooleanField(
        label=_("Organisation token"),
        required=False,
        help_text=_("Belongs to the organisation rather than to you (admins only)."),
    )

    def __init__(
        self,
        *args: Any,
        organisation_tokens: bool = False,
        allowed_scopes: frozenset[str] = frozenset(Scope.values),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        # Only the scopes the person's roles allow are offered (the action checks again).
        self.fields["scopes"].choices = [  # type: ignore[attr-defined]
            (value, label) for value, label in Scope.choices if value in allowed_scopes
        ]
        if not organisation_tokens:
            del self.fields["organisation_wide"]


def _date_widget() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PersonForm(forms.Form):
    """Create or edit a person; the action validates again and owns the rules."""

    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    email = forms.EmailField(label=_("Work e-mail"))
    job_title = forms.CharField(label=_("Job title"), max_length=150, required=False)
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=Department.objects.none(), required=False
    )
    site = forms.ModelChoiceField(label=_("Site"), queryset=Site.objects.none(), required=False)
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        choices=settings.LANGUAGES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    manager_email = forms.EmailField(
        label=_("Manager's e-mail"),
        required=False,
        help_text=_("The work e-mail of a person of this organisation. Empty: no manager."),
    )
    employment_status = forms.ChoiceField(
        label=_("Employment status"), choices=EmploymentStatus.choices
    )
    start_date = forms.DateField(label=_("Start date"), required=False, widget=_date_widget())
    end_date = forms.DateField(
        label=_("End date"),
        required=False,
        widget=_date_widget(),
        help_text=_("Last working day. The departure runs on its own when it is reached."),
    )
    membership = forms.ChoiceField(
        label=_("Membership"),
        choices=Membership.choices,
        initial=Membership.EMPLOYEE,
        required=False,  # left out: unchanged (an employee when created)
        help_text=_(
            "A partner (an independent seller, a distributor) is no employee: no manager, "
            "department, site nor employee number, and no console role."
        ),
    )

    def __init__(
        self, *args: Any, organisation: Organisation, partner: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        if partner:
            # A partner has no HR data: the form does not ask for it.
            for name in ("department", "site", "manager_email"):
                del self.fields[name]
            return
        field_department = self.fields["department"]
        field_site = self.fields["site"]
        assert isinstance(field_department, forms.ModelChoiceField)
        assert isinstance(field_site, forms.ModelChoiceField)
        field_department.queryset = Department.objects.filter(organisation=organisation)
        field_site.queryset = Site.objects.filter(organisation=organisation)

    @staticmethod
    def initial_for(person: Person) -> dict[str, Any]:
        return {
            "first_name": person.first_name,
            "last_name": person.last_name,
            "email": person.email,
            "job_title": person.job_title,
            "department": person.department_id,
            "site": person.site_id,
            "languages": person.languages,
            "manager_email": person.manager.email if person.manager else "",
            "employment_status": person.employment_status,
            "start_date": person.start_date,
            "end_date": person.end_date,
            "membership": person.membership,
        }

    def clean_manager_email(self) -> Person | None:
        email = self.cleaned_data["manager_email"]
        if not email:
            return None
        manager = Person.objects.filter(
            organisation=self.organisation, email__iexact=email, anonymised_at__isnull=True
        ).first()
        if manager is None:
            raise forms.ValidationError(
                _("Unknown manager: nobody in this organisation has this e-mail.")
            )
        return manager

    def action_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "first_name": data["first_name"],
            "last_name": data["last_name"],
            "email": data["email"],
            "job_title": data["job_title"],
            "department": data["department"].pk if data.get("department") else None,
            "site": data["site"].pk if data.get("site") else None,
            "languages": data["languages"],
            "manager": data["manager_email"].pk if data.get("manager_email") else None,
            "employment_status": data["employment_status"],
            "start_date": data["start_date"],
            "end_date": data["end_date"],
        } | ({"membership": data["membership"]} if data.get("membership") else {})


class DepartmentForm(forms.Form):
    name = forms.CharField(label=_("Department name"), max_length=120)


class SiteForm(forms.Form):
    name = forms.CharField(label=_("Site name"), max_length=120)
    country = forms.CharField(
        label=_("Country"), max_length=2, required=False, help_text=_("ISO code, e.g. FR")
    )


class RolesForm(forms.Form):
    roles = forms.MultipleChoiceField(
        label=_("Console roles"),
        choices=[(role.value, role.label) for role in Role if role != Role.AMBASSADOR],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("The ambassador role comes only from enrolling in a program."),
    )


class HrNoteForm(forms.Form):
    text = forms.CharField(label=_("New note"), widget=forms.Textarea(attrs={"rows": 4}))


_SCORE_CHOICES = [(n, str(n)) for n in range(1, 6)]


class SelfAssessmentForm(forms.Form):
    social_comfort = forms.TypedChoiceField(
        label=_("How comfortable are you with social networks? (1: not at all, 5: very)"),
        choices=_SCORE_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
    )
    motivation = forms.TypedChoiceField(
        label=_("How much would you like to represent the company? (1: not much, 5: a lot)"),
        choices=_SCORE_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
    )
    willingness_to_learn = forms.TypedChoiceField(
        label=_("How willing are you to learn? (1: not much, 5: a lot)"),
        choices=_SCORE_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
    )
    networks = forms.MultipleChoiceField(
        label=_("Networks I use"),
        choices=SelfAssessment.NETWORKS,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    comment = forms.CharField(
        label=_("Anything to add? (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("UTF-8, comma or semicolon separated, at most 5 MB and 20,000 lines."),
    )


class ImportApplyForm(forms.Form):
    only_valid = forms.BooleanField(
        label=_("Import only the valid lines and skip the lines with errors"), required=False
    )


class AlumniForm(forms.Form):
    choice = forms.TypedChoiceField(
        label=_("Would you like to stay an alumni ambassador?"),
        choices=[
            ("yes", _("Yes, I would like to stay an alumni ambassador")),
            ("no", _("No, thank you")),
        ],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )


class CandidateFilterForm(forms.Form):
    min_comfort = forms.TypedChoiceField(
        label=_("Comfort at least"),
        choices=[("", "—"), *_SCORE_CHOICES],
        coerce=int,
        required=False,
        empty_value=None,
    )
    min_motivation = forms.TypedChoiceField(
        label=_("Motivation at least"),
        choices=[("", "—"), *_SCORE_CHOICES],
        coerce=int,
        required=False,
        empty_value=None,
    )
    min_learning = forms.TypedChoiceField(
        label=_("Willingness to learn at least"),
        choices=[("", "—"), *_SCORE_CHOICES],
        coerce=int,
        required=False,
        empty_value=None,
    )
    department = forms.ModelChoiceField(
        label=_("Department"),
        queryset=Department.objects.none(),
        required=False,
        empty_label=_("All"),
    )
    site = forms.ModelChoiceField(
        label=_("Site"), queryset=Site.objects.none(), required=False, empty_label=_("All")
    )
    not_ambassador = forms.BooleanField(label=_("Not yet an ambassador"), required=False)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        choices=[
            ("score", _("Total score")),
            ("motivation", _("Motivation")),
            ("recent", _("Most recent answers")),
            ("name", _("Name")),
        ],
        required=False,
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_department = self.fields["department"]
        field_site = self.fields["site"]
        assert isinstance(field_department, forms.ModelChoiceField)
        assert isinstance(field_site, forms.ModelChoiceField)
        field_department.queryset = Department.objects.filter(organisation=organisation)
        field_site.queryset = Site.objects.filter(organisation=organisation)
