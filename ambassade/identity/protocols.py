"""One door to both protocols: start a sign-in (or an admin's test) through a connection,
and the address that ends the provider's session too, when it offers one.

The protocol modules are imported when first used: pysaml2 is not needed by an instance
that never signs in through SAML.
"""

from __future__ import annotations

from importlib import import_module
from types import ModuleType

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ambassade.identity.models import Connection, Protocol


def _module(connection: Connection) -> ModuleType:
    name = "oidc" if connection.protocol == Protocol.OIDC else "saml"
    return import_module(f"ambassade.identity.{name}")


def start(
    request: HttpRequest, connection: Connection, *, mode: str, next_url: str = ""
) -> HttpResponse:
    response: HttpResponse = _module(connection).start(
        request, connection, mode=mode, next_url=next_url
    )
    return response


def leave_for_provider(
    request: HttpRequest, connection: Connection, response: HttpResponse
) -> HttpResponse:
    """The way to the provider after a form of ours (the sign-in page, the test button).

    Our Content-Security-Policy has ``form-action 'self'``, which browsers also apply to
    the redirects that follow a form's submission: a redirect to the provider's site
    would be blocked. So the form's answer is a page of ours that goes on to the provider
    by a script (a navigation, not a form), with a link for a browser without scripts.
    """
    if response.status_code not in (301, 302, 303, 307, 308):
        return response
    return render(
        request,
        "identity/continue.html",
        {"connection": connection, "provider_url": response["Location"]},
    )


def logout_url(request: HttpRequest, connection: Connection) -> str | None:
    """Where to send a person signing out so that the provider ends its session too
    (OIDC's end_session_endpoint, SAML's single logout), or None."""
    url: str | None = _module(connection).logout_url(request, connection)
    return url
