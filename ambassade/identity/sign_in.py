"""Single sign-on in the sign-in page, through the accounts registry (``accounts`` never
imports ``identity``): an address of a bound domain goes to its provider; a person for
whom the organisation requires single sign-on cannot sign in another way, except its
break-glass admins, whose every such sign-in is audited; signing out ends the
provider's session too when it offers that.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from ambassade.accounts.policy import SESSION_SIGNED_IN_BY_PROVIDER
from ambassade.core import audit
from ambassade.core.authz import actor_for_person
from ambassade.core.roles import CONSOLE_ROLES, Role
from ambassade.identity.models import Connection, SignInPolicy, SsoRequirement
from ambassade.identity.refusals import Refused
from ambassade.people.models import Person


def _domain(email: str) -> str:
    return email.rpartition("@")[2].strip().lower()


def bound_connection(email: str) -> Connection | None:
    """The enabled connection whose domains hold the address's domain (one at most: the
    console keeps domains unique among enabled connections). Filtered here rather than
    in SQL: SQLite has no JSON containment, and an instance has few connections."""
    domain = _domain(email)
    if not domain:
        return None
    for connection in Connection.objects.filter(enabled=True).select_related("organisation"):
        if domain in (d.lower() for d in connection.domains):
            return connection
    return None


def route(request: HttpRequest, email: str) -> HttpResponse | None:
    connection = bound_connection(email)
    if connection is None:
        return None
    from ambassade.identity import protocols
    from ambassade.identity.completion import SIGN_IN, fail

    next_url = request.POST.get("next") or request.GET.get("next", "")
    try:
        started = protocols.start(request, connection, mode=SIGN_IN, next_url=next_url)
        return protocols.leave_for_provider(request, connection, started)
    except Refused as refusal:
        return fail(request, connection, refusal, mode=SIGN_IN)


def requires_single_sign_on(policy: SignInPolicy, person: Person) -> bool:
    if policy.sso_required == SsoRequirement.EVERYONE:
        return True
    if policy.sso_required == SsoRequirement.CONSOLE:
        return bool(person.role_set & CONSOLE_ROLES)
    return False


def is_break_glass(policy: SignInPolicy, person: Person) -> bool:
    """A break-glass admin counts as long as they are still an admin."""
    return Role.ADMIN in person.role_set and policy.break_glass.filter(pk=person.pk).exists()


def _bound_people(email: str, user: Any = None) -> list[tuple[Person, SignInPolicy, Connection]]:
    """Each person of this account in an organisation that requires single sign-on of
    them and has an enabled connection to do it with (without one, requiring it would
    lock everybody out, and the console refuses it)."""
    match = Q(email__iexact=email) | Q(user__email__iexact=email)
    if user is not None:
        match |= Q(user=user)
    found = []
    people = Person.objects.filter(match).select_related("organisation")
    for person in people.prefetch_related("role_assignments"):
        policy = SignInPolicy.objects.filter(organisation_id=person.organisation_id).first()
        if policy is None or not requires_single_sign_on(policy, person):
            continue
        connection = Connection.objects.filter(
            organisation_id=person.organisation_id, enabled=True
        ).first()
        if connection is not None:
            found.append((person, policy, connection))
    return found


def password_refusal(email: str) -> str | None:
    for person, policy, connection in _bound_people(email):
        if is_break_glass(policy, person):
            continue
        return _(
            "%(organisation)s requires you to sign in through its identity provider "
            "(%(provider)s), not with a password: type your work address on the sign-in page "
            "and leave “Use my password” unticked."
        ) % {"organisation": person.organisation.name, "provider": connection.name}
    return None


def audit_break_glass(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    """allauth's ``user_logged_in``: after the password and the second factor."""
    if request.session.get(SESSION_SIGNED_IN_BY_PROVIDER):
        return
    from allauth.account.internal.flows.login import get_authentication_records

    methods = [
        ":".join(str(part) for part in (record.get("method"), record.get("type")) if part)
        for record in get_authentication_records(request, user)
    ]
    with transaction.atomic():
        for person, policy, _connection in _bound_people(user.email, user):
            if is_break_glass(policy, person):
                audit.record(
                    "identity.break_glass_sign_in",
                    organisation=person.organisation,
                    actor=actor_for_person(person),
                    target=person,
                    after={"methods": methods},
                )


def provider_logout(request: HttpRequest) -> str | None:
    from ambassade.identity import protocols
    from ambassade.identity.completion import SESSION_CONNECTION_KEY

    pk = request.session.get(SESSION_CONNECTION_KEY)
    if not pk:
        return None
    connection = Connection.objects.filter(pk=pk, enabled=True).first()
    if connection is None:
        return None
    return protocols.logout_url(request, connection)


def offered() -> bool:
    return Connection.objects.filter(enabled=True).exists()
