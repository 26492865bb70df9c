"""The admins' organisation settings page."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ambassade.core import actions
from ambassade.core.authz import Actor, require
from ambassade.core.forms import OrganisationSettingsForm, add_action_errors
from ambassade.core.models import Organisation


@require("organisation.settings")
def organisation_settings(request: HttpRequest) -> HttpResponse:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    # A fresh copy: the form must not change the organisation the actor holds on failure.
    organisation = Organisation.objects.get(pk=actor.organisation.pk)
    form = OrganisationSettingsForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_organisation_settings(
                actor, {name: form.cleaned_data[name] for name in form.fields}
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("The settings are saved."))
            return redirect("console:settings")
    return render(request, "core/organisation_settings.html", {"form": form})
