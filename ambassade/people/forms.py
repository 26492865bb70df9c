from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ambassade.accounts.models import User
from ambassade.core.roles import Scope


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

    def __init__(self, *args: Any, organisation_tokens: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not organisation_tokens:
            del self.fields["organisation_wide"]
