"""The tracking settings form of the console."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import models

from ambassade.tracking.actions import SETTINGS_FIELDS
from ambassade.tracking.models import TrackingSettings


def _formfield(field: models.Field, **kwargs: Any) -> forms.Field | None:
    if isinstance(field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return field.formfield(**kwargs)


class TrackingSettingsForm(forms.ModelForm):
    class Meta:
        model = TrackingSettings
        fields = list(SETTINGS_FIELDS)
        formfield_callback = _formfield
