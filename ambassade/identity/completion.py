"""The end of every single sign-on, whatever the protocol: sign the person in (or refuse
them with a page that says why), or, for an admin's connection test, keep the report and
go back to the connection's page.

The protocol modules (``oidc``, ``saml``) verify the provider's answer and call
``finish`` with an ``Assertion``, or ``fail`` with a ``Refused``.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

from ambassade.accounts.policy import SESSION_SIGNED_IN_BY_PROVIDER
from ambassade.core.authz import Actor, actor_for_person, allowed
from ambassade.identity import actions
from ambassade.identity.assertions import Assertion
from ambassade.identity.models import Connection
from ambassade.identity.refusals import Refused
from ambassade.people.middleware import SESSION_ORGANISATION_KEY

SIGN_IN = "sign_in"
TEST = "test"
# The connection a session signed in through (single logout asks that provider).
SESSION_CONNECTION_KEY = "identity_connection"


def safe_next(request: HttpRequest, next_url: str) -> str:
    if next_url and url_has_allowed_host_and_scheme(
        next_url, {request.get_host()}, require_https=request.is_secure()
    ):
        return next_url
    return "/"


def _tester(request: HttpRequest, connection: Connection) -> Actor | None:
    """The admin running the test, or None when the session changed hands meanwhile."""
    actor: Actor | None = getattr(request, "actor", None)
    if actor is None or actor.organisation.pk != connection.organisation_id:
        return None
    return actor if allowed(actor, "identity.manage") else None


def finish(
    request: HttpRequest,
    connection: Connection,
    assertion: Assertion,
    *,
    mode: str,
    next_url: str = "",
) -> HttpResponse:
    if mode == TEST:
        tester = _tester(request, connection)
        if tester is None:
            return redirect("accounts:login")
        actions.record_test(tester, connection, assertion)
        return redirect("identity:connection", pk=connection.pk)
    try:
        person = actions.sign_in_person(connection, assertion)
    except Refused as refusal:
        return fail(request, connection, refusal, mode=mode)
    assert person.user is not None
    login(request, person.user, backend=settings.AUTHENTICATION_BACKENDS[0])
    request.session[SESSION_ORGANISATION_KEY] = person.organisation_id
    request.session[SESSION_CONNECTION_KEY] = connection.pk
    request.session[SESSION_SIGNED_IN_BY_PROVIDER] = True
    if assertion.session_index:
        request.session["identity_session_index"] = assertion.session_index
        request.session["identity_name_id"] = assertion.subject
    request.actor = actor_for_person(person)  # type: ignore[attr-defined]
    return redirect(safe_next(request, next_url))


def fail(
    request: HttpRequest, connection: Connection | None, refusal: Refused, *, mode: str
) -> HttpResponse:
    if connection is not None and mode == TEST:
        tester = _tester(request, connection)
        if tester is not None:
            actions.record_test_failure(tester, connection, refusal)
            return redirect("identity:connection", pk=connection.pk)
    if connection is not None:
        actions.record_refusal(connection, refusal)
    return render(
        request,
        "identity/refused.html",
        {"message": refusal.message, "connection": connection},
        status=403,
    )
