"""The admins' single sign-on pages, in the organisation settings: connections (values to
copy into the provider, the last test, test, edit, switch, delete) and the sign-in policy.
Thin: the actions decide, the protocol modules talk to the providers."""

from __future__ import annotations

from typing import Any

from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ambassade.accounts.policy import FACTORS
from ambassade.core.authz import Actor, require
from ambassade.core.forms import add_action_errors
from ambassade.identity import connection_actions as actions
from ambassade.identity import policy_actions, protocols
from ambassade.identity.assertions import FIELD_NAMES
from ambassade.identity.completion import TEST, fail
from ambassade.identity.forms import ConnectionForm, PolicyForm
from ambassade.identity.models import Connection, Protocol, SignInPolicy
from ambassade.identity.refusals import REASONS, Refused

# The action's name for an uploaded metadata file, and the form's.
ALIASES = {"saml_metadata_xml": "metadata_file"}


def _actor(request: HttpRequest) -> Actor:
    return request.actor  # type: ignore[attr-defined]


def _connection(actor: Actor, pk: int) -> Connection:
    found = Connection.objects.filter(organisation=actor.organisation, pk=pk).first()
    if found is None:
        raise Http404
    return found


def values_to_copy(request: HttpRequest, connection: Connection) -> list[tuple[str, str]]:
    """(label, value) pairs the admin copies into the identity provider."""
    if connection.protocol == Protocol.OIDC:
        from ambassade.identity import oidc

        # What oidc.start and oidc.logout_url send, built the same way (from BASE_URL).
        return [
            (_("Redirect URI (sign-in)"), oidc.redirect_uri(request, connection)),
            (_("Post-logout redirect URI"), oidc.post_logout_redirect_uri(request)),
            (_("Scopes"), oidc.SCOPE),
        ]
    from ambassade.identity.saml_config import sp_values

    values = sp_values(connection)
    return [
        (_("Entity id (audience)"), values["entity_id"]),
        (_("ACS URL (reply URL)"), values["acs_url"]),
        (_("Single logout URL"), values["sls_url"]),
        (_("Metadata URL"), values["metadata_url"]),
    ]


def test_report(connection: Connection) -> dict[str, Any] | None:
    """The last test in words: what came back, what is missing, what signing in would do."""
    report = connection.last_test
    if not report:
        return None
    words: dict[str, Any] = {"ok": report.get("ok", False), "at": connection.last_tested_at}
    if report.get("error"):
        words["error"] = Refused(report["error"]).message
        words["detail"] = report.get("detail", "")
        return words
    words["subject"] = report.get("subject", "")
    words["received"] = [
        (name, ", ".join(value) if isinstance(value, list) else value)
        for name, value in sorted((report.get("received") or {}).items())
    ]
    words["missing"] = [FIELD_NAMES.get(name, name) for name in report.get("missing", [])]
    words["mapped"] = [
        (FIELD_NAMES.get(name, name), value) for name, value in (report.get("mapped") or {}).items()
    ]
    preview = report.get("preview") or {}
    outcome = preview.get("outcome")
    if outcome == "matched":
        words["outcome"] = _("Signing in would sign in %(person)s.") % {
            "person": preview.get("person")
        }
    elif outcome == "created":
        words["outcome"] = _("Signing in would create this person as an employee.")
    elif outcome == "refused":
        reason = REASONS.get(preview.get("reason", ""), REASONS["protocol"])
        words["outcome"] = _("Signing in would be refused: %(reason)s") % {"reason": reason}
    return words


@require("identity.manage")
def connections(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    found = list(Connection.objects.filter(organisation=actor.organisation))
    return render(request, "identity/connections.html", {"connections": found})


@require("identity.manage")
def new_connection(request: HttpRequest, protocol: str) -> HttpResponse:
    if protocol not in Protocol.values:
        raise Http404
    actor = _actor(request)
    form = ConnectionForm(request.POST or None, request.FILES or None, protocol=protocol)
    if request.method == "POST" and form.is_valid():
        try:
            connection = actions.create_connection(actor, protocol, form.values())
        except ValidationError as error:
            add_action_errors(form, error, ALIASES)
        else:
            saved = _("The connection is saved. Copy the values below into the provider.")
            messages.success(request, saved + " " + _("Then test it."))
            return redirect("identity:connection", connection.pk)
    context = {"form": form, "protocol": Protocol(protocol)}
    return render(request, "identity/connection_form.html", context)


@require("identity.manage")
def connection(request: HttpRequest, pk: int) -> HttpResponse:
    found = _connection(_actor(request), pk)
    context = {
        "connection": found,
        "values": values_to_copy(request, found),
        "report": test_report(found),
        "mapping": [(FIELD_NAMES[name], claim) for name, claim in found.mapping().items()],
    }
    return render(request, "identity/connection.html", context)


@require("identity.manage")
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    found = _connection(actor, pk)
    form = ConnectionForm(
        request.POST or None,
        request.FILES or None,
        protocol=found.protocol,
        editing=True,
        initial=ConnectionForm.initial_of(found),
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_connection(actor, found, form.values())
        except ValidationError as error:
            add_action_errors(form, error, ALIASES)
        else:
            messages.success(request, _("The connection is saved."))
            return redirect("identity:connection", found.pk)
    context = {"form": form, "connection": found, "protocol": Protocol(found.protocol)}
    return render(request, "identity/connection_form.html", context)


@require_POST
@require("identity.manage")
def test(request: HttpRequest, pk: int) -> HttpResponse:
    """Off to the provider as the admin; the answer comes back as the test's report."""
    found = _connection(_actor(request), pk)
    try:
        response: HttpResponse = protocols.start(request, found, mode=TEST)
    except Refused as refusal:  # the provider could not even be asked: the report says why
        return fail(request, found, refusal, mode=TEST)
    return protocols.leave_for_provider(request, found, response)


@require_POST
@require("identity.manage")
def switch(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    found = _connection(actor, pk)
    enable = request.POST.get("enabled") == "1"
    try:
        actions.switch_connection(actor, found, enabled=enable)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(
            request,
            _("The connection is switched on.") if enable else _("The connection is switched off."),
        )
    return redirect("identity:connection", found.pk)


@require("identity.manage")
def delete(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    found = _connection(actor, pk)
    if request.method == "POST":
        try:
            actions.delete_connection(actor, found)
        except ValidationError as error:
            for text in error.messages:
                messages.error(request, text)
            return redirect("identity:connection", found.pk)
        messages.success(request, _("The connection is deleted; the people stay."))
        return redirect("identity:connections")
    context = {"connection": found, "links": found.links.count()}
    return render(request, "identity/delete.html", context)


@require("identity.manage")
def policy(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    current = SignInPolicy.objects.filter(organisation=actor.organisation).first()
    initial = {
        "sso_required": current.sso_required if current else "none",
        "break_glass": list(current.break_glass.all()) if current else [],
    }
    form = PolicyForm(request.POST or None, organisation=actor.organisation, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            policy_actions.update_policy(
                actor,
                sso_required=form.cleaned_data["sso_required"],
                break_glass=list(form.cleaned_data["break_glass"]),
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("The sign-in policy is saved."))
            return redirect("identity:policy")
    without_factor = []
    if current is not None:
        for person in current.break_glass.select_related("user"):
            has_factor = (
                person.user_id is not None
                and Authenticator.objects.filter(user_id=person.user_id, type__in=FACTORS).exists()
            )
            if not has_factor:
                without_factor.append(person)
    context = {
        "form": form,
        "without_factor": without_factor,
        "has_connection": Connection.objects.filter(
            organisation=actor.organisation, enabled=True
        ).exists(),
    }
    return render(request, "identity/policy.html", context)
