"""The audience chooser: one group of checkboxes per criterion, and saved segments."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ambassade.core.models import Organisation
from ambassade.people import audiences
from ambassade.people.models import SavedSegment


class AudienceForm(forms.Form):
    """Ticked values of each criterion, optionally narrowed from a saved segment.

    ``audience()`` is the segment's criteria with the ticked ones added (each criterion
    ticked replaces the segment's for that criterion)."""

    segment = forms.ModelChoiceField(
        label=_("Saved segment"),
        queryset=SavedSegment.objects.none(),
        required=False,
        empty_label=_("None"),
    )

    def __init__(
        self, *args: Any, organisation: Organisation, with_segment: bool = True, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        if with_segment:
            self.fields["segment"].queryset = SavedSegment.objects.filter(  # type: ignore[attr-defined]
                organisation=organisation
            )
        else:
            del self.fields["segment"]
        for key, criterion in audiences.CRITERIA.items():
            choices = criterion.choices(organisation)
            if not choices:
                continue
            self.fields[key] = forms.MultipleChoiceField(
                label=str(criterion.label),
                choices=choices,
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        segment = data.get("segment")
        chosen: dict[str, list[str]] = dict(segment.criteria) if segment else {}
        for key in audiences.CRITERIA:
            if data.get(key):
                chosen[key] = data[key]
        try:
            self._audience = audiences.clean(self.organisation, chosen)
        except ValidationError as error:
            # A segment saved before a department was deleted: say so, do not widen it.
            raise ValidationError(
                _("The segment names choices that no longer exist: edit it.")
            ) from error
        return data

    def audience(self) -> audiences.Audience:
        return self._audience

    def criterion_fields(self) -> list[forms.BoundField]:
        return [self[key] for key in audiences.CRITERIA if key in self.fields]


class SegmentForm(AudienceForm):
    name = forms.CharField(label=_("Name of the segment"), max_length=120)

    field_order = ["name"]

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, organisation=organisation, with_segment=False, **kwargs)
