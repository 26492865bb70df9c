"""Who a provider's answer signs in: the linked subject, the external id, the work
address; someone unknown is created or refused as the connection says; someone who left
is refused; a refusal writes nothing but its audit row."""

from __future__ import annotations

import pytest

from ambassade.accounts.models import User
from ambassade.core.models import AuditEvent, Organisation
from ambassade.identity import actions
from ambassade.identity.assertions import Assertion
from ambassade.identity.models import Connection, LinkedIdentity, Protocol, UnknownPeople
from ambassade.identity.refusals import Refused
from ambassade.people.models import EmploymentStatus, Person
from ambassade.testing.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def verdier_sso() -> Connection:
    organisation = Organisation.objects.create(name="Verdier", slug="verdier")
    return Connection.objects.create(
        organisation=organisation,
        name="Entra ID",
        protocol=Protocol.OIDC,
        domains=["verdier.example"],
        oidc_issuer="https://login.example/verdier/v2.0",
        oidc_client_id="ambassade",
    )


def claims(email: str, **more: str) -> dict[str, str]:
    return {"email": email, "given_name": "Claire", "family_name": "Morel", **more}


def test_a_known_person_gets_an_account_without_a_password_and_a_link(verdier_sso):
    claire = PersonFactory(organisation=verdier_sso.organisation, email="claire@verdier.example")

    person = actions.sign_in_person(
        verdier_sso, Assertion("sub-1", claims("Claire@Verdier.example"))
    )

    assert person == claire
    person.refresh_from_db()
    assert person.user is not None and not person.user.has_usable_password()
    assert LinkedIdentity.objects.get(connection=verdier_sso, subject="sub-1").person == claire
    assert AuditEvent.objects.filter(action="identity.signed_in", via="sso").count() == 1


def test_a_linked_subject_wins_over_a_changed_address(verdier_sso):
    claire = PersonFactory(organisation=verdier_sso.organisation, email="claire@verdier.example")
    actions.sign_in_person(verdier_sso, Assertion("sub-1", claims("claire@verdier.example")))

    again = actions.sign_in_person(
        verdier_sso, Assertion("sub-1", claims("c.morel@verdier.example"))
    )

    assert again == claire


def test_the_external_id_finds_the_person(verdier_sso):
    claire = PersonFactory(
        organisation=verdier_sso.organisation, email="claire@verdier.example", external_id="e-42"
    )

    assert (
        actions.sign_in_person(verdier_sso, Assertion("e-42", claims("x@verdier.example")))
        == claire
    )


def test_an_existing_account_with_a_password_is_linked_and_keeps_it(verdier_sso):
    claire = PersonFactory(
        organisation=verdier_sso.organisation, email="claire@verdier.example", with_user=True
    )

    person = actions.sign_in_person(
        verdier_sso, Assertion("sub-1", claims("claire@verdier.example"))
    )

    assert person.user == claire.user and person.user.has_usable_password()


def test_someone_unknown_is_refused_by_default_and_nothing_is_written(verdier_sso):
    with pytest.raises(Refused) as refused:
        actions.sign_in_person(verdier_sso, Assertion("sub-9", claims("new@verdier.example")))

    assert refused.value.code == "unknown_person"
    assert not Person.objects.exists() and not User.objects.exists()
    assert not LinkedIdentity.objects.exists()


def test_someone_unknown_is_created_as_an_employee_with_the_mapped_fields(verdier_sso):
    verdier_sso.unknown_people = UnknownPeople.CREATE
    verdier_sso.attribute_map = {"department": "dept"}
    verdier_sso.save()
    manager = PersonFactory(organisation=verdier_sso.organisation, email="boss@verdier.example")

    person = actions.sign_in_person(
        verdier_sso,
        Assertion(
            "sub-9",
            claims(
                "new@verdier.example", dept="Ventes", manager="boss@verdier.example", locale="en-GB"
            ),
        ),
    )

    assert (person.first_name, person.last_name) == ("Claire", "Morel")
    assert person.department is not None and person.department.name == "Ventes"
    assert person.manager == manager
    assert person.languages == ["en"] and person.user is not None and person.user.language == "en"
    assert person.role_set == frozenset({"employee"})
    assert AuditEvent.objects.filter(action="identity.person_created").count() == 1


def test_an_address_of_another_organisations_domain_is_refused(verdier_sso):
    verdier_sso.unknown_people = UnknownPeople.CREATE
    verdier_sso.save()
    rival = Organisation.objects.create(name="Rival", slug="rival")
    Connection.objects.create(
        organisation=rival,
        name="Okta",
        protocol=Protocol.SAML,
        domains=["rival.example"],
    )

    with pytest.raises(Refused) as refused:
        actions.sign_in_person(verdier_sso, Assertion("sub-5", claims("spy@rival.example")))

    assert refused.value.code == "other_organisation"
    assert not Person.objects.filter(email="spy@rival.example").exists()


@pytest.mark.parametrize(
    ("status", "alumni", "code"),
    [(EmploymentStatus.LEFT, False, "left"), (EmploymentStatus.LEFT, True, None)],
)
def test_people_who_left_are_refused_unless_alumni(verdier_sso, status, alumni, code):
    PersonFactory(
        organisation=verdier_sso.organisation,
        email="claire@verdier.example",
        employment_status=status,
        alumni=alumni,
    )
    if code is None:
        actions.sign_in_person(verdier_sso, Assertion("sub-1", claims("claire@verdier.example")))
        return
    with pytest.raises(Refused) as refused:
        actions.sign_in_person(verdier_sso, Assertion("sub-1", claims("claire@verdier.example")))
    assert refused.value.code == code and not User.objects.exists()


def test_without_an_address_the_sign_in_is_refused(verdier_sso):
    with pytest.raises(Refused) as refused:
        actions.sign_in_person(verdier_sso, Assertion("sub-1", {"given_name": "Claire"}))
    assert refused.value.code == "no_email"


def test_a_switched_off_connection_signs_nobody_in(verdier_sso):
    verdier_sso.enabled = False
    verdier_sso.save()
    PersonFactory(organisation=verdier_sso.organisation, email="claire@verdier.example")
    with pytest.raises(Refused) as refused:
        actions.sign_in_person(verdier_sso, Assertion("sub-1", claims("claire@verdier.example")))
    assert refused.value.code == "disabled"


def test_a_subject_linked_to_someone_else_cannot_take_over_another_account(verdier_sso):
    PersonFactory(organisation=verdier_sso.organisation, email="claire@verdier.example")
    marc = PersonFactory(organisation=verdier_sso.organisation, email="marc@verdier.example")
    actions.sign_in_person(verdier_sso, Assertion("sub-marc", claims("marc@verdier.example")))

    # The provider now says sub-marc is Claire's address: it is still Marc who signs in.
    assert (
        actions.sign_in_person(verdier_sso, Assertion("sub-marc", claims("claire@verdier.example")))
        == marc
    )
