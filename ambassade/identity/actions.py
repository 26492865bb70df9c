"""Writes of single sign-on: matching a provider's person to ours (just-in-time accounts),
and the audit rows of sign-ins, refusals and connection tests.

Matching, in order: the provider's subject already linked to a person of this connection;
a person of the organisation with that external id; a person with that work e-mail.
Nobody found: created as an employee or refused, as the connection says. A person who
left (and is not an alumni ambassador) or was anonymised is refused.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from ambassade.accounts.models import User
from ambassade.core import audit
from ambassade.core.authz import Actor, actor_for_person
from ambassade.identity.assertions import Assertion, mapped, missing
from ambassade.identity.models import Connection, LinkedIdentity, UnknownPeople
from ambassade.identity.refusals import Refused
from ambassade.people.models import Department, EmploymentStatus, Person, Site


def _domain(email: str) -> str:
    return email.rpartition("@")[2].lower()


def bound_elsewhere(connection: Connection, email: str) -> bool:
    """The address's domain is bound to a connection of another organisation."""
    domain = _domain(email)
    others = Connection.objects.filter(enabled=True).exclude(
        organisation_id=connection.organisation_id
    )
    return any(domain in [d.lower() for d in other.domains] for other in others)


def _find(connection: Connection, assertion: Assertion, email: str) -> Person | None:
    link = (
        LinkedIdentity.objects.select_related("person")
        .filter(connection=connection, subject=assertion.subject)
        .first()
    )
    if link is not None:
        return link.person
    people = Person.objects.filter(organisation_id=connection.organisation_id)
    return (
        people.filter(external_id=assertion.subject).first()
        or people.filter(email__iexact=email).first()
    )


def _new_person(connection: Connection, values: dict[str, str]) -> Person:
    organisation = connection.organisation
    department = site = None
    if values.get("department"):
        department, _created = Department.objects.get_or_create(
            organisation=organisation, name=values["department"][:120]
        )
    if values.get("site"):
        site, _created = Site.objects.get_or_create(
            organisation=organisation, name=values["site"][:120]
        )
    manager = None
    if values.get("manager") and "@" in values["manager"]:
        manager = Person.objects.filter(
            organisation=organisation, email__iexact=values["manager"]
        ).first()
    local = values["email"].partition("@")[0]
    language = values.get("language", "")[:2].lower()
    return Person.objects.create(
        organisation=organisation,
        email=values["email"],
        first_name=values.get("first_name", local)[:100],
        last_name=values.get("last_name", "")[:100],
        department=department,
        site=site,
        manager=manager,
        languages=[language] if language in ("fr", "en") else [],
        start_date=timezone.localdate(),
    )


def _account(person: Person, values: dict[str, str]) -> User:
    """The person's account: theirs, one with the same address, or a new one without a
    password (the provider is how they sign in)."""
    user = person.user or User.objects.filter(email__iexact=person.email).first()
    if user is None:
        user = User.objects.create_user(person.email, None, display_name=person.full_name)
    language = values.get("language", "")[:2].lower()
    if not user.language and language in ("fr", "en"):
        user.language = language
        user.save(update_fields=["language"])
    if person.user_id != user.pk:
        if Person.objects.filter(organisation_id=person.organisation_id, user=user).exists():
            raise Refused("account_elsewhere")
        person.user = user
        person.save(update_fields=["user"])
    return user


@transaction.atomic
def sign_in_person(connection: Connection, assertion: Assertion) -> Person:
    """The person the provider vouched for, with an account, linked to the subject.
    Raises ``Refused`` (and writes nothing) when they may not sign in."""
    if not connection.enabled:
        raise Refused("disabled")
    values = mapped(connection, assertion)
    email = values.get("email", "")
    if not email:
        raise Refused("no_email")
    person = _find(connection, assertion, email)
    created = False
    if person is None:
        if bound_elsewhere(connection, email):
            raise Refused("other_organisation", email.rpartition("@")[2])
        if connection.unknown_people != UnknownPeople.CREATE:
            raise Refused("unknown_person")
        person = _new_person(connection, values)
        created = True
    person = Person.objects.select_for_update(of=("self",)).get(pk=person.pk)
    if person.anonymised_at is not None or (
        person.employment_status == EmploymentStatus.LEFT and not person.alumni
    ):
        raise Refused("left")
    _account(person, values)
    link, _new = LinkedIdentity.objects.get_or_create(
        connection=connection, subject=assertion.subject, defaults={"person": person}
    )
    if link.person_id != person.pk:
        raise Refused("account_elsewhere")
    link.last_sign_in_at = timezone.now()
    link.save(update_fields=["last_sign_in_at"])
    audit.record(
        "identity.person_created" if created else "identity.signed_in",
        organisation=connection.organisation,
        actor=actor_for_person(person, via="sso"),
        target=person,
        after={"connection": connection.name, "protocol": connection.protocol},
    )
    return person


def record_refusal(connection: Connection, refusal: Refused) -> None:
    """Its own transaction: the refused sign-in rolled back, its trace stays."""
    with transaction.atomic():
        audit.record(
            "identity.sign_in_refused",
            organisation=connection.organisation,
            actor=None,
            target=connection,
            after={"reason": refusal.code, "detail": refusal.detail[:500]},
        )


def _preview(connection: Connection, assertion: Assertion, email: str) -> dict[str, str]:
    """What signing in would do, without doing it."""
    if not email:
        return {"outcome": "refused", "reason": "no_email"}
    person = _find(connection, assertion, email)
    if person is None:
        if bound_elsewhere(connection, email):
            return {"outcome": "refused", "reason": "other_organisation"}
        if connection.unknown_people != UnknownPeople.CREATE:
            return {"outcome": "refused", "reason": "unknown_person"}
        return {"outcome": "created"}
    if person.anonymised_at is not None or (
        person.employment_status == EmploymentStatus.LEFT and not person.alumni
    ):
        return {"outcome": "refused", "reason": "left"}
    return {"outcome": "matched", "person": person.full_name}


@transaction.atomic
def record_test(actor: Actor, connection: Connection, assertion: Assertion) -> dict[str, Any]:
    """Keeps what the provider sent for the admin's "test this connection", and what is
    missing; nobody is signed in or created."""
    values = mapped(connection, assertion)
    report: dict[str, Any] = {
        "ok": not any(name in missing(values) for name in ("email",)),
        "subject": assertion.subject,
        "received": {
            str(name): [str(v)[:200] for v in value][:10]
            if isinstance(value, list | tuple)
            else str(value)[:200]
            for name, value in sorted(assertion.claims.items())
        },
        "mapped": values,
        "missing": missing(values),
        "preview": _preview(connection, assertion, values.get("email", "")),
    }
    _keep_test(actor, connection, report, {"ok": report["ok"], "missing": report["missing"]})
    return report


def record_test_failure(actor: Actor, connection: Connection, refusal: Refused) -> None:
    """A test that did not get as far as an assertion: the protocol's own failure."""
    with transaction.atomic():
        report = {"ok": False, "error": refusal.code, "detail": refusal.detail[:500]}
        _keep_test(actor, connection, report, {"ok": False, "error": refusal.code})


def _keep_test(
    actor: Actor, connection: Connection, report: dict[str, Any], after: dict[str, Any]
) -> None:
    connection.last_test = report
    connection.last_tested_at = timezone.now()
    connection.save(update_fields=["last_test", "last_tested_at"])
    audit.record(
        "identity.connection_tested",
        organisation=connection.organisation,
        actor=actor,
        target=connection,
        after=after,
    )
