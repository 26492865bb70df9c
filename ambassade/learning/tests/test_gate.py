"""A required module not passed closes every path that posts, with its reason and a link:
the composer page, the feed card, the share API, the publishing claim of a post queued
before the module became required, and connecting an account of a network that needs one."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from ambassade.learning.models import Attempt
from ambassade.learning.tests.conftest import make_module, pass_module, send
from ambassade.sharing import publishing
from ambassade.sharing.actions.shares import TargetRequest
from ambassade.sharing.models import FailureKind, ShareTarget, TargetStatus
from ambassade.sharing.tests.conftest import as_actor

pytestmark = pytest.mark.django_db
REASON = "Pass the training module “Our publishing rules” before sharing."
MINE = "J'ai visité le chantier de Lyon la semaine dernière : impressionnant, et on embauche !"


def _share(client: Any, item: Any, account: Any) -> Any:
    return send(
        client,
        "post",
        "/api/v1/sharing/shares",
        {"item_id": item.pk, "message": MINE, "targets": [{"account_id": account.pk}]},
    )


def test_the_composer_and_the_feed_card_give_the_reason_and_the_link(
    persona, enrolled, item, client_for
) -> None:
    module = make_module(persona.hr)
    client = client_for(persona.ambassador)
    composer = client.get(f"/share/{item.pk}/").content.decode()
    assert REASON in composer
    assert f'href="/me/learning/{module.pk}/"' in composer
    feed = client.get("/feed/").content.decode()
    assert REASON in feed
    assert f'href="/me/learning/{module.pk}/"' in feed
    assert f'href="/share/{item.pk}/"' not in feed  # no Share button on the card

    pass_module(persona.ambassador, module)
    assert REASON not in client.get(f"/share/{item.pk}/").content.decode()
    assert f'href="/share/{item.pk}/"' in client.get("/feed/").content.decode()


def test_the_share_api_is_refused_until_the_module_is_passed(
    persona, enrolled, item, account, no_quiet_hours, client_for
) -> None:
    module = make_module(persona.hr)
    client = client_for(persona.ambassador)
    refused = _share(client, item, account)
    assert refused.status_code == 422
    assert refused.json()["error"]["message"] == REASON
    assert not ShareTarget.objects.exists()

    pass_module(persona.ambassador, module)
    assert _share(client, item, account).status_code == 201


def test_a_module_for_one_network_closes_that_network_only(
    persona, enrolled, item, account, no_quiet_hours, client_for
) -> None:
    make_module(persona.hr, network="fakenet")
    client = client_for(persona.ambassador)
    assert REASON not in client.get(f"/share/{item.pk}/").content.decode()  # no network yet
    refused = _share(client, item, account)
    assert refused.status_code == 422
    assert refused.json()["error"]["details"] == [{"field": "targets", "message": REASON}]


def test_a_module_required_of_another_type_leaves_supporters_free(
    persona, enrolled, item, account, no_quiet_hours, client_for
) -> None:
    make_module(persona.hr, kind="mission")
    assert _share(client_for(persona.ambassador), item, account).status_code == 201


def test_a_post_queued_before_the_module_was_required_fails_when_claimed(
    persona, enrolled, item, account, fake, no_quiet_hours, django_capture_on_commit_callbacks
) -> None:
    from ambassade.sharing import actions as sharing

    share = sharing.create_share(
        as_actor(persona.ambassador),
        item,
        MINE,
        [TargetRequest(account_id=account.pk)],
        when="schedule",
        at=timezone.now() + timedelta(hours=2),
    )
    target = share.targets.get()
    make_module(persona.hr)
    ShareTarget.objects.filter(pk=target.pk).update(scheduled_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        publishing.publish(target.pk)
    target.refresh_from_db()
    assert target.status == TargetStatus.FAILED
    assert target.failure_kind == FailureKind.NOT_ALLOWED
    assert target.failure_reason == REASON
    assert fake.posted == []


def test_connecting_a_network_that_requires_a_module_is_refused_with_the_link(
    persona, enrolled, client_for
) -> None:
    module = make_module(persona.hr, network="bluesky")
    client = client_for(persona.ambassador)
    page = client.get("/me/accounts/").content.decode()
    assert "Pass the training module “Our publishing rules” before connecting Bluesky." in page
    assert f'href="/me/learning/{module.pk}/"' in page
    refused = send(
        client,
        "post",
        "/api/v1/sharing/accounts/bluesky",
        {"handle": "alice.test", "app_password": "abcd-efgh-ijkl-mnop"},
    )
    assert refused.status_code == 422
    assert "before connecting Bluesky" in refused.json()["error"]["message"]
    assert client.get("/me/accounts/bluesky/password").status_code == 302


def test_a_pass_older_than_the_refresher_period_no_longer_counts(
    persona, enrolled, item, client_for
) -> None:
    module = make_module(persona.hr, refresher_months=12)
    pass_module(persona.ambassador, module)
    client = client_for(persona.ambassador)
    assert "field-error" not in client.get(f"/share/{item.pk}/").content.decode()
    Attempt.objects.update(submitted_at=timezone.now() - timedelta(days=400))
    page = client.get(f"/share/{item.pk}/").content.decode()
    assert "is due for a refresher" in page
    assert "Refresher due" in client.get("/me/learning/").content.decode()
