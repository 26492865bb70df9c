"""The boards' forms: my choices, the organisation's setting, the executives' board."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ambassade.recognition.models import RecognitionSettings


class ChoicesForm(forms.Form):
    on_boards = forms.BooleanField(
        label=_("Show my name and my points on the boards"),
        required=False,
        help_text=_(
            "Off: you appear nowhere by name, your points only count in your team's "
            "average. You always see your own band. You can change this at any time."
        ),
    )
    show_badges = forms.BooleanField(label=_("Show my badges on my page"), required=False)


class BoardsSettingForm(forms.Form):
    boards = forms.ChoiceField(
        label=_("What people see"),
        choices=RecognitionSettings.Boards.choices,
        widget=forms.RadioSelect,
    )


class ExecutiveForm(forms.Form):
    email = forms.EmailField(
        label=_("Work e-mail of the person"),
        help_text=_("Executives are compared among themselves, and in no team."),
    )
