"""The forms of problem reports; the actions check every value again and say what is wrong."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ambassade.incidents.models import ProblemKind, Severity


class ReportForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What happened?"), choices=ProblemKind.choices, widget=forms.RadioSelect
    )
    severity = forms.ChoiceField(
        label=_("How serious is it?"),
        choices=Severity.choices,
        widget=forms.RadioSelect,
        help_text=_("Critical: it spreads now, or a journalist or a lawyer is involved."),
    )
    description = forms.CharField(
        label=_("Describe it"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        required=False,  # the action refuses it blank, with its own words
    )
    link = forms.CharField(
        label=_("Link to the post, reply or article"),
        required=False,
        max_length=2048,
        widget=forms.URLInput(attrs={"inputmode": "url"}),
    )
    screenshot = forms.FileField(
        label=_("Screenshot"),
        required=False,
        help_text=_("JPEG, PNG, WebP or GIF, 8 MB at most."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/*"}),
    )
    coach_may_delete = forms.BooleanField(label=_("My coach may delete the post"), required=False)

    def __init__(self, *args: object, about_a_post: bool, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if not about_a_post:
            del self.fields["coach_may_delete"]


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000, required=False
    )


class ResolveForm(forms.Form):
    resolution = forms.CharField(
        label=_("How it was resolved"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        required=False,
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(label=_("Why reopen it?"), max_length=5000, required=False)


class SettingsForm(forms.Form):
    critical_minutes = forms.IntegerField(
        label=_("Critical: answer within (minutes)"), min_value=5, max_value=10080
    )
    high_minutes = forms.IntegerField(
        label=_("High: answer within (minutes)"), min_value=5, max_value=10080
    )
    low_working_days = forms.IntegerField(
        label=_("Low: answer within (working days)"), min_value=1, max_value=30
    )
