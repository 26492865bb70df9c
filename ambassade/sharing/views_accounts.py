"""“My accounts”: connect (password form or OAuth), disconnect. Generic for every network.

OAuth networks (Mastodon, LinkedIn, X) need no view of their own: they implement
``ConnectsWithOAuth`` in their module, and these two views run the authorisation-code
flow for any of them:

- ``oauth_start`` (POST ``/me/accounts/<code>/connect``, optional field ``instance``
  for Mastodon) generates ``state`` and a PKCE ``code_verifier``, keeps them in the
  session with the network and instance, and redirects to
  ``network.authorization_url(redirect_uri=…, state=…, code_verifier=…, instance=…)``.
  The module derives the S256 challenge from the verifier itself.
- ``oauth_callback`` (GET ``/me/accounts/<code>/callback``) checks ``state``, calls
  ``network.exchange_code(code=…, redirect_uri=…, code_verifier=…, instance=…)`` and
  stores the credentials through ``actions.connect_with_oauth``.

App credentials: ``registry.network_for`` puts the organisation's ``NetworkApp``
(``client_id``, ``client_secret``, edited by admins on the console's sharing settings
page, for LinkedIn and X) into ``network.config``. Mastodon registers Ambassade on each
instance itself (``POST /api/v1/apps``) and caches those app credentials in a model of
its own module (a ``MastodonInstanceApp``-like model owned by the Mastodon module), not
in ``NetworkApp``. A network whose app is not configured should raise ``Rejected`` with
a clear message from ``authorization_url``; the view shows it.
"""

from __future__ import annotations

import secrets

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ambassade.core.authz import Actor, require
from ambassade.people.models import Person
from ambassade.programs.selectors import may_connect
from ambassade.sharing import actions, selectors
from ambassade.sharing.forms import BlueskyConnectForm
from ambassade.sharing.networks.base import (
    REGISTRY,
    ConnectsWithOAuth,
    ConnectsWithPassword,
    NetworkError,
)
from ambassade.sharing.registry import network_for, registered

SESSION_KEY = "sharing_oauth"


def _person(request: HttpRequest) -> tuple[Actor, Person]:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    if actor.person is None:
        raise Http404
    return actor, actor.person


def _callback_url(request: HttpRequest, code: str) -> str:
    return request.build_absolute_uri(reverse("sharing:oauth_callback", args=[code]))


@require("sharing.view_own")
def accounts(request: HttpRequest) -> HttpResponse:
    _actor, person = _person(request)
    networks = [
        {
            "code": network.code,
            "name": network.name,
            "password": issubclass(network, ConnectsWithPassword),
            "oauth": issubclass(network, ConnectsWithOAuth),
            "needs_instance": network.needs_instance,
            "instance_example": getattr(network, "instance_example", ""),
            # Closed with a reason and a link when a gate asks for something first (a
            # training module to pass before connecting this network).
            "decision": may_connect(person, network.code),
        }
        for network in registered()
    ]
    return render(
        request,
        "sharing/accounts.html",
        {
            "accounts": list(selectors.accounts_of(person).defer("secrets")),
            "networks": networks,
            "bluesky_form": BlueskyConnectForm(),
        },
    )


@require("sharing.accounts")
def connect_password(request: HttpRequest, code: str) -> HttpResponse:
    actor, person = _person(request)
    network = REGISTRY.get(code)
    if network is None or not issubclass(network, ConnectsWithPassword):
        raise Http404
    decision = may_connect(person, code)
    if not decision.allowed:
        messages.error(request, decision.reason)
        return redirect("sharing:accounts")
    form = BlueskyConnectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            account = actions.connect_with_password(actor, code, form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error.messages[0])
        else:
            messages.success(request, _("%(handle)s is connected.") % {"handle": account.handle})
            return redirect("sharing:accounts")
    return render(request, "sharing/connect.html", {"form": form, "network": network})


@require_POST
@require("sharing.accounts")
def disconnect(request: HttpRequest, account_id: int) -> HttpResponse:
    actor, person = _person(request)
    account = selectors.account_of(person, account_id)
    actions.disconnect(actor, account)
    messages.success(
        request,
        _("%(handle)s is disconnected; its keys are deleted.") % {"handle": account.handle},
    )
    return redirect("sharing:accounts")


@require_POST
@require("sharing.accounts")
def oauth_start(request: HttpRequest, code: str) -> HttpResponse:
    _actor, person = _person(request)
    if not issubclass(REGISTRY.get(code, object), ConnectsWithOAuth):
        raise Http404
    decision = may_connect(person, code)
    if not decision.allowed:  # refused before the network's site, not after
        messages.error(request, decision.reason)
        return redirect("sharing:accounts")
    network = network_for(person.organisation, code)
    assert isinstance(network, ConnectsWithOAuth)
    instance = request.POST.get("instance", "").strip()[:300]
    state = secrets.token_urlsafe(32)
    verifier = secrets.token_urlsafe(64)  # 86 characters: within PKCE's 43–128
    try:
        url = network.authorization_url(
            redirect_uri=_callback_url(request, code),
            state=state,
            code_verifier=verifier,
            instance=instance,
        )
    except NetworkError as error:
        messages.error(request, error.message)
        return redirect("sharing:accounts")
    request.session[SESSION_KEY] = {
        "network": code,
        "state": state,
        "verifier": verifier,
        "instance": instance,
    }
    return redirect(url)


@require("sharing.accounts")
def oauth_callback(request: HttpRequest, code: str) -> HttpResponse:
    actor, person = _person(request)
    if not issubclass(REGISTRY.get(code, object), ConnectsWithOAuth):
        raise Http404
    pending = request.session.pop(SESSION_KEY, None) or {}
    state = request.GET.get("state", "")
    if (
        pending.get("network") != code
        or not state
        or not secrets.compare_digest(str(pending.get("state", "")), state)
    ):
        messages.error(request, _("This connection attempt expired or was not yours: try again."))
        return redirect("sharing:accounts")
    if "error" in request.GET or not request.GET.get("code"):
        messages.error(request, _("The connection was cancelled on the network's site."))
        return redirect("sharing:accounts")
    network = network_for(person.organisation, code)
    assert isinstance(network, ConnectsWithOAuth)
    try:
        credentials = network.exchange_code(
            code=request.GET["code"],
            redirect_uri=_callback_url(request, code),
            code_verifier=pending["verifier"],
            instance=pending.get("instance", ""),
        )
        account = actions.connect_with_oauth(actor, code, credentials)
    except NetworkError as error:
        messages.error(request, error.message)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("%(handle)s is connected.") % {"handle": account.handle})
    return redirect("sharing:accounts")
