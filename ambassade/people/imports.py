"""Reading a people CSV and working out what importing it would do, without writing.

``parse`` turns the uploaded bytes into rows; ``plan`` compares each row with the
organisation's people and says, line by line, create / update / unchanged / error.
The actions module stores the rows in a ``PeopleImport`` and applies the plan.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from ambassade.core.models import Organisation
from ambassade.people.models import Department, EmploymentStatus, Person, Site

MAX_BYTES = 5 * 1024 * 1024
MAX_LINES = 20_000
COLUMNS = [
    "email",
    "first_name",
    "last_name",
    "job_title",
    "department",
    "site",
    "languages",
    "manager_email",
    "employment_status",
    "start_date",
    "end_date",
]
REQUIRED_COLUMNS = {"email", "first_name", "last_name"}
# The fields an import may change, in the order a preview lists the changes.
FIELDS = [
    "first_name",
    "last_name",
    "job_title",
    "department",
    "site",
    "languages",
    "manager",
    "employment_status",
    "start_date",
    "end_date",
]


class ImportFileError(ValueError):
    """The file as a whole cannot be read (size, encoding, header)."""


def parse(content: bytes) -> list[dict[str, Any]]:
    """Rows as ``{"line": n, "values": {column: text}}``; line 1 is the header."""
    if len(content) > MAX_BYTES:
        raise ImportFileError(
            _("The file is larger than %(size)d MB. Split it into several files.")
            % {"size": MAX_BYTES // (1024 * 1024)}
        )
    try:
        text = content.decode("utf-8-sig")  # with or without a byte order mark
    except UnicodeDecodeError as error:
        raise ImportFileError(
            _("The file is not UTF-8 text. Save it as “CSV UTF-8” and upload it again.")
        ) from error
    if "\x00" in text:
        # No database column can hold it, and no spreadsheet writes it.
        raise ImportFileError(_("The file contains a NUL character: it is not a CSV file."))
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise ImportFileError(_("The file is empty."))
    if len(lines) - 1 > MAX_LINES:
        raise ImportFileError(
            _("The file has more than %(lines)d lines. Split it into several files.")
            % {"lines": MAX_LINES}
        )
    header_line = lines[0]
    delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        return _rows(reader)
    except csv.Error as error:
        raise ImportFileError(
            _("Line %(line)d cannot be read: %(error)s.")
            % {"line": reader.line_num, "error": error}
        ) from None


def _rows(reader: Any) -> list[dict[str, Any]]:
    header = [name.strip().lower() for name in next(reader)]
    missing = sorted(REQUIRED_COLUMNS - set(header))
    if missing:
        raise ImportFileError(_("Missing columns: %s.") % ", ".join(missing))
    unknown = sorted(set(header) - set(COLUMNS) - {""})
    if unknown:
        raise ImportFileError(
            _("Unknown columns: %(unknown)s. The columns are: %(columns)s.")
            % {"unknown": ", ".join(unknown), "columns": ", ".join(COLUMNS)}
        )
    rows = []
    for cells in reader:
        if not any(cell.strip() for cell in cells):
            continue
        values = {name: cell.strip() for name, cell in zip(header, cells, strict=False) if name}
        rows.append({"line": reader.line_num, "values": values})
    return rows


def _parse_date(text: str) -> date:
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(text)


def language_codes() -> set[str]:
    return {code for code, _name in settings.LANGUAGES}


def split_languages(text: str) -> list[str]:
    return [code.strip().lower() for code in re.split(r"[,|]", text) if code.strip()]


@dataclass
class Lookups:
    """Everything a plan compares against, loaded once per file (a few queries)."""

    departments: dict[str, Department]
    sites: dict[str, Site]
    people: dict[str, Person]

    @classmethod
    def load(cls, organisation: Organisation) -> Lookups:
        return cls(
            departments={
                d.name.casefold(): d for d in Department.objects.filter(organisation=organisation)
            },
            sites={s.name.casefold(): s for s in Site.objects.filter(organisation=organisation)},
            people={
                p.email.lower(): p
                for p in Person.objects.filter(organisation=organisation).select_related(
                    "department", "site", "manager"
                )
            },
        )


@dataclass
class PlannedRow:
    line: int
    email: str
    action: str  # create, update, unchanged, error
    errors: list[str] = field(default_factory=list)
    changes: dict[str, list[Any]] = field(default_factory=dict)
    values: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {
            "line": self.line,
            "email": self.email,
            "action": self.action,
            "errors": self.errors,
            "changes": self.changes,
        }


def _current(person: Person) -> dict[str, Any]:
    return {
        "first_name": person.first_name,
        "last_name": person.last_name,
        "job_title": person.job_title,
        "department": person.department.name if person.department else None,
        "site": person.site.name if person.site else None,
        "languages": list(person.languages),
        "manager": person.manager.email.lower() if person.manager else None,
        "employment_status": person.employment_status,
        "start_date": person.start_date.isoformat() if person.start_date else None,
        "end_date": person.end_date.isoformat() if person.end_date else None,
    }


def _validate_row(
    values: dict[str, str], lookups: Lookups, file_emails: set[str]
) -> tuple[dict[str, Any], list[str]]:
    """The row's wanted values (only the columns present) and its errors."""
    errors: list[str] = []
    wanted: dict[str, Any] = {}
    for name in ("first_name", "last_name"):
        if name in values:
            if not values[name]:
                errors.append(
                    _("The first name is empty.")
                    if name == "first_name"
                    else _("The last name is empty.")
                )
            elif len(values[name]) > 100:
                errors.append(_("A name is longer than 100 characters."))
            wanted[name] = values[name]
    if "job_title" in values:
        if len(values["job_title"]) > 150:
            errors.append(_("The job title is longer than 150 characters."))
        wanted["job_title"] = values["job_title"]
    for name, table, unknown in (
        ("department", lookups.departments, _("Unknown department “%s”.")),
        ("site", lookups.sites, _("Unknown site “%s”.")),
    ):
        if name in values:
            if values[name] and values[name].casefold() not in table:
                errors.append(unknown % values[name])
            found = table.get(values[name].casefold()) if values[name] else None
            wanted[name] = found.name if found else None
    if "languages" in values:
        codes = split_languages(values["languages"])
        bad = sorted(set(codes) - language_codes())
        if bad:
            errors.append(
                _("Unknown language codes: %(bad)s (this instance offers %(known)s).")
                % {"bad": ", ".join(bad), "known": ", ".join(sorted(language_codes()))}
            )
        wanted["languages"] = list(dict.fromkeys(codes))
    if "manager_email" in values:
        manager = values["manager_email"].lower()
        if manager and manager not in lookups.people and manager not in file_emails:
            errors.append(_("Unknown manager e-mail “%s”.") % values["manager_email"])
        wanted["manager"] = manager or None
    if values.get("employment_status"):  # an empty cell keeps the current status
        status = values["employment_status"].lower().replace(" ", "_")
        if status not in EmploymentStatus.values:
            errors.append(
                _("Unknown employment status “%(status)s” (use %(choices)s).")
                % {"status": values["employment_status"], "choices": ", ".join(EmploymentStatus)}
            )
        wanted["employment_status"] = status
    dates: dict[str, date] = {}
    for name, label in (("start_date", _("start date")), ("end_date", _("end date"))):
        if name in values:
            if not values[name]:
                wanted[name] = None
                continue
            try:
                dates[name] = _parse_date(values[name])
                wanted[name] = dates[name].isoformat()
            except ValueError:
                errors.append(
                    _("The %(field)s “%(value)s” is not a date (use YYYY-MM-DD).")
                    % {"field": label, "value": values[name]}
                )
    if "start_date" in dates and "end_date" in dates and dates["end_date"] < dates["start_date"]:
        errors.append(_("The end date is before the start date."))
    return wanted, errors


def plan(organisation: Organisation, rows: list[dict[str, Any]]) -> list[PlannedRow]:
    lookups = Lookups.load(organisation)
    file_emails = {row["values"].get("email", "").lower() for row in rows}
    first_line: dict[str, int] = {}
    planned = []
    for row in rows:
        values: dict[str, str] = row["values"]
        email = values.get("email", "").strip().lower()
        result = PlannedRow(line=row["line"], email=email, action="error")
        try:
            validate_email(email)
        except ValidationError:
            result.errors.append(_("The e-mail address “%s” is not valid.") % values.get("email"))
        if email in first_line:
            result.errors.append(
                _("The e-mail address is already on line %d of the file.") % first_line[email]
            )
        else:
            first_line[email] = row["line"]
        wanted, errors = _validate_row(values, lookups, file_emails)
        result.errors.extend(errors)
        if wanted.get("manager") and wanted["manager"] == email:
            result.errors.append(_("A person cannot be their own manager."))
        existing = lookups.people.get(email)
        if existing is not None and existing.anonymised_at is not None:
            result.errors.append(_("This address belongs to an anonymised person."))
        result.values = wanted
        if not result.errors:
            if existing is None:
                result.action = "create"
                result.changes = {name: [None, wanted[name]] for name in FIELDS if name in wanted}
            else:
                current = _current(existing)
                result.changes = {
                    name: [current[name], wanted[name]]
                    for name in FIELDS
                    if name in wanted and wanted[name] != current[name]
                }
                result.action = "update" if result.changes else "unchanged"
        planned.append(result)
    # A manager known only from the file must come from a line that will be imported.
    by_email = {row.email: row for row in reversed(planned)}
    for result in planned:
        manager = result.values.get("manager")
        if result.action == "error" or not manager or manager in lookups.people:
            continue
        line = by_email.get(manager)
        if line is not None and line.action == "error":
            result.errors.append(
                _("The manager's line (%d) has errors: correct it first.") % line.line
            )
            result.action, result.changes = "error", {}
    return planned


def summary(planned: list[PlannedRow]) -> dict[str, int]:
    counts = {"create": 0, "update": 0, "unchanged": 0, "error": 0}
    for row in planned:
        counts[row.action] += 1
    return counts
