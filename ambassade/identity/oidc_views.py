"""OpenID Connect endpoints of one connection: the start of a sign-in, and the redirect
URI the provider sends the person back to. Thin: the checks live in ``oidc``."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from ambassade.core.authz import allowed
from ambassade.identity import completion, oidc
from ambassade.identity.models import Connection, Protocol
from ambassade.identity.refusals import Refused


def _connection(pk: int) -> Connection:
    return get_object_or_404(
        Connection.objects.select_related("organisation"), pk=pk, protocol=Protocol.OIDC
    )


def _may_test(request: HttpRequest, connection: Connection) -> bool:
    actor = getattr(request, "actor", None)
    return (
        actor is not None
        and actor.organisation.pk == connection.organisation_id
        and allowed(actor, "identity.manage")
    )


@require_GET
def start(request: HttpRequest, pk: int) -> HttpResponse:
    """A sign-in (``?next=`` kept for the way back), or with ``?test=1`` an admin's test
    of the connection, even switched off."""
    connection = _connection(pk)
    mode = completion.SIGN_IN
    if request.GET.get("test") == "1":
        if not _may_test(request, connection):
            raise PermissionDenied
        mode = completion.TEST
    elif not connection.enabled:
        return completion.fail(request, connection, Refused("disabled"), mode=mode)
    try:
        return oidc.start(request, connection, mode=mode, next_url=request.GET.get("next", ""))
    except Refused as refusal:  # the provider could not even be asked
        return completion.fail(request, connection, refusal, mode=mode)


@require_GET
def callback(request: HttpRequest, pk: int) -> HttpResponse:
    return oidc.callback(request, _connection(pk))
