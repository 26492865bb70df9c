"""Forms of the core console pages."""

from __future__ import annotations

import zoneinfo
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

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
            "time_zone",
            "languages",
        ]

    time_zone = forms.ChoiceField(label=_("Time zone"), choices=[])
    languages = forms.MultipleChoiceField(
        label=_("Enabled languages"),
        choices=settings.LANGUAGES,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The languages of content and mails; the default language is one of them."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = [  # type: ignore[attr-defined]
            (name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())
        ]
        self.fields["brand_colour"].help_text = _(
            "Colour of primary actions in both spaces, for example #1d3f8f. White text on it "
            "must reach a contrast of 4.5:1 (WCAG AA)."
        )
        if not self.instance.languages:
            self.initial["languages"] = [code for code, _name in settings.LANGUAGES]
        self.fields["time_zone"].help_text = _(
            "Dates of the console (audit log, outbox, schedules) and of the mails."
        )


def add_action_errors(
    form: forms.BaseForm, error: Any, aliases: dict[str, str] | None = None
) -> None:
    """Shows an action's ValidationError next to the fields it names (or above the form).

    ``aliases`` maps an action's argument to the form field that holds it
    (``program_id`` → ``program``)."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            name = (aliases or {}).get(field, field)
            for message in messages:
                form.add_error(name if name in form.fields else None, message)
    else:
        for message in error.messages:
            form.add_error(None, message)
