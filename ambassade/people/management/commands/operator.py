"""`ambassade operator list|create|suspend|resume`: the instance operator's commands.

The operator runs the instance (not a company's admin): they see every organisation.
Every subcommand takes --json for automation: one JSON document on stdout.
"""

from __future__ import annotations

import getpass
import json
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count

from ambassade.core.models import Organisation
from ambassade.people.actions import create_organisation, resume_organisation, suspend_organisation
from ambassade.people.actions.organisations import account_exists
from ambassade.people.management.commands.setup import read_password_file, validation_lines


def describe(organisation: Organisation, people: int | None = None) -> dict[str, Any]:
    return {
        "id": organisation.pk,
        "name": organisation.name,
        "slug": organisation.slug,
        "languages": organisation.languages or [organisation.default_language],
        "time_zone": organisation.time_zone,
        "created_at": organisation.created_at.isoformat(),
        "suspended_at": organisation.suspended_at.isoformat()
        if organisation.suspended_at
        else None,
        "people": people if people is not None else organisation.people.count(),
    }


class Command(BaseCommand):
    help = "The instance operator's commands: list, create, suspend and resume organisations."

    def add_arguments(self, parser: Any) -> None:
        commands = parser.add_subparsers(dest="action", required=True)
        listing = commands.add_parser("list", help="every organisation of the instance")
        listing.add_argument("--json", action="store_true")
        create = commands.add_parser("create", help="a new organisation and its first admin")
        create.add_argument("--organisation", required=True)
        create.add_argument("--admin-email", required=True)
        create.add_argument("--admin-name", required=True)
        create.add_argument("--languages", default="fr,en")
        create.add_argument("--time-zone", default="Europe/Paris")
        create.add_argument("--password-file", type=Path)
        create.add_argument("--json", action="store_true")
        for name, text in (
            ("suspend", "stop its people's sign-in"),
            ("resume", "undo a suspension"),
        ):
            sub = commands.add_parser(name, help=text)
            sub.add_argument("slug", help="the organisation's short name (see `list`)")
            sub.add_argument("--json", action="store_true")

    def _emit(self, as_json: bool, data: Any, text: str) -> None:
        self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) if as_json else text)

    def _operator(self) -> str:
        try:
            return f"operator ({getpass.getuser()}, command line)"
        except (KeyError, OSError):
            return "operator (command line)"

    def _organisation(self, slug: str) -> Organisation:
        try:
            return Organisation.objects.get(slug=slug)
        except Organisation.DoesNotExist:
            raise CommandError(f"No organisation with the short name “{slug}”.") from None

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        as_json: bool = options["json"]
        if action == "list":
            organisations = Organisation.objects.annotate(n=Count("people")).order_by("name")
            rows = [describe(org, org.n) for org in organisations]
            lines = [
                f"{row['slug']:<24} {row['name']:<30} {row['people']:>6} people"
                + ("  SUSPENDED" if row["suspended_at"] else "")
                for row in rows
            ]
            self._emit(as_json, rows, "\n".join(lines) or "No organisation yet.")
            return
        if action == "create":
            password = None
            if not account_exists(options["admin_email"]):
                if options["password_file"] is None:
                    raise CommandError(
                        "--password-file is required for an admin without an account."
                    )
                password = read_password_file(options["password_file"])
            try:
                created = create_organisation(
                    name=options["organisation"],
                    admin_email=options["admin_email"],
                    admin_name=options["admin_name"],
                    languages=options["languages"],
                    time_zone=options["time_zone"],
                    password=password,
                    add_another=True,
                    via="operator",
                )
            except ValidationError as error:
                raise CommandError(
                    "Nothing was created:\n" + "\n".join(validation_lines(error))
                ) from None
            row = describe(created.organisation) | {"admin": created.admin.email}
            self._emit(
                as_json, row, f"Created {row['name']} ({row['slug']}), admin {row['admin']}."
            )
            return
        organisation = self._organisation(options["slug"])
        change = suspend_organisation if action == "suspend" else resume_organisation
        changed = change(organisation, operator=self._operator(), via="cli")
        organisation.refresh_from_db()
        state = "suspended" if organisation.is_suspended else "active"
        row = describe(organisation) | {"changed": changed}
        verb = "is now" if changed else "was already"
        self._emit(as_json, row, f"{organisation.name} ({organisation.slug}) {verb} {state}.")
