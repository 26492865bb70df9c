"""The provisioning pages of the console: tokens and the group mapping (admins), and the
report of what the identity provider did (admins and HR). Thin: the actions decide."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ambassade.core.authz import Actor, allowed, require
from ambassade.provisioning import actions
from ambassade.provisioning.actions.console import settings_of
from ambassade.provisioning.forms import MappingForm, TokenForm
from ambassade.provisioning.models import Outcome, ProvisioningEvent, ProvisioningToken

REPORT_LENGTH = 100


def _actor(request: HttpRequest) -> Actor:
    return request.actor  # type: ignore[attr-defined]


@require("provisioning.manage")
def console(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    settings = settings_of(actor.organisation)
    token_form = TokenForm(request.POST if "create_token" in request.POST else None)
    mapping_form = MappingForm(
        request.POST if "save_mapping" in request.POST else None,
        initial={"groups_are": settings.groups_are},
    )
    secret = None
    if "create_token" in request.POST and token_form.is_valid():
        try:
            token, secret = actions.create_token(actor, token_form.cleaned_data["name"])
        except ValidationError as error:
            for problem in error.messages:
                token_form.add_error("name", problem)
        else:
            messages.success(
                request,
                _("Token “%s” created. Copy it now: it will not be shown again.") % token.name,
            )
            token_form = TokenForm()
    if "save_mapping" in request.POST and mapping_form.is_valid():
        actions.set_group_mapping(actor, mapping_form.cleaned_data["groups_are"])
        messages.success(request, _("Saved."))
        return redirect("provisioning:console")
    return render(
        request,
        "provisioning/console.html",
        {
            "token_form": token_form,
            "mapping_form": mapping_form,
            "secret": secret,
            "tokens": ProvisioningToken.objects.filter(organisation=actor.organisation),
            "base_url": request.build_absolute_uri(reverse("scim:root")),
        },
    )


@require_POST
@require("provisioning.manage")
def revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    actor = _actor(request)
    token = get_object_or_404(ProvisioningToken, organisation=actor.organisation, pk=token_id)
    actions.revoke_token(actor, token)
    messages.success(request, _("Token “%s” revoked.") % token.name)
    return redirect("provisioning:console")


@require("provisioning.report")
def report(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    events = ProvisioningEvent.objects.filter(organisation=actor.organisation).select_related(
        "token"
    )
    outcome = request.GET.get("outcome", "")
    if outcome in Outcome.values:
        events = events.filter(outcome=outcome)
    return render(
        request,
        "provisioning/report.html",
        {
            "events": events[:REPORT_LENGTH],
            "outcomes": Outcome.choices,
            "outcome": outcome,
            "can_manage": allowed(actor, "provisioning.manage"),
        },
    )
