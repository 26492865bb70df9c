"""The page "This device": turn notifications on or off on the browser in hand, and the
list of one's devices (each can be removed, without JavaScript).

The browser's subscription can only be made by script (``static/push/device.js``): it
fills the hidden form below and submits it, so the answer (success or a clear error) is
an ordinary page.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ambassade.core.authz import Actor, require
from ambassade.people.models import Person
from ambassade.push import actions, vapid
from ambassade.push.models import PushSubscription


def _person(actor: Actor) -> Person:
    if actor.person is None:
        raise Http404
    return actor.person


def _page(request: HttpRequest, errors: list[str] | None = None, status: int = 200) -> HttpResponse:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    context = {
        "devices": PushSubscription.objects.filter(
            person=_person(actor), organisation=actor.organisation
        ),
        "public_key": vapid.public_key(),
        "errors": errors or [],
    }
    return render(request, "push/device.html", context, status=status)


@require("push.manage_own")
def device(request: HttpRequest) -> HttpResponse:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    if request.method != "POST":
        return _page(request)
    try:
        actions.subscribe(
            actor,
            endpoint=request.POST.get("endpoint", ""),
            p256dh=request.POST.get("p256dh", ""),
            auth=request.POST.get("auth", ""),
            user_agent=request.headers.get("User-Agent", ""),
        )
    except ValidationError as error:
        return _page(request, [m for ms in error.message_dict.values() for m in ms], status=422)
    messages.success(request, _("This device will receive your notifications."))
    return redirect("push:device")


@require_POST
@require("push.manage_own")
def stop(request: HttpRequest) -> HttpResponse:
    """This browser stopped its subscription: forget its endpoint (sent by the script)."""
    actor: Actor = request.actor  # type: ignore[attr-defined]
    subscription = PushSubscription.objects.filter(
        person=_person(actor), endpoint=request.POST.get("endpoint", "").strip()
    ).first()
    if subscription is not None:
        actions.unsubscribe(actor, subscription)
    messages.success(request, _("This device will no longer receive your notifications."))
    return redirect("push:device")


@require_POST
@require("push.manage_own")
def remove(request: HttpRequest, subscription_id: int) -> HttpResponse:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    subscription = get_object_or_404(PushSubscription, person=_person(actor), pk=subscription_id)
    actions.unsubscribe(actor, subscription)
    messages.success(
        request,
        _("%(device)s will no longer receive your notifications.") % {"device": subscription},
    )
    return redirect("push:device")
