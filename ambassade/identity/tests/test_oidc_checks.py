"""Each check of the provider's answer, against a provider whose ID tokens the test
shapes: each forgery is refused with its precise audit detail and nothing is written; a
clock 30 seconds off is tolerated. Discovery refuses what cannot be used, in words the
console's form shows."""

from __future__ import annotations

import socket
import time
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from joserfc.jwk import OctKey, RSAKey

from ambassade.identity import oidc
from ambassade.identity.models import Connection, LinkedIdentity
from ambassade.identity.refusals import Refused
from ambassade.identity.tests.oidc_support import (
    CLIENT_ID,
    CLIENT_SECRET,
    NORA,
    ForgingProvider,
    OidcBrowser,
    forging_provider,
    nothing_written,
    refusal_detail,
    verdier_connection,
)
from ambassade.people.models import Person
from ambassade.sharing.crypto import encrypt

pytestmark = pytest.mark.django_db
__all__ = ["forging_provider"]  # fixture


@pytest.fixture
def provider(forging_provider: ForgingProvider) -> ForgingProvider:
    forging_provider.reset()
    return forging_provider


@pytest.fixture
def browser(provider: ForgingProvider) -> OidcBrowser:
    return OidcBrowser(Client(), verdier_connection(provider.issuer))


def sign_in(browser: OidcBrowser, provider: ForgingProvider) -> Any:
    return browser.back(provider.authorise(browser.start()["_url"]))


def test_a_good_answer_signs_in_with_pkce_basic_auth_and_userinfo(
    browser: OidcBrowser, provider: ForgingProvider
) -> None:
    assert sign_in(browser, provider).status_code == 302
    nora = Person.objects.get(email=NORA)
    assert LinkedIdentity.objects.get(person=nora).subject == "nora-1"
    assert nora.user is not None and nora.user.language == "fr"  # from the userinfo endpoint
    [request] = provider.token_requests
    assert request["authorization"].startswith("Basic ") and "client_secret" not in request


def test_the_secret_goes_in_the_form_when_the_provider_takes_only_that(
    browser: OidcBrowser, provider: ForgingProvider
) -> None:
    provider.auth_methods = ["client_secret_post"]
    assert sign_in(browser, provider).status_code == 302
    [request] = provider.token_requests
    assert request["client_secret"] == CLIENT_SECRET and not request["authorization"]


def now(offset: int) -> int:
    return int(time.time()) + offset


@dataclass(frozen=True)
class FromNow:
    """A time claim ``seconds`` from when the test runs (not from collection, which may be
    minutes earlier in a long run)."""

    seconds: int


@pytest.mark.parametrize(
    ("forgery", "detail"),
    [
        ({"nonce": "a-nonce-of-another-sign-in"}, "nonce mismatch"),
        ({"nonce": None}, "nonce mismatch"),
        ({"aud": "another-client"}, "audience: another-client does not contain the client id"),
        ({"aud": [CLIENT_ID, "another-client"]}, "audience: several audiences and no azp"),
        (
            {"aud": [CLIENT_ID, "another-client"], "azp": "another-client"},
            "audience: azp another-client is not the client id",
        ),
        ({"iss": "https://evil.example"}, "issuer: https://evil.example is not"),
        ({"exp": FromNow(-90), "iat": FromNow(-400)}, "expired: exp"),
        ({"iat": FromNow(+120)}, "issued in the future: iat"),
        ({"nbf": FromNow(+120)}, "not yet valid: nbf"),
        ({"exp": None}, "missing claim: exp"),
        ({"sub": None}, "missing claim: sub"),
    ],
    ids=[
        "nonce",
        "no-nonce",
        "audience",
        "several-audiences-no-azp",
        "azp",
        "issuer",
        "expired",
        "issued-in-the-future",
        "not-yet-valid",
        "no-exp",
        "no-sub",
    ],
)
def test_a_forged_id_token_is_refused_precisely_and_writes_nothing(
    browser: OidcBrowser, provider: ForgingProvider, forgery: dict[str, Any], detail: str
) -> None:
    provider.claims = {
        name: now(value.seconds) if isinstance(value, FromNow) else value
        for name, value in forgery.items()
    }
    assert sign_in(browser, provider).status_code == 403
    assert refusal_detail().startswith(detail), refusal_detail()
    assert nothing_written()


def test_a_clock_thirty_seconds_off_either_way_is_tolerated(
    browser: OidcBrowser, provider: ForgingProvider
) -> None:
    provider.claims = {"exp": now(-30), "iat": now(-330)}  # our clock is ahead
    assert sign_in(browser, provider).status_code == 302
    provider.claims = {"iat": now(+30), "nbf": now(+30)}  # our clock is behind
    assert sign_in(OidcBrowser(Client(), browser.connection), provider).status_code == 302


@pytest.mark.parametrize(
    ("key", "alg", "detail"),
    [
        (RSAKey.generate_key(2048), "RS256", "signature: does not verify"),
        (OctKey.import_key(CLIENT_SECRET.encode() * 2), "HS256", "signature: algorithm HS256"),
    ],
    ids=["another-key", "shared-secret"],
)
def test_a_token_not_signed_by_the_providers_key_is_refused(
    browser: OidcBrowser, provider: ForgingProvider, key: Any, alg: str, detail: str
) -> None:
    provider.sign_with, provider.alg = key, alg
    assert sign_in(browser, provider).status_code == 403
    assert refusal_detail().startswith(detail), refusal_detail()
    assert nothing_written()


def test_userinfo_about_someone_else_is_refused(
    browser: OidcBrowser, provider: ForgingProvider
) -> None:
    provider.userinfo = {"sub": "someone-else", "email": "boss@verdier.example"}
    assert sign_in(browser, provider).status_code == 403
    assert refusal_detail() == "userinfo: its sub is not the ID token's"
    assert nothing_written()


def test_the_providers_error_is_refused_with_its_code(
    browser: OidcBrowser, provider: ForgingProvider
) -> None:
    state = browser.start()["state"]
    answer = browser.client.get(
        f"/sso/oidc/{browser.connection.pk}/callback",
        {"state": state, "error": "consent_required", "error_description": "Ask the admin"},
    )
    assert answer.status_code == 403
    assert refusal_detail() == "provider answered error=consent_required: Ask the admin"
    assert nothing_written()


def test_a_wrong_client_secret_is_the_token_endpoints_refusal(
    browser: OidcBrowser, provider: ForgingProvider
) -> None:
    Connection.objects.filter(pk=browser.connection.pk).update(
        oidc_client_secret=encrypt({"client_secret": "last-year's"})
    )
    assert sign_in(browser, provider).status_code == 403
    assert refusal_detail() == "token endpoint answered 401 invalid_client"
    assert nothing_written()


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.parametrize(
    ("where", "detail"),
    [
        ("unreachable", "Could not reach the discovery document at"),
        ("/html", "did not answer with JSON"),
        ("/elsewhere", "The discovery document names the issuer http"),
        ("/nojwks", "The discovery document has no jwks_uri."),
        ("/missing", "answered with the status 404 instead of the discovery document"),
    ],
)
def test_discovery_refuses_what_cannot_be_used(
    provider: ForgingProvider, where: str, detail: str
) -> None:
    issuer = f"http://127.0.0.1:{closed_port()}" if where == "unreachable" else provider.url + where
    with pytest.raises(Refused) as refused:
        oidc.discover(issuer)
    assert refused.value.code == "protocol"
    assert detail in refused.value.detail, refused.value.detail


def test_an_unreachable_provider_refuses_the_sign_in_and_says_why(db: None) -> None:
    connection = verdier_connection(f"http://127.0.0.1:{closed_port()}")
    answer = Client().get(f"/sso/oidc/{connection.pk}/start")
    assert answer.status_code == 403
    assert refusal_detail().startswith("Could not reach the discovery document")
    assert nothing_written()


def test_discovery_and_the_key_set_are_kept_a_few_minutes(
    browser: OidcBrowser, provider: ForgingProvider
) -> None:
    for person in (browser, OidcBrowser(Client(), browser.connection)):
        assert sign_in(person, provider).status_code == 302
    assert provider.served.count("/good/.well-known/openid-configuration") == 1
    assert provider.served.count("/jwks") == 1


def test_a_new_key_of_the_provider_is_fetched_when_a_token_names_it(
    browser: OidcBrowser, provider: ForgingProvider
) -> None:
    assert sign_in(browser, provider).status_code == 302
    provider.rotate_key()
    assert sign_in(OidcBrowser(Client(), browser.connection), provider).status_code == 302
    assert provider.served.count("/jwks") == 2


def test_an_issuer_on_a_private_address_is_not_fetched_unless_the_operator_allows_it() -> None:
    # The cloud's metadata service, typed as an issuer: the guarded client refuses it.
    with pytest.raises(Refused) as refused:
        oidc.discover("http://169.254.169.254/latest")
    assert refused.value.detail.startswith("Could not reach the discovery document")
