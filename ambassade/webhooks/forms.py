"""Forms of the webhook pages: they parse input; the actions decide what is valid."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ambassade.webhooks.catalogue import type_choices
from ambassade.webhooks.models import WebhookEndpoint


class EndpointForm(forms.Form):
    # A CharField, not a URLField: the action checks the address and says what is wrong.
    url = forms.CharField(
        label=_("Address"),
        max_length=2048,
        help_text=_("The https:// address of the service that receives the events."),
        error_messages={"required": _("Give the address that receives the events (https://…).")},
    )
    description = forms.CharField(label=_("Description"), max_length=200, required=False)
    event_types = forms.MultipleChoiceField(
        label=_("Event types"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None chosen: every type, including those added later."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        types = self.fields["event_types"]
        assert isinstance(types, forms.MultipleChoiceField)
        types.choices = type_choices()

    @staticmethod
    def initial_of(endpoint: WebhookEndpoint) -> dict[str, Any]:
        return {
            "url": endpoint.url,
            "description": endpoint.description,
            "event_types": endpoint.event_types,
        }

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in ("url", "description", "event_types")}
