"""The admins' page for the organisation's two-factor policy."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ambassade.accounts import actions
from ambassade.accounts.models import TwoFactorPolicy
from ambassade.core.authz import Actor, require
from ambassade.core.forms import add_action_errors


class TwoFactorPolicyForm(forms.ModelForm):
    class Meta:
        model = TwoFactorPolicy
        fields = ["required_for_console", "grace_days"]


@require("organisation.settings")
def two_factor_policy(request: HttpRequest) -> HttpResponse:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    policy = actions.policy_for(actor.organisation)
    form = TwoFactorPolicyForm(request.POST or None, instance=policy)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_two_factor_policy(
                actor, {name: form.cleaned_data[name] for name in form.fields}
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("The two-factor policy is saved."))
            return redirect("accounts_console:two_factor_policy")
    return render(request, "accounts/two_factor_policy.html", {"form": form, "policy": policy})
