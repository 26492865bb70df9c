"""The organisation of load_test.py: ambassadors with Bluesky accounts on a local PDS.

Built through the product's own code where it matters to the run (sharing and tracking
settings, connecting each account, short links); people are created like the tests'
fixtures. The result is a plan (JSON) that scripts/locustfile.py reads: who signs in
with a password, who arrives with the session a browser kept, which item each one
shares, and the short links of the posts they shared before the run.
"""

from __future__ import annotations

import json
import os
import select
import subprocess
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
PDS_TOOL = ROOT / "tools" / "bluesky-pds"
PDS_NODE = PDS_TOOL / "node_modules" / "node" / "bin" / "node"
# Every ambassador's, for signing in and on the PDS: a throwaway organisation.
PASSWORD = "load-test-password"  # noqa: S105
LINKS_EACH = 2  # short links of earlier posts, per ambassador


@dataclass
class Pds:
    process: subprocess.Popen[str]
    url: str
    folder: tempfile.TemporaryDirectory[str]

    def stop(self) -> None:
        if self.process.stdin:
            self.process.stdin.close()
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.folder.cleanup()


def start_pds(port: int, log: Path) -> Pds:
    """tools/bluesky-pds on ``port`` (what the test suite's fixture starts)."""
    if not PDS_NODE.exists():
        raise RuntimeError(
            f"{PDS_NODE} is missing: install the local PDS as tools/bluesky-pds/README.md says"
        )
    # Its own temporary folder: dev-env keeps port reservations in TMPDIR.
    folder = tempfile.TemporaryDirectory(prefix="ambassade-load-pds-")
    env = {**os.environ, "TMPDIR": folder.name}
    env["PATH"] = f"{PDS_NODE.parent}{os.pathsep}{env.get('PATH', '')}"
    with log.open("w") as errors:
        process = subprocess.Popen(  # noqa: S603 (the tool's own node, fixed arguments)
            [str(PDS_NODE), "start-pds.mjs", str(port)],
            cwd=PDS_TOOL,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
        )
    assert process.stdout is not None
    ready, _, _ = select.select([process.stdout], [], [], 120)
    line = process.stdout.readline() if ready else ""
    if not line.startswith("{"):
        process.kill()
        folder.cleanup()
        raise RuntimeError(f"the local PDS did not start within 120 s (see {log})")
    url = json.loads(line)["pds_url"].replace("//localhost:", "//127.0.0.1:")
    return Pds(process, url, folder)


def create_pds_accounts(pds_url: str, count: int) -> list[str]:
    """``count`` accounts on the PDS; their handles. Four at a time: the PDS hashes each
    password (scrypt), so more in parallel only queue on its one thread."""

    def one(number: int) -> str:
        handle = f"ambassador{number}.test"
        answer = httpx.post(
            f"{pds_url}/xrpc/com.atproto.server.createAccount",
            json={
                "handle": handle,
                "email": f"ambassador{number}@load.invalid",
                "password": PASSWORD,
            },
            timeout=60,
        )
        if answer.status_code != 200:
            raise RuntimeError(f"the PDS refused {handle}: {answer.text[:200]}")
        return handle

    with ThreadPoolExecutor(4) as pool:
        return list(pool.map(one, range(1, count + 1)))


def build(
    *,
    ambassadors: int,
    pds_url: str,
    short_base: str,
    sign_in_fraction: float,
    address_of: Any,
) -> dict[str, Any]:
    """The organisation in the (empty, migrated) database; returns the plan's people."""
    from django.contrib.auth.hashers import make_password
    from django.db import connection
    from django.utils import timezone

    from ambassade.content.models import ContentItem, Kind, Status
    from ambassade.core.authz import actor_for_person
    from ambassade.core.roles import Role
    from ambassade.programs.models import AmbassadorType, Program
    from ambassade.sharing.actions import settings as sharing_settings
    from ambassade.testing.factories import OrganisationFactory
    from ambassade.tracking.actions import update_tracking_settings

    organisation = OrganisationFactory(name="Charge SA", slug="charge")
    password_hash = make_password(PASSWORD)  # once: hashing costs about half a second
    admin = _person(organisation, 0, "admin", Role.ADMIN, password_hash)
    actor = actor_for_person(admin)
    # Quiet hours off: a run at night must publish like one in the afternoon. A gap of one
    # minute between colleagues' posts of one item, and one item per ambassador, so that
    # the stagger does not hold posts past the end of the run.
    sharing_settings.update_settings(
        actor, {"stagger_minutes": 1, "daily_cap": 10, "quiet_start": None, "quiet_end": None}
    )
    update_tracking_settings(actor, {"base_url": short_base})
    program = Program.objects.create(organisation=organisation, name="Marque employeur")
    kind, _ = AmbassadorType.objects.get_or_create(organisation=organisation, kind="supporter")
    now = timezone.now()
    items = ContentItem.objects.bulk_create(
        ContentItem(
            organisation=organisation,
            program=program,
            kind=Kind.ARTICLE,
            status=Status.PUBLISHED,
            title=f"Actualité {n}",
            description="Une nouvelle de l'entreprise à partager.",
            url=f"https://charge.example/news/{n}",
            language="fr",
            published_at=now - timedelta(hours=1, minutes=n % 600),
        )
        for n in range(ambassadors)
    )
    handles = create_pds_accounts(pds_url, ambassadors)
    connection.close()  # the threads below open their own connections
    people: list[dict[str, Any]] = [{} for _ in range(ambassadors)]
    failures: list[str] = []
    lock = threading.Lock()

    def one(number: int) -> None:
        try:
            people[number - 1] = _ambassador(
                organisation,
                program,
                kind,
                number,
                password_hash,
                handles[number - 1],
                pds_url,
                items[number - 1],
                # Spread among the arrivals, not all among the first.
                signs_in=int(number * sign_in_fraction) > int((number - 1) * sign_in_fraction),
            )
            people[number - 1]["address"] = address_of(number)
        except Exception as error:  # counted and reported below
            with lock:
                failures.append(f"ambassador {number}: {error}")
        finally:
            connection.close()

    with ThreadPoolExecutor(4) as pool:
        list(pool.map(one, range(1, ambassadors + 1)))
    if failures:
        raise RuntimeError(f"{len(failures)} ambassadors not built; first: {failures[0]}")
    return {"organisation_id": organisation.pk, "ambassadors": people}


def _person(organisation: Any, number: int, name: str, role: str, password_hash: str) -> Any:
    from ambassade.accounts.models import User
    from ambassade.people.models import Person, RoleAssignment

    email = f"{name}{number}@charge.example"
    user = User.objects.create(email=email, password=password_hash, time_zone="Europe/Paris")
    person = Person.objects.create(
        organisation=organisation,
        user=user,
        email=email,
        first_name=name.title(),
        last_name=str(number),
    )
    RoleAssignment.objects.create(person=person, role=role)
    return person


def _ambassador(
    organisation: Any,
    program: Any,
    kind: Any,
    number: int,
    password_hash: str,
    handle: str,
    pds_url: str,
    item: Any,
    *,
    signs_in: bool,
) -> dict[str, Any]:
    from ambassade.core.authz import actor_for_person
    from ambassade.core.roles import Role
    from ambassade.programs.models import Enrolment
    from ambassade.sharing.actions import accounts
    from ambassade.tracking.actions import create_link

    person = _person(organisation, number, "ambassador", Role.AMBASSADOR, password_hash)
    Enrolment.objects.create(
        program=program, person=person, ambassador_type=kind, status=Enrolment.Status.ACTIVE
    )
    account = accounts.connect_with_password(
        actor_for_person(person),
        "bluesky",
        {"handle": handle, "app_password": PASSWORD, "pds_url": pds_url},
    )
    links = [
        create_link(
            organisation=organisation,
            url=item.url,
            network="bluesky",
            person=person,
            content_item_id=item.pk,
            program_id=program.pk,
        ).code
        for _ in range(LINKS_EACH)
    ]
    return {
        "email": person.email,
        "password": PASSWORD if signs_in else None,
        "session": None if signs_in else _session_of(person.user),
        "item": item.pk,
        "account": account.pk,
        "links": links,
    }


def _session_of(user: Any) -> str:
    """A signed-in session, as the browser of someone who signed in last week keeps it."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return str(session.session_key)
