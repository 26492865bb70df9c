"""Forms of the core console pages."""

from __future__ import annotations

from typing import Any

from django import forms

from ambassade.core.models import Organisation


class OrganisationSettingsForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = [
            "name",
            "default_language",
            "brand_colour",
            "departure_notice_days",
            "retention_days_after_departure",
        ]


def add_action_errors(form: forms.BaseForm, error: Any) -> None:
    """Shows an action's ValidationError next to the fields it names (or above the form)."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            for message in messages:
                form.add_error(field if field in form.fields else None, message)
    else:
        for message in error.messages:
            form.add_error(None, message)
