"""The sharing jobs serve every account even when one of them breaks the code."""

from __future__ import annotations

import pytest

from ambassade.sharing import measures
from ambassade.sharing.models import SocialAccount
from ambassade.sharing.networks.base import REGISTRY, Credentials, Identity
from ambassade.sharing.tests.conftest import FakeNetwork

pytestmark = pytest.mark.django_db


class BrokenNetwork(FakeNetwork):
    """A module that chokes on an account's stored data (the demo's missing PDS)."""

    code = "brokennet"
    name = "Broken network"

    def identity(self, credentials: Credentials) -> Identity:
        return Identity(remote_id="x", handle=credentials.secrets["pds_url"])


@pytest.fixture
def broken(fake, enrolled, monkeypatch) -> SocialAccount:
    monkeypatch.setitem(REGISTRY, "brokennet", BrokenNetwork)
    found = SocialAccount(
        organisation=enrolled.organisation,
        person=enrolled,
        network="brokennet",
        remote_id="b-1",
        handle="@b",
    )
    found.store(Credentials(secrets={"demo": "no session"}))
    found.save()
    return found


def test_one_broken_account_does_not_stop_the_audience_job(broken, account) -> None:
    assert measures.refresh_audiences() == 1
    account.refresh_from_db()
    assert account.audience == 42
    broken.refresh_from_db()
    assert broken.status == SocialAccount.Status.CONNECTED
    assert "KeyError" in broken.last_error
