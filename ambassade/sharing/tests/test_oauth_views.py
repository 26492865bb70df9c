"""The generic OAuth start/callback views, with a fake network implementing ConnectsWithOAuth."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from ambassade.sharing.models import SocialAccount
from ambassade.sharing.networks.base import REGISTRY, ConnectsWithOAuth, Credentials
from ambassade.sharing.tests.conftest import FakeNetwork

pytestmark = pytest.mark.django_db


class FakeOAuth(FakeNetwork, ConnectsWithOAuth):
    code = "fakeoauth"
    name = "Fake OAuth"
    seen: dict[str, str] = {}

    def authorization_url(
        self, *, redirect_uri: str, state: str, code_verifier: str, instance: str = ""
    ) -> str:
        FakeOAuth.seen = {"verifier": code_verifier, "instance": instance}
        return f"https://auth.example/authorize?state={state}&redirect_uri={redirect_uri}"

    def exchange_code(
        self, *, code: str, redirect_uri: str, code_verifier: str, instance: str = ""
    ) -> Credentials:
        assert code_verifier == FakeOAuth.seen["verifier"]
        return Credentials(secrets={"access_token": f"at-{code}"})


@pytest.fixture
def oauth_network():
    REGISTRY["fakeoauth"] = FakeOAuth
    yield FakeOAuth
    REGISTRY.pop("fakeoauth", None)


def test_start_then_callback_connects_the_account(enrolled, client_for, oauth_network) -> None:
    client = client_for(enrolled)
    started = client.post("/me/accounts/fakeoauth/connect", {"instance": "piaille.example"})
    assert started.status_code == 302
    query = parse_qs(urlsplit(started["Location"]).query)
    state = query["state"][0]
    assert query["redirect_uri"][0].endswith("/me/accounts/fakeoauth/callback")
    assert FakeOAuth.seen["instance"] == "piaille.example"
    assert 43 <= len(FakeOAuth.seen["verifier"]) <= 128
    done = client.get(f"/me/accounts/fakeoauth/callback?state={state}&code=abc")
    assert done.status_code == 302
    account = SocialAccount.objects.get(person=enrolled, network="fakeoauth")
    assert account.credentials.secrets == {"access_token": "at-abc"}


def test_a_forged_state_is_refused(enrolled, client_for, oauth_network) -> None:
    client = client_for(enrolled)
    client.post("/me/accounts/fakeoauth/connect")
    client.get("/me/accounts/fakeoauth/callback?state=forged&code=abc")
    assert not SocialAccount.objects.filter(network="fakeoauth").exists()


def test_a_network_without_oauth_has_no_oauth_views(enrolled, client_for) -> None:
    assert client_for(enrolled).post("/me/accounts/bluesky/connect").status_code == 404
    assert client_for(enrolled).get("/me/accounts/nope/callback").status_code == 404
