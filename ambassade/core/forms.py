"""Forms of the core console pages."""

from __future__ import annotations

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
