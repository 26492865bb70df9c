"""Fixtures of the sharing tests: an enrolled ambassador, a shareable item, a fake network.

``FakeNetwork`` is registered under the code "fakenet" for the session; each test
scripts what its next calls answer (``fake.script``), and reads what was posted.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar

import pytest
from django.utils import timezone

from ambassade.content.models import ContentItem, Kind, Status, SuggestedMessage
from ambassade.core.authz import actor_for_person
from ambassade.programs.models import AmbassadorType, Enrolment, Program
from ambassade.sharing.models import SharingSettings, SocialAccount
from ambassade.sharing.networks.base import (
    REGISTRY,
    Credentials,
    Identity,
    Limits,
    Metrics,
    Network,
    Post,
    Published,
)
from ambassade.sharing.tests.pds import bluesky_pds  # noqa: F401 (a session fixture)

SECRET = "tok-SUPER-SECRET-123"


@dataclass
class FakeState:
    script: list[Any] = field(default_factory=list)  # exceptions to raise or "ok", in order
    posted: list[Post] = field(default_factory=list)
    refresh_result: Any = "ok"
    findable: bool = True
    calls: list[str] = field(default_factory=list)
    find_script: list[Any] = field(default_factory=list)  # exceptions to raise on look-ups
    pending: list[Post] = field(default_factory=list)  # accepted, not visible yet
    deleted: list[str] = field(default_factory=list)  # remote ids deleted from the network
    delete_script: list[Any] = field(default_factory=list)  # exceptions to raise on deletes


class FakeNetwork(Network):
    code = "fakenet"
    name = "Fake network"
    limits = Limits(max_length=500, url_length=None)
    state: ClassVar[FakeState] = FakeState()

    def refresh(self, credentials: Credentials) -> Credentials:
        self.state.calls.append("refresh")
        if isinstance(self.state.refresh_result, Exception):
            raise self.state.refresh_result
        return Credentials(secrets={**credentials.secrets, "token": SECRET + "-fresh"})

    def identity(self, credentials: Credentials) -> Identity:
        return Identity(remote_id="fake-1", handle="@alice@fake", audience=42)

    def publish(self, credentials: Credentials, post: Post) -> Published:
        self.state.calls.append("publish")
        step = self.state.script.pop(0) if self.state.script else "ok"
        if step == "accepted-then-timeout":
            self.state.posted.append(post)
            from ambassade.sharing.networks.base import Transient

            raise Transient("timeout", uncertain=True)
        if step == "timeout-shows-later":  # the request still runs when we give up
            self.state.pending.append(post)
            from ambassade.sharing.networks.base import Transient

            raise Transient("timeout", uncertain=True)
        if isinstance(step, Exception):
            raise step
        self.state.posted.append(post)
        return Published(remote_id=f"post-{len(self.state.posted)}", url="https://fake.example/p/1")

    def find_post(
        self, credentials: Credentials, post: Post, since: datetime | None = None
    ) -> Published | None:
        self.state.calls.append("find")
        step = self.state.find_script.pop(0) if self.state.find_script else "look"
        if isinstance(step, Exception):
            raise step
        for done in self.state.posted:
            if done.idempotency_key == post.idempotency_key:
                return Published(remote_id="found", url="https://fake.example/p/found")
        return None

    def metrics(self, credentials: Credentials, published: Published) -> Metrics:
        return Metrics(likes=3, reposts=1, replies=None)

    def delete(self, credentials: Credentials, published: Published) -> None:
        self.state.calls.append("delete")
        step = self.state.delete_script.pop(0) if self.state.delete_script else "ok"
        if isinstance(step, Exception):
            raise step
        if published.remote_id in self.state.deleted:
            from ambassade.sharing.networks.base import Gone

            raise Gone("No such post.")
        self.state.deleted.append(published.remote_id)


class BlindNetwork(FakeNetwork):
    """A network with no way to find a post after an uncertain outcome."""

    code = "blindnet"
    name = "Blind network"

    find_post = Network.find_post


@pytest.fixture
def fake() -> Iterator[FakeState]:
    FakeNetwork.state = FakeState()
    REGISTRY["fakenet"] = FakeNetwork
    REGISTRY["blindnet"] = BlindNetwork
    yield FakeNetwork.state
    REGISTRY.pop("fakenet", None)
    REGISTRY.pop("blindnet", None)


def as_actor(person: Any) -> Any:
    person.__dict__.pop("role_set", None)
    return actor_for_person(person)


@pytest.fixture
def program(persona) -> Program:
    return Program.objects.create(organisation=persona.organisation, name="Marque employeur")


@pytest.fixture
def enrolled(persona, program) -> Any:
    kind, _ = AmbassadorType.objects.get_or_create(
        organisation=persona.organisation, kind="supporter"
    )
    Enrolment.objects.create(
        program=program,
        person=persona.ambassador,
        ambassador_type=kind,
        status=Enrolment.Status.ACTIVE,
    )
    return persona.ambassador


@pytest.fixture
def item(persona, program) -> ContentItem:
    found = ContentItem.objects.create(
        organisation=persona.organisation,
        program=program,
        kind=Kind.ARTICLE,
        status=Status.PUBLISHED,
        title="Nous recrutons à Lyon",
        description="Vingt postes d'ingénieurs.",
        url="https://verdier.example/jobs/lyon",
        language="fr",
        published_at=timezone.now() - timedelta(hours=1),
    )
    SuggestedMessage.objects.create(
        item=found,
        language="fr",
        network="any",
        text="Verdier recrute vingt ingénieurs à Lyon : rejoignez une équipe formidable !",
    )
    return found


@pytest.fixture
def account(fake, enrolled) -> SocialAccount:
    found = SocialAccount(
        organisation=enrolled.organisation,
        person=enrolled,
        network="fakenet",
        remote_id="fake-1",
        handle="@alice@fake",
    )
    found.store(Credentials(secrets={"token": SECRET}))
    found.save()
    return found


@pytest.fixture
def no_quiet_hours(persona) -> SharingSettings:
    return SharingSettings.objects.create(
        organisation=persona.organisation, quiet_start=None, quiet_end=None
    )


PERSONAL = (
    "Fière de mon équipe : on cherche des gens curieux pour notre nouveau site, écrivez-moi !"
)


def later(hours: int = 2) -> datetime:
    return (timezone.now() + timedelta(hours=hours)).astimezone(UTC)
