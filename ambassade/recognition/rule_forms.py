"""The console's form of one point rule. It only shapes the input; the action validates
it (the same rules as the API) and its errors are put back next to the fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ambassade.recognition.models import PointRule, RuleKind


class RuleForm(forms.Form):
    # Whole numbers only here; the limits (and a clear word about negative points) are
    # the action's.
    points = forms.IntegerField(label=_("Points"))
    daily_cap = forms.IntegerField(
        label=_("At most a day"), required=False, help_text=_("Empty: no cap.")
    )
    milestone = forms.IntegerField(label=_("Every (human clicks)"), required=False)
    enabled = forms.BooleanField(label=_("In use"), required=False)

    def __init__(self, *args: Any, rule: PointRule, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", rule.kind)
        kwargs.setdefault(
            "initial",
            {
                "points": rule.points,
                "daily_cap": rule.daily_cap,
                "milestone": rule.milestone,
                "enabled": rule.enabled,
            },
        )
        super().__init__(*args, **kwargs)
        self.rule = rule
        if rule.kind != RuleKind.CLICKS:
            del self.fields["milestone"]
