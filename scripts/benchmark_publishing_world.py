"""The people, accounts and posts of benchmark_publishing.py, and what it reads back.

Needs Django set up. People are made by chaos_world's helper (an ambassador role, no
password hashing); their accounts are created on the local PDS over XRPC, then connected
through ``sharing.actions.accounts.connect_with_password`` and shared with
``create_share``, as a person would through the pages.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, TypeVar

import chaos_world
import httpx
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from ambassade.content.models import ContentItem, Kind, Status
from ambassade.core.authz import actor_for_person
from ambassade.core.roles import Role
from ambassade.programs.models import AmbassadorType, Enrolment, Program
from ambassade.sharing.actions import accounts as account_actions
from ambassade.sharing.actions import settings as settings_actions
from ambassade.sharing.actions.shares import TargetRequest, create_share
from ambassade.sharing.models import ShareTarget
from ambassade.sharing.networks import bluesky
from ambassade.sharing.networks.base import Post
from ambassade.sharing.networks.bluesky import POST_COLLECTION
from ambassade.testing.factories import OrganisationFactory

T = TypeVar("T")
BASELINE = "Baseline"  # the first word of the posts written straight to the PDS


@dataclass
class Built:
    organisation_id: int
    program_id: int
    stagger: timedelta
    people: list[tuple[int, int]] = field(default_factory=list)  # (person, account)
    due_at_once: set[int] = field(default_factory=set)  # targets due when composed
    composed_at: float = 0.0


def in_threads(threads: int, work: Callable[[Any], T], items: Iterable[Any]) -> list[T]:
    """``work`` over ``items`` in threads; each thread closes its own database connection."""

    def done(item: Any) -> T:
        try:
            return work(item)
        finally:
            connection.close()

    with ThreadPoolExecutor(threads) as pool:
        return list(pool.map(done, items))


def pds_accounts(pds: str, count: int, threads: int) -> list[dict[str, Any]]:
    """One account per person on the PDS, with an app password, as a person makes them."""
    client = httpx.Client(base_url=f"{pds}/xrpc", timeout=60)

    def create(number: int) -> dict[str, Any]:
        answer = client.post(
            "/com.atproto.server.createAccount",
            json={
                "handle": f"amb{number}.test",
                "email": f"amb{number}@bench.invalid",
                "password": f"bench-password-{number}",
            },
        )
        answer.raise_for_status()
        session = answer.json()
        answer = client.post(
            "/com.atproto.server.createAppPassword",
            json={"name": "ambassade"},
            headers={"Authorization": f"Bearer {session['accessJwt']}"},
        )
        answer.raise_for_status()
        return {
            "number": number,
            "handle": session["handle"],
            "did": session["did"],
            "access_jwt": session["accessJwt"],
            "app_password": answer.json()["password"],
        }

    with client:
        return in_threads(threads, create, range(1, count + 1))


def build(pds: str, accounts: list[dict[str, Any]], stagger: int, threads: int) -> Built:
    """An organisation with the stagger and no quiet hours, and one connected person per
    account (the daily cap is left above one post a person)."""
    organisation = OrganisationFactory(name="Bench SA", slug="bench")
    admin = chaos_world._person(organisation, 0, "admin", Role.ADMIN, "UTC")
    settings_actions.update_settings(
        actor_for_person(admin),
        {"daily_cap": 5, "stagger_minutes": stagger, "quiet_start": None, "quiet_end": None},
    )
    program = Program.objects.create(organisation=organisation, name="Marque employeur")
    kind, _ = AmbassadorType.objects.get_or_create(organisation=organisation, kind="supporter")
    people = []
    for account in accounts:
        person = chaos_world._person(
            organisation, account["number"], "ambassador", Role.AMBASSADOR, "UTC"
        )
        Enrolment.objects.create(
            program=program, person=person, ambassador_type=kind, status=Enrolment.Status.ACTIVE
        )
        people.append((person, account))

    def connect(pair: tuple[Any, dict[str, Any]]) -> tuple[int, int]:
        person, account = pair
        fields = {"handle": account["handle"], "app_password": account["app_password"]}
        connected = account_actions.connect_with_password(
            actor_for_person(person), "bluesky", {**fields, "pds_url": pds}
        )
        return person.pk, connected.pk

    built = Built(organisation.pk, program.pk, timedelta(minutes=stagger))
    built.people = in_threads(threads, connect, people)
    return built


def baseline(pds: str, accounts: list[dict[str, Any]], threads: int) -> dict[str, Any]:
    """The network call alone: one post per account, straight to the PDS from ``threads``
    threads with httpx, the record shaped as the Bluesky module shapes it."""
    link = "https://bench.example/r/abcdefgh"

    def write(share: list[dict[str, Any]]) -> int:
        with httpx.Client(base_url=f"{pds}/xrpc", timeout=60) as client:
            for account in share:
                text, facets = bluesky.compose(
                    Post(text=f"{BASELINE} {account['number']}", link=link)
                )
                record = {
                    "$type": POST_COLLECTION,
                    "text": text,
                    "facets": facets,
                    "createdAt": timezone.now().isoformat(timespec="milliseconds"),
                    "embed": {
                        "$type": "app.bsky.embed.external",
                        "external": {"uri": link, "title": "Actualité", "description": "Bench."},
                    },
                    "langs": ["fr"],
                }
                answer = client.post(
                    "/com.atproto.repo.createRecord",
                    json={"repo": account["did"], "collection": POST_COLLECTION, "record": record},
                    headers={"Authorization": f"Bearer {account['access_jwt']}"},
                )
                answer.raise_for_status()
        return len(share)

    began = time.perf_counter()
    posts = sum(in_threads(threads, write, [accounts[k::threads] for k in range(threads)]))
    return {"posts": posts, "rate": posts / (time.perf_counter() - began)}


def compose(built: Built, shared_items: int, colleagues: int, seed: int = 19) -> None:
    """One share "now" per person: ``shared_items`` items shared by ``colleagues`` people
    each (the stagger spaces them), every other person on an item of their own."""
    rng = random.Random(seed)
    alone = len(built.people) - shared_items * colleagues
    now = timezone.now()
    items = ContentItem.objects.bulk_create(
        ContentItem(
            organisation_id=built.organisation_id,
            program_id=built.program_id,
            kind=Kind.ARTICLE,
            status=Status.PUBLISHED,
            title=f"Actualité {n}",
            description="Bench.",
            url=f"https://bench.example/news/{n}",
            language="fr",
            published_at=now - timedelta(hours=1),
        )
        for n in range(shared_items + alone)
    )
    order = list(range(len(built.people)))
    rng.shuffle(order)  # the colleagues of an item are not queued one after the other
    people = {p.pk: p for p in chaos_world.Person.objects.select_related("organisation", "user")}
    for index in order:
        person_id, account_id = built.people[index]
        is_shared = index < shared_items * colleagues
        item = (
            items[index // colleagues]
            if is_shared
            else items[shared_items + index - shared_items * colleagues]
        )
        for _attempt in range(5):
            try:
                share = create_share(
                    actor_for_person(people[person_id]),
                    item,
                    chaos_world.message(rng),
                    [TargetRequest(account_id=account_id)],
                    when="now",
                )
                break
            except ValidationError:
                continue  # too similar to a colleague's words: another message
        else:
            raise RuntimeError(f"person {person_id} could not share item {item.pk}")
        for target_id, at in share.targets.values_list("pk", "scheduled_at"):
            if at is None or at <= timezone.now() + timedelta(seconds=5):
                built.due_at_once.add(target_id)
    built.composed_at = time.time()


def unfinished(organisation_id: int) -> int:
    return (
        ShareTarget.objects.filter(organisation_id=organisation_id)
        .exclude(status__in=chaos_world.FINAL)
        .count()
    )


def on_pds(pds: str, accounts: list[dict[str, Any]], threads: int = 4) -> dict[str, list[str]]:
    """DID -> the URIs of the posts its repository holds, but the baseline's."""
    lock = threading.Lock()
    found: dict[str, list[str]] = {}
    client = httpx.Client(base_url=f"{pds}/xrpc", timeout=60)

    def read(account: dict[str, Any]) -> None:
        answer = client.get(
            "/com.atproto.repo.listRecords",
            params={"repo": account["did"], "collection": POST_COLLECTION, "limit": 100},
        )
        answer.raise_for_status()
        uris = [
            record["uri"]
            for record in answer.json()["records"]
            if not record["value"]["text"].startswith(BASELINE)
        ]
        with lock:
            found[account["did"]] = uris

    with client:
        in_threads(threads, read, accounts)
    return found
