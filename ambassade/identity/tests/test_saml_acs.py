"""The assertion consumer service: a good answer signs the person in; every bad one is
refused with a precise audit detail, and nothing is written (no person, account or link)."""

from __future__ import annotations

import datetime
from base64 import b64encode
from typing import Any

import pytest

from ambassade.accounts.models import User
from ambassade.core.models import AuditEvent
from ambassade.identity.models import LinkedIdentity, SeenAssertion
from ambassade.identity.tests.saml_support import NORA, SamlBrowser, browser_of_nora, saml_idp
from ambassade.people.models import Person

pytestmark = pytest.mark.django_db
__all__ = ["browser_of_nora", "saml_idp"]  # fixtures


def refusal_detail() -> str:
    event = AuditEvent.objects.filter(action="identity.sign_in_refused").latest("id")
    assert event.after["reason"] == "protocol"
    return str(event.after["detail"])


def nothing_written() -> bool:
    return (
        Person.objects.count() == 0
        and User.objects.count() == 0
        and LinkedIdentity.objects.count() == 0
    )


def test_a_signed_answer_signs_nora_in_and_creates_her_as_an_employee(
    browser_of_nora: SamlBrowser,
) -> None:
    request = browser_of_nora.start(next_url="/me/home/")
    answer = browser_of_nora.post(browser_of_nora.idp.response(request, NORA), request.relay_state)
    assert answer.status_code == 302
    assert answer["Location"] == "/me/home/"
    nora = Person.objects.get(email=NORA)
    assert (nora.first_name, nora.last_name) == ("Nora", "Lambert")
    assert LinkedIdentity.objects.get(person=nora).subject == NORA
    assert browser_of_nora.client.get("/me/home/").status_code == 200
    assert SeenAssertion.objects.filter(connection=browser_of_nora.connection).count() == 1


def test_a_signed_response_around_a_signed_assertion_is_accepted(
    browser_of_nora: SamlBrowser,
) -> None:
    request = browser_of_nora.start()
    encoded = browser_of_nora.idp.response(request, NORA, sign_response=True)
    assert browser_of_nora.post(encoded, request.relay_state).status_code == 302
    assert Person.objects.filter(email=NORA).exists()


@pytest.mark.parametrize(
    ("forgery", "detail"),
    [
        ({"sign_assertion": False}, "signature: the assertion is not signed"),
        (
            {"sign_assertion": False, "sign_response": True},
            "signature: the assertion is not signed",
        ),
        ({"signed_by_another_key": True}, "signature: does not verify"),
        ({"signed_by_another_key": True, "sign_response": True}, "signature: does not verify"),
        ({"audience": "https://elsewhere.example/sp"}, "audience:"),
        ({"in_response_to": "_not-a-request-of-ours"}, "InResponseTo unknown: _not-a-request"),
        ({"issuer": "https://evil.example/idp"}, "unknown issuer: https://evil.example/idp"),
        ({"in_response_to": ""}, "unsolicited response"),
    ],
    ids=[
        "unsigned",
        "signed-response-unsigned-assertion",
        "other-key",
        "other-key-both",
        "audience",
        "in-response-to",
        "issuer",
        "unsolicited",
    ],
)
def test_a_forged_answer_is_refused_precisely_and_writes_nothing(
    browser_of_nora: SamlBrowser, forgery: dict[str, Any], detail: str
) -> None:
    request = browser_of_nora.start()
    encoded = browser_of_nora.idp.response(request, NORA, **forgery)
    answer = browser_of_nora.post(encoded, request.relay_state)
    assert answer.status_code == 403
    assert detail in refusal_detail()
    assert nothing_written()
    assert SeenAssertion.objects.count() == 0


def test_an_expired_assertion_is_refused(browser_of_nora: SamlBrowser) -> None:
    request = browser_of_nora.start()
    past = datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=10)
    encoded = browser_of_nora.idp.response(request, NORA, not_on_or_after=past)
    assert browser_of_nora.post(encoded, request.relay_state).status_code == 403
    assert refusal_detail().startswith("expired")
    assert nothing_written()


def test_a_replayed_assertion_is_refused_the_second_time(browser_of_nora: SamlBrowser) -> None:
    request = browser_of_nora.start()
    encoded = browser_of_nora.idp.response(request, NORA)
    assert browser_of_nora.post(encoded, request.relay_state).status_code == 302
    people, links = Person.objects.count(), LinkedIdentity.objects.count()
    again = browser_of_nora.post(encoded, request.relay_state)
    assert again.status_code == 403
    assert refusal_detail().startswith("replayed assertion")
    assert (Person.objects.count(), LinkedIdentity.objects.count()) == (people, links)


def test_an_answer_stolen_into_another_browser_is_refused(browser_of_nora: SamlBrowser) -> None:
    request = browser_of_nora.start()
    encoded = browser_of_nora.idp.response(request, NORA)
    thief = SamlBrowser(
        type(browser_of_nora.client)(), browser_of_nora.connection, browser_of_nora.idp
    )
    thief.client.get("/accounts/login/")  # a session of its own, with its cookie
    thief.start()
    assert thief.post(encoded, request.relay_state).status_code == 403
    assert refusal_detail().startswith("InResponseTo unknown")
    assert nothing_written()


def test_a_relay_state_of_another_request_is_refused(browser_of_nora: SamlBrowser) -> None:
    first = browser_of_nora.start()
    second = browser_of_nora.start()
    encoded = browser_of_nora.idp.response(first, NORA)
    assert browser_of_nora.post(encoded, second.relay_state).status_code == 403
    assert refusal_detail() == "RelayState does not match the request"
    assert nothing_written()


@pytest.mark.parametrize(
    ("saml_response", "detail"),
    [
        ("%%% not base64 %%%", "malformed base64"),
        ("", "malformed base64"),
        (b64encode(b"<Response><unclosed></Response>").decode(), "malformed XML"),
        (b64encode(b"<html>hello</html>").decode(), "malformed XML: expected a samlp:Response"),
    ],
    ids=["base64", "empty", "xml", "not-a-response"],
)
def test_malformed_answers_are_refused(
    browser_of_nora: SamlBrowser, saml_response: str, detail: str
) -> None:
    request = browser_of_nora.start()
    assert browser_of_nora.post(saml_response, request.relay_state).status_code == 403
    assert refusal_detail().startswith(detail)
    assert nothing_written()


def test_an_answer_without_our_session_cookie_is_posted_again_from_our_page(
    browser_of_nora: SamlBrowser,
) -> None:
    request = browser_of_nora.start()
    encoded = browser_of_nora.idp.response(request, NORA)
    cookies = dict(browser_of_nora.client.cookies)
    browser_of_nora.client.cookies.clear()  # what SameSite=Lax does to a cross-site POST
    page = browser_of_nora.post(encoded, request.relay_state)
    assert page.status_code == 200
    assert b'name="continued"' in page.content
    assert encoded.encode() in page.content
    assert nothing_written()
    browser_of_nora.client.cookies.update(cookies)  # the browser posts again, cookie and all
    answer = browser_of_nora.client.post(
        f"/sso/saml/{browser_of_nora.connection.pk}/acs",
        {"SAMLResponse": encoded, "RelayState": request.relay_state, "continued": "1"},
    )
    assert answer.status_code == 302
    assert Person.objects.filter(email=NORA).exists()


def test_the_acs_takes_only_posts(browser_of_nora: SamlBrowser) -> None:
    answer = browser_of_nora.client.get(f"/sso/saml/{browser_of_nora.connection.pk}/acs")
    assert answer.status_code == 405


def test_entra_claim_uris_fill_the_default_mapping(browser_of_nora: SamlBrowser) -> None:
    claims = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/"
    request = browser_of_nora.start()
    encoded = browser_of_nora.idp.response(
        request,
        NORA,
        attributes={
            f"{claims}emailaddress": [NORA.upper()],
            f"{claims}givenname": ["Nora"],
            f"{claims}surname": ["Lambert"],
        },
    )
    assert browser_of_nora.post(encoded, request.relay_state).status_code == 302
    nora = Person.objects.get(email=NORA)
    assert (nora.first_name, nora.last_name) == ("Nora", "Lambert")


def test_a_switched_off_connection_sends_nobody_to_the_provider(
    browser_of_nora: SamlBrowser,
) -> None:
    connection = browser_of_nora.connection
    connection.enabled = False
    connection.save(update_fields=["enabled"])
    answer = browser_of_nora.client.get(f"/sso/saml/{connection.pk}/start")
    assert answer.status_code == 403
    assert AuditEvent.objects.get(action="identity.sign_in_refused").after["reason"] == "disabled"


def test_our_private_key_is_on_disk_only_during_an_exchange(
    browser_of_nora: SamlBrowser,
) -> None:
    import os
    import stat

    from ambassade.identity import saml_config

    with saml_config.sp_client(browser_of_nora.connection) as client:
        key_file = client.config.key_file
        assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
        assert stat.S_IMODE(os.stat(os.path.dirname(key_file)).st_mode) == 0o700
    assert not os.path.exists(key_file)
