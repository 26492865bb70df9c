"""The admins' webhook pages, in the organisation settings: endpoints and their log."""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ambassade.core.authz import Actor, require
from ambassade.core.forms import add_action_errors
from ambassade.webhooks import actions, selectors
from ambassade.webhooks.forms import EndpointForm

LOG_PAGE_SIZE = 50


def _actor(request: HttpRequest) -> Actor:
    return request.actor  # type: ignore[attr-defined]


def _secret_page(
    request: HttpRequest, endpoint: object, secret: str, rotated: bool
) -> HttpResponse:
    # The secret is in this answer only: never stored in clear, never shown again.
    context = {"endpoint": endpoint, "secret": secret, "rotated": rotated}
    return render(request, "webhooks/secret.html", context)


@require("webhooks.manage")
def endpoints(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    form = EndpointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            endpoint, secret = actions.create_endpoint(actor, **form.values())
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            return _secret_page(request, endpoint, secret, rotated=False)
    context = {"form": form, "endpoints": selectors.endpoints(actor.organisation)}
    return render(request, "webhooks/endpoints.html", context)


@require("webhooks.manage")
def endpoint(request: HttpRequest, endpoint_id: int) -> HttpResponse:
    actor = _actor(request)
    found = selectors.endpoint(actor.organisation, endpoint_id)
    form = EndpointForm(request.POST or None, initial=EndpointForm.initial_of(found))
    if request.method == "POST" and form.is_valid():
        try:
            actions.change_endpoint(actor, found, **form.values())
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("The endpoint is saved."))
            return redirect("webhooks:endpoint", found.pk)
    page = Paginator(selectors.message_log(found), LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"endpoint": found, "form": form, "page": page}
    return render(request, "webhooks/endpoint.html", context)


@require_POST
@require("webhooks.manage")
def switch(request: HttpRequest, endpoint_id: int) -> HttpResponse:
    actor = _actor(request)
    found = selectors.endpoint(actor.organisation, endpoint_id)
    enable = request.POST.get("enabled") == "1"
    try:
        actions.change_endpoint(actor, found, enabled=enable)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(
            request, _("The endpoint is enabled.") if enable else _("The endpoint is disabled.")
        )
    return redirect("webhooks:endpoint", found.pk)


@require_POST
@require("webhooks.manage")
def rotate(request: HttpRequest, endpoint_id: int) -> HttpResponse:
    actor = _actor(request)
    found = selectors.endpoint(actor.organisation, endpoint_id)
    secret = actions.rotate_secret(actor, found)
    return _secret_page(request, found, secret, rotated=True)


@require_POST
@require("webhooks.manage")
def send_test(request: HttpRequest, endpoint_id: int) -> HttpResponse:
    actor = _actor(request)
    found = selectors.endpoint(actor.organisation, endpoint_id)
    try:
        actions.send_test(actor, found)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(request, _("A test event is on its way; its result appears below."))
    return redirect("webhooks:endpoint", found.pk)


@require("webhooks.manage")
def delete(request: HttpRequest, endpoint_id: int) -> HttpResponse:
    actor = _actor(request)
    found = selectors.endpoint(actor.organisation, endpoint_id)
    if request.method == "POST":
        actions.delete_endpoint(actor, found)
        messages.success(request, _("The endpoint is deleted."))
        return redirect("webhooks:endpoints")
    return render(request, "webhooks/delete.html", {"endpoint": found})


@require("webhooks.manage")
def message(request: HttpRequest, endpoint_id: int, message_id: int) -> HttpResponse:
    actor = _actor(request)
    found = selectors.endpoint(actor.organisation, endpoint_id)
    shown = selectors.message(found, message_id)
    context = {
        "endpoint": found,
        "message": shown,
        "body": json.dumps(shown.payload, indent=2, ensure_ascii=False),
        "attempts": shown.tries.all(),
    }
    return render(request, "webhooks/message.html", context)


@require_POST
@require("webhooks.manage")
def replay(request: HttpRequest, endpoint_id: int, message_id: int) -> HttpResponse:
    actor = _actor(request)
    found = selectors.endpoint(actor.organisation, endpoint_id)
    shown = selectors.message(found, message_id)
    try:
        actions.replay(actor, shown)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(request, _("The message is on its way again, with the same id."))
    return redirect("webhooks:message", found.pk, shown.pk)
