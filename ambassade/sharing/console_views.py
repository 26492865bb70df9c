"""Console: the organisation's pause switch, accounts' health, rules and network apps."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ambassade.core.authz import Actor, allowed, require
from ambassade.sharing import actions, selectors
from ambassade.sharing.forms import NetworkAppForm, PauseForm, SettingsForm
from ambassade.sharing.models import NetworkApp
from ambassade.sharing.registry import registered


@require("sharing.pause")
def console(request: HttpRequest) -> HttpResponse:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    return render(
        request,
        "sharing/console.html",
        {
            "pause": selectors.pause_of(actor.organisation),
            "form": PauseForm(),
            # Handles, networks and health only: never a secret.
            "accounts": list(selectors.organisation_accounts(actor.organisation)[:500]),
            "can_configure": allowed(actor, "sharing.settings"),
        },
    )


@require_POST
@require("sharing.pause")
def pause(request: HttpRequest) -> HttpResponse:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    form = PauseForm(request.POST)
    paused = request.POST.get("paused") == "1"
    actions.set_pause(actor, paused, form.data.get("reason", ""))
    messages.success(
        request,
        _("All publishing is paused.") if paused else _("Publishing resumed."),
    )
    return redirect("sharing:console")


@require("sharing.settings")
def settings_page(request: HttpRequest) -> HttpResponse:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    options = selectors.settings_of(actor.organisation)
    oauth = [(n.code, n.name) for n in registered() if n.uses_organisation_app]
    form = SettingsForm(request.POST if "save_settings" in request.POST else None, instance=options)
    app_form = NetworkAppForm(request.POST if "save_app" in request.POST else None, networks=oauth)
    if request.method == "POST":
        try:
            if "save_settings" in request.POST and form.is_valid():
                actions.update_settings(actor, form.cleaned_data)
                messages.success(request, _("Sharing settings saved."))
                return redirect("sharing:settings")
            if "save_app" in request.POST and app_form.is_valid():
                data = app_form.cleaned_data
                actions.save_network_app(
                    actor, data["network"], data["client_id"], data["client_secret"]
                )
                messages.success(request, _("App saved."))
                return redirect("sharing:settings")
        except ValidationError as error:
            messages.error(request, error.messages[0])
    return render(
        request,
        "sharing/settings.html",
        {
            "form": form,
            "app_form": app_form,
            "apps": list(
                NetworkApp.objects.filter(organisation=actor.organisation).defer("client_secret")
            ),
        },
    )
