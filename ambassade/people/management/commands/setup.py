"""`ambassade setup`: a real organisation and its first admin on a fresh instance."""

from __future__ import annotations

import getpass
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from ambassade.core.models import Organisation
from ambassade.people.actions import create_organisation
from ambassade.people.actions.organisations import account_exists

FLAGS = {
    "organisation": "--organisation",
    "admin_email": "--admin-email",
    "admin_name": "--admin-name",
    "languages": "--languages",
    "time_zone": "--time-zone",
    "password": "--password-file",
}


def validation_lines(error: ValidationError) -> list[str]:
    """One line per problem, naming the flag it is about."""
    if not hasattr(error, "error_dict"):
        return list(error.messages)
    return [
        f"{FLAGS.get(field, field)}: {message}"
        for field, messages in error.message_dict.items()
        for message in messages
    ]


def read_password_file(path: Path) -> str:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise CommandError(f"--password-file: cannot read {path}: {error.strerror}") from None
    if not lines or not lines[0]:
        raise CommandError(f"--password-file: {path} is empty.")
    return lines[0]


class Command(BaseCommand):
    help = (
        "Create an organisation and its first admin. Interactive, or with flags for "
        "automation; the password comes from a prompt or --password-file, never a flag."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--organisation", help="Name of the organisation, e.g. Acme")
        parser.add_argument("--admin-email", help="E-mail address of the first admin")
        parser.add_argument("--admin-name", help="First and last name of the first admin")
        parser.add_argument(
            "--languages", help="Comma-separated language codes, the first is the default"
        )
        parser.add_argument("--time-zone", help="IANA time zone, e.g. Europe/Paris")
        parser.add_argument(
            "--password-file",
            type=Path,
            help="A file whose first line is the admin's password (instead of the prompt)",
        )
        parser.add_argument(
            "--add-another",
            action="store_true",
            help="Create an organisation even though others exist on this instance",
        )
        parser.add_argument(
            "--no-input", action="store_true", help="Never prompt: fail on a missing value"
        )

    def _ask(self, label: str, default: str = "") -> str:
        prompt = f"{label} [{default}]: " if default else f"{label}: "
        self.stdout.write(prompt, ending="")
        self.stdout.flush()
        line = sys.stdin.readline()
        if not line:
            raise CommandError(f"No answer for “{label}” (end of input).")
        return line.strip() or default

    def _secret(self, prompt: str) -> str:
        if sys.stdin.isatty():
            return getpass.getpass(prompt)
        # Piped input (automation, tests): one line, never echoed anywhere.
        self.stdout.write(prompt, ending="")
        return sys.stdin.readline().rstrip("\n")

    def _password(self, options: dict[str, Any], interactive: bool) -> str:
        path: Path | None = options["password_file"]
        if path is not None:
            return read_password_file(path)
        if not interactive:
            raise CommandError("--password-file is required with --no-input.")
        first = self._secret("Password of the admin: ")
        second = self._secret("The same password again: ")
        if first != second:
            raise CommandError("The two passwords differ; nothing was created.")
        return first

    def handle(self, *args: Any, **options: Any) -> None:
        if Organisation.objects.exists() and not options["add_another"]:
            raise CommandError(
                "An organisation already exists on this instance: nothing was created. "
                "Use --add-another to create another organisation."
            )
        interactive = not options["no_input"]
        defaults = {"languages": settings.LANGUAGE_CODE.split("-")[0], "time_zone": "Europe/Paris"}
        labels = {
            "organisation": "Organisation name",
            "admin_email": "Admin's e-mail address",
            "admin_name": "Admin's first and last name",
            "languages": "Languages (comma-separated codes, first is the default)",
            "time_zone": "Time zone",
        }
        values: dict[str, str] = {}
        for field, label in labels.items():
            value = options[field]
            if value is None and interactive:
                value = self._ask(label, defaults.get(field, ""))
            if value is None:
                if field not in defaults:
                    raise CommandError(f"{FLAGS[field]} is required with --no-input.")
                value = defaults[field]
            values[field] = value
        password = None
        if not account_exists(values["admin_email"]):
            password = self._password(options, interactive)
        try:
            created = create_organisation(
                name=values["organisation"],
                admin_email=values["admin_email"],
                admin_name=values["admin_name"],
                languages=values["languages"],
                time_zone=values["time_zone"],
                password=password,
                add_another=options["add_another"],
                via="cli",
            )
        except ValidationError as error:
            raise CommandError(
                "Nothing was created:\n" + "\n".join(validation_lines(error))
            ) from None
        organisation = created.organisation
        self.stdout.write(
            self.style.SUCCESS(
                f"Created the organisation “{organisation.name}” ({organisation.slug}) "
                f"and its admin {created.admin.email}."
            )
        )
        if not created.account_created:
            self.stdout.write("The admin already had an account: their password is unchanged.")
        self.stdout.write(
            f"Next: sign in at {settings.BASE_URL.rstrip('/')}/accounts/login/ "
            "and follow the checklist on the console's home page."
        )
