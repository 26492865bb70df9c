"""Weekly schedule, declared share links, the SSRF guard on a typed PDS, instance apps."""

from __future__ import annotations

from datetime import time

import pytest
from django.core.exceptions import ValidationError

from ambassade.sharing import actions
from ambassade.sharing.actions.shares import TargetRequest
from ambassade.sharing.models import InstanceApp, QueueSlot, TargetStatus
from ambassade.sharing.registry import network_for
from ambassade.sharing.tests.conftest import PERSONAL, as_actor

pytestmark = pytest.mark.django_db


def test_the_weekly_schedule_page(enrolled, client_for) -> None:
    client = client_for(enrolled)
    assert (
        client.post("/me/schedule/", {"day0": "09:00, 17:30", "day4": "12:00"}).status_code == 302
    )
    assert set(QueueSlot.objects.filter(person=enrolled).values_list("weekday", "at")) == {
        (0, time(9)),
        (0, time(17, 30)),
        (4, time(12)),
    }
    page = client.post("/me/schedule/", {"day1": "9h"}).content.decode()
    assert "is not a time" in page and QueueSlot.objects.filter(person=enrolled).count() == 3


def test_a_share_link_is_declared_with_its_tracked_link(
    enrolled, item, client_for, no_quiet_hours
) -> None:
    share = actions.create_share(
        as_actor(enrolled), item, PERSONAL, [TargetRequest(network="facebook")]
    )
    target = share.targets.get()
    assert target.status == TargetStatus.DECLARED and target.tracked_link is not None
    page = client_for(enrolled).get("/me/posts/").content.decode()
    assert "https://www.facebook.com/sharer" in page and target.tracked_link.code in page


def test_a_typed_pds_address_goes_through_the_ssrf_guard(enrolled, settings) -> None:
    settings.OUTBOUND_ALLOWED_HOSTS = []
    with pytest.raises(ValidationError, match="private or reserved"):
        actions.connect_with_password(
            as_actor(enrolled),
            "bluesky",
            {"handle": "a.test", "app_password": "x", "pds_url": "http://127.0.0.1"},
        )


def test_instance_apps_are_registered_once_and_encrypted(persona, monkeypatch) -> None:
    calls = []

    def register_app(self, instance: str, redirect_uri: str) -> dict[str, str]:
        calls.append(instance)
        return {"instance": instance, "client_id": "cid", "client_secret": "csecret-123"}

    network = network_for(persona.organisation, "mastodon")
    monkeypatch.setattr(type(network), "register_app", register_app)
    app_for = network.config["app_for"]
    first = app_for("https://piaille.example", "https://amb.example/cb")
    again = app_for("https://piaille.example", "https://amb.example/cb")
    assert first["client_secret"] == again["client_secret"] == "csecret-123"
    assert calls == ["https://piaille.example"]
    assert "csecret-123" not in InstanceApp.objects.get().secrets
