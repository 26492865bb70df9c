from django import forms
from django.utils.translation import gettext_lazy as _

from ambassade.provisioning.models import GroupMapping


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("Which identity provider uses it, e.g. “Entra ID”."),
    )


class MappingForm(forms.Form):
    groups_are = forms.ChoiceField(
        label=_("The identity provider's groups are"),
        choices=GroupMapping.choices,
        widget=forms.RadioSelect,
    )
