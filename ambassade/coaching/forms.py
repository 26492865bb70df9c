"""The coaching forms: they parse input; the actions decide what is valid."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ambassade.coaching.checklist import ITEMS
from ambassade.coaching.models import ReviewVerdict
from ambassade.core.models import Organisation
from ambassade.people.models import Department, Site


class AskForm(forms.Form):
    text = forms.CharField(
        label=_("Your question"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,  # the action says "write something first"
        max_length=4000,
        help_text=_("Only your coach reads it."),
    )
    screenshot = forms.FileField(
        label=_("A screenshot (optional)"),
        required=False,
        help_text=_("An image, up to 5 MB. It is re-encoded, without its metadata."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/*"}),
    )


class ReplyForm(forms.Form):
    text = forms.CharField(
        label=_("Your reply"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=4000,
    )


def _people_choices(people: Any) -> list[tuple[int, str]]:
    return [(person.pk, f"{person.full_name} ({person.email})") for person in people]


class AssignForm(forms.Form):
    ambassador = forms.TypedChoiceField(label=_("Ambassador"), coerce=int, choices=[])
    coach = forms.TypedChoiceField(label=_("Coach"), coerce=int, choices=[])

    def __init__(self, *args: Any, ambassadors: Any, coaches: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ambassador"].choices = _people_choices(ambassadors)  # type: ignore[attr-defined]
        self.fields["coach"].choices = _people_choices(coaches)  # type: ignore[attr-defined]


class AssignGroupForm(forms.Form):
    coach = forms.TypedChoiceField(label=_("Coach"), coerce=int, choices=[])
    department = forms.MultipleChoiceField(
        label=_("Departments"), required=False, widget=forms.CheckboxSelectMultiple
    )
    site = forms.MultipleChoiceField(
        label=_("Sites"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, organisation: Organisation, coaches: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["coach"].choices = _people_choices(coaches)  # type: ignore[attr-defined]
        self.fields["department"].choices = [  # type: ignore[attr-defined]
            (str(pk), name)
            for pk, name in Department.objects.filter(organisation=organisation).values_list(
                "pk", "name"
            )
        ]
        self.fields["site"].choices = [  # type: ignore[attr-defined]
            (str(pk), name)
            for pk, name in Site.objects.filter(organisation=organisation).values_list("pk", "name")
        ]


class CapacityForm(forms.Form):
    capacity = forms.IntegerField(label=_("Capacity"), min_value=1, max_value=500)


class ReviewForm(forms.Form):
    """One verdict and one comment per item of the checklist."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for code, item in ITEMS.items():
            self.fields[f"verdict_{code}"] = forms.ChoiceField(
                label=str(item.label),
                choices=ReviewVerdict.Verdict.choices,
                widget=forms.RadioSelect,
                required=False,
            )
            self.fields[f"comment_{code}"] = forms.CharField(
                label=_("Comment"),
                required=False,
                max_length=1000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def verdicts(self) -> list[dict[str, str]]:
        return [
            {
                "item": code,
                "verdict": self.cleaned_data.get(f"verdict_{code}") or "",
                "comment": self.cleaned_data.get(f"comment_{code}") or "",
            }
            for code in ITEMS
        ]
