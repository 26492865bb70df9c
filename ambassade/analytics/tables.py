"""The tables of the dashboards: one object rendered as HTML, CSV, XLSX and API JSON.

Pages, exports and the API all draw from the same ``Table``, so they cannot disagree.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from io import BytesIO, StringIO
from typing import Any

from django.http import Http404, HttpResponse
from django.utils.text import slugify
from django.utils.translation import gettext

TEXT, INT, DECIMAL, PERCENT, MONEY, DATE = "text", "int", "decimal", "percent", "money", "date"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Spreadsheet programs run cells starting with these as formulas (CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Characters a spreadsheet refuses in a sheet's name.
SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: str = INT
    anchor: str = ""  # the definition on the "how we count" page

    @property
    def numeric(self) -> bool:
        return self.kind != TEXT and self.kind != DATE


@dataclass
class Table:
    key: str
    title: str
    columns: list[Column]
    rows: list[list[Any]] = field(default_factory=list)
    note: str = ""
    links: list[str] = field(default_factory=list)  # per row, optional (HTML only)

    def as_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "title": self.title,
            "columns": [{"key": c.key, "label": c.label, "kind": c.kind} for c in self.columns],
            "rows": [[_json(value) for value in row] for row in self.rows],
        }

    @property
    def html_rows(self) -> list[tuple[str, list[tuple[Any, Column]]]]:
        links = self.links or [""] * len(self.rows)
        return [
            (link, list(zip(row, self.columns, strict=True)))
            for link, row in zip(links, self.rows, strict=True)
        ]


def _json(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_response(table: Table, name: str) -> HttpResponse:
    out = StringIO()
    writer = csv.writer(out)
    writer.writerow([column.label for column in table.columns])
    for row in table.rows:
        writer.writerow([_cell(_json(value)) for value in row])
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{slugify(name)}.csv"'
    return response


def sheet_title(title: str, used: set[str]) -> str:
    """A sheet name from a table's (translated) title: at most 31 characters, none of the
    characters spreadsheets refuse, unique in the workbook."""
    cleaned = " ".join(SHEET_FORBIDDEN.sub(" ", title).split()).strip("'")[:31] or "—"
    candidate, number = cleaned, 1
    while candidate.lower() in used:
        number += 1
        suffix = f" ({number})"
        candidate = cleaned[: 31 - len(suffix)] + suffix
    used.add(candidate.lower())
    return candidate


def xlsx_response(
    tables: list[Table], name: str, about: list[tuple[str, str]] | None = None
) -> HttpResponse:
    """One sheet per table, named from its title; numbers stay numbers, dates stay dates.

    ``about`` (label, value) rows make a first sheet saying what produced the figures:
    the program, the period and the filters.
    """
    # openpyxl (20 MB) is imported by the request that exports, not by every web process.
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    used: set[str] = set()
    if about:
        sheet = book.create_sheet(title=sheet_title(gettext("Filters and period"), used))
        for label, value in about:
            sheet.append([_cell(label), _cell(value)])
    for table in tables:
        sheet = book.create_sheet(title=sheet_title(str(table.title) or table.key, used))
        sheet.append([column.label for column in table.columns])
        for row in table.rows:
            sheet.append(
                [float(value) if isinstance(value, Decimal) else _cell(value) for value in row]
            )
    buffer = BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{slugify(name)}.xlsx"'
    return response


def export(
    tables: list[Table], params: Any, name: str, about: list[tuple[str, str]] | None = None
) -> HttpResponse | None:
    """The download asked for by ``?export=<table key>|all&format=csv|xlsx``, if any."""
    wanted = params.get("export")
    if not wanted:
        return None
    fmt = params.get("format", "csv")
    chosen = tables if wanted == "all" else [t for t in tables if t.key == wanted]
    if not chosen or fmt not in ("csv", "xlsx") or (fmt == "csv" and len(chosen) != 1):
        raise Http404("No such table or format.")
    if fmt == "csv":
        return csv_response(chosen[0], f"{name}-{chosen[0].key}")
    return xlsx_response(chosen, name if wanted == "all" else f"{name}-{chosen[0].key}", about)
