"""The organisation of chaos_publishing.py, built and read through the product's own code.

Needs Django set up on the chaos database. People are created like the tests' fixtures
(an ambassador role, an active enrolment); their accounts are connected through
``sharing.actions`` against the fake networks, and every post is composed with
``create_share`` (caps, stagger and quiet hours checked as for a person).
"""

from __future__ import annotations

import random
import zoneinfo
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from ambassade.accounts.models import User
from ambassade.content.models import ContentItem, Kind, Status
from ambassade.core.authz import actor_for_person
from ambassade.core.roles import Role
from ambassade.people.models import Person, RoleAssignment
from ambassade.programs.models import AmbassadorType, Enrolment, Program
from ambassade.sharing.actions import accounts as account_actions
from ambassade.sharing.actions import settings as settings_actions
from ambassade.sharing.actions.shares import TargetRequest, create_share
from ambassade.sharing.models import ShareTarget, SocialAccount, TargetStatus
from ambassade.sharing.networks.base import Credentials
from ambassade.testing.factories import OrganisationFactory

# People in QUIET_ZONE reach quiet hours during the run; the others are hours away from them.
QUIET_ZONE = "UTC"
OTHER_ZONES = ("America/Sao_Paulo", "Asia/Kolkata")
_VOCABULARY = """
équipe projet Lyon talents ingénieurs rejoindre curieux semaine chantier usine
clients fierté recrute nouveau site innovation énergie partage collègues métier
découvrir atelier avenir idées formation stage alternance carrière réseau ville
produit lancement qualité sécurité données cloud logiciel terrain service ouvert
rencontre salon conférence jeudi lundi matin soir belle aventure écrivez-moi
"""
WORDS = _VOCABULARY.split()
FINAL = {
    TargetStatus.PUBLISHED,
    TargetStatus.FAILED,
    TargetStatus.TO_VERIFY,
    TargetStatus.CANCELLED,
}


@dataclass
class World:
    organisation_id: int
    quiet_from: datetime  # UTC, for the people of QUIET_ZONE
    quiet_until: datetime
    daily_cap: int
    stagger_minutes: int
    accounts: dict[int, list[int]] = field(default_factory=dict)  # person -> account ids
    items: list[int] = field(default_factory=list)
    refused: Counter[str] = field(default_factory=Counter)  # composes the product refused


def build(
    fakes: dict[str, Any],
    *,
    posts: int,
    networks_each: int,
    daily_cap: int,
    quiet_from: datetime,
    quiet_until: datetime,
    seed: int,
) -> World:
    """An organisation, its rules, ``posts / networks_each / daily_cap`` people, items."""
    rng = random.Random(seed)
    organisation = OrganisationFactory(name="Chaos SA", slug="chaos")
    admin = _person(organisation, 0, "admin", Role.ADMIN, QUIET_ZONE)
    admin_actor = actor_for_person(admin)
    settings_actions.update_settings(
        admin_actor,
        {
            "daily_cap": daily_cap,
            "stagger_minutes": 1,
            "quiet_start": quiet_from.time().replace(second=0, microsecond=0),
            "quiet_end": quiet_until.time().replace(second=0, microsecond=0),
        },
    )
    if "x" in fakes:
        settings_actions.save_network_app(admin_actor, "x", "chaos-client", "chaos-secret")
    program = Program.objects.create(organisation=organisation, name="Marque employeur")
    kind, _ = AmbassadorType.objects.get_or_create(organisation=organisation, kind="supporter")
    world = World(organisation.pk, quiet_from, quiet_until, daily_cap, 1)
    codes = sorted(fakes)
    people = max(1, -(-posts // (networks_each * daily_cap)))
    for number in range(1, people + 1):
        zone = QUIET_ZONE if number % 3 == 0 else OTHER_ZONES[number % 2]
        person = _person(organisation, number, "ambassador", Role.AMBASSADOR, zone)
        Enrolment.objects.create(
            program=program, person=person, ambassador_type=kind, status=Enrolment.Status.ACTIVE
        )
        actor = actor_for_person(person)
        chosen = [codes[(number + k) % len(codes)] for k in range(min(networks_each, len(codes)))]
        world.accounts[person.pk] = [
            _connect(actor, code, fakes[code], str(10000 + number * 10 + k)).pk
            for k, code in enumerate(chosen)
        ]
    items = max(1, -(-posts // (networks_each * 3)))  # about three shares per item
    now = timezone.now()
    created = ContentItem.objects.bulk_create(
        ContentItem(
            organisation=organisation,
            program=program,
            kind=Kind.ARTICLE,
            status=Status.PUBLISHED,
            title=f"Actualité {n}",
            description="Chaos.",
            url=f"https://chaos.example/news/{n}",
            language="fr",
            published_at=now - timedelta(hours=1),
        )
        for n in range(items)
    )
    world.items = [item.pk for item in created]
    rng.shuffle(world.items)
    return world


def _person(organisation: Any, number: int, name: str, role: str, zone: str) -> Person:
    email = f"{name}{number}@chaos.example"
    user = User(email=email, time_zone=zone)
    user.set_unusable_password()  # hashing a password per person would take minutes
    user.save()
    person = Person.objects.create(
        organisation=organisation,
        user=user,
        email=email,
        first_name=name.title(),
        last_name=str(number),
    )
    RoleAssignment.objects.create(person=person, role=role)
    return person


def _connect(actor: Any, code: str, fake: Any, account: str) -> SocialAccount:
    if code == "bluesky":
        handle, password = fake.connect(account)
        return account_actions.connect_with_password(
            actor, code, {"handle": handle, "app_password": password, "pds_url": fake.url}
        )
    if code == "mastodon":
        secrets = {
            "access_token": fake.connect(account),
            "instance": fake.url,
            "client_id": "chaos",
        }
        return account_actions.connect_with_oauth(actor, code, Credentials(secrets=secrets))
    grant = fake.connect(account)  # X, as after the authorisation-code exchange
    credentials = Credentials(
        secrets={
            "access_token": grant["access_token"],
            "refresh_token": grant["refresh_token"],
            "user_id": account,
        },
        expires_at=datetime.now(UTC) + timedelta(seconds=grant["expires_in"]),
    )
    return account_actions.connect_with_oauth(actor, code, credentials)


def message(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(9, 14))).capitalize() + " !"


def compose(world: World, *, posts: int, start: datetime, spread: timedelta, seed: int) -> int:
    """Shares with a time each, until ``posts`` targets exist; returns the targets made."""
    rng = random.Random(seed)
    people = list(world.accounts)
    made = 0
    turn = 0
    while made < posts and turn < posts * 3:
        person = Person.objects.select_related("organisation", "user").get(
            pk=people[turn % len(people)]
        )
        account_ids = world.accounts[person.pk][: posts - made]
        item = ContentItem.objects.get(pk=world.items[turn % len(world.items)])
        turn += 1
        at = max(start + spread * rng.random(), timezone.now() + timedelta(seconds=5))
        if person.user.time_zone == QUIET_ZONE and world.quiet_from <= at < world.quiet_until:
            at = world.quiet_until + timedelta(seconds=rng.uniform(1, 30))
        try:
            share = create_share(
                actor_for_person(person),
                item,
                message(rng),
                [TargetRequest(account_id=pk) for pk in account_ids],
                when="schedule",
                at=at,
            )
        except ValidationError as error:
            world.refused[" ".join(error.messages)[:60]] += 1
            continue
        made += share.targets.count()
    return made


def progress(organisation_id: int) -> Counter[str]:
    return Counter(
        ShareTarget.objects.filter(organisation_id=organisation_id).values_list("status", flat=True)
    )


def all_final(organisation_id: int) -> bool:
    return (
        not ShareTarget.objects.filter(organisation_id=organisation_id)
        .exclude(status__in=FINAL)
        .exclude(status=TargetStatus.DECLARED)
        .exists()
    )


def in_quiet_hours(world: World, zone: str, moment: float, grace: float = 1.0) -> bool:
    """Whether a request that arrived at ``moment`` fell in its author's quiet hours.

    ``grace``: a target claimed a hair before the start may reach the network just after."""
    if zone != QUIET_ZONE:
        local = datetime.fromtimestamp(moment, zoneinfo.ZoneInfo(zone)).time()
        start, end = world.quiet_from.time(), world.quiet_until.time()
        return (start <= local < end) if start < end else (local >= start or local < end)
    return world.quiet_from.timestamp() + grace <= moment < world.quiet_until.timestamp()


def zones_of_accounts(organisation_id: int) -> dict[tuple[str, str], tuple[str, int]]:
    """(network, the network's account id) -> (time zone, person id)."""
    found = {}
    for account in SocialAccount.objects.filter(organisation_id=organisation_id).select_related(
        "person__user"
    ):
        remote = account.remote_id.split("@", 1)[0].removeprefix("did:plc:")
        found[(account.network, remote)] = (account.person.user.time_zone, account.person_id)
    return found


def targets_by_code(organisation_id: int) -> dict[str, dict[str, Any]]:
    """Link code -> the target's network, status and account."""
    return {
        row["tracked_link__code"]: row
        for row in ShareTarget.objects.filter(organisation_id=organisation_id)
        .exclude(status=TargetStatus.DECLARED)
        .values(
            "id",
            "network",
            "status",
            "scheduled_at",
            "account_id",
            "tracked_link__code",
            "share__person_id",
            "share__item_id",
        )
    }
