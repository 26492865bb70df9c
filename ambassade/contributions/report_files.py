"""The contribution report as a file: PDF (reportlab) or CSV (section, label, value).

The PDF uses reportlab's standard Helvetica, whose WinAnsi encoding covers French
accents and the euro sign: no font is bundled.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from decimal import Decimal
from io import BytesIO, StringIO
from typing import Any
from xml.sax.saxutils import escape

from django.http import HttpResponse
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from ambassade.contributions.report import Report

MARGIN = 18 * mm
WIDTH = A4[0] - 2 * MARGIN
# Spreadsheets run a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _day(value: Any) -> str:
    return date_format(value, "DATE_FORMAT")


def _number(value: int | Decimal) -> str:
    places = 2 if isinstance(value, Decimal) else 0
    return number_format(value, places, force_grouping=True)


def _contribution_line(contribution: Any) -> list[str]:
    return [contribution.title, contribution.audience, contribution.url]


# --- PDF --------------------------------------------------------------------------------


def _styles() -> dict[str, ParagraphStyle]:
    sheet = getSampleStyleSheet()
    return {
        "title": sheet["Title"],
        # Never a heading alone at the foot of a page.
        "heading": ParagraphStyle("heading", parent=sheet["Heading2"], keepWithNext=1),
        "body": sheet["BodyText"],
        "cell": ParagraphStyle("cell", parent=sheet["BodyText"], fontSize=9, leading=11),
        "note": ParagraphStyle(
            "note", parent=sheet["BodyText"], fontSize=8, leading=10, textColor=colors.grey
        ),
    }


def _table(
    rows: list[list[Any]],
    widths: list[float],
    *,
    numeric_from: int | None = None,
    header: bool = True,
) -> Table:
    """A table with a header row, or (header=False) with its first column as labels."""
    table = Table(rows, colWidths=widths, repeatRows=1 if header else 0, hAlign="LEFT")
    style: list[tuple[Any, ...]] = [
        ("FONT", (0, 0), (-1, -1), "Helvetica", 9),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#c5ccd8")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]
    if header:
        style.append(("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 9))
        style.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8edf5")))
    else:
        style.append(("FONT", (0, 0), (0, -1), "Helvetica-Bold", 9))
    if numeric_from is not None:
        style.append(("ALIGN", (numeric_from, 0), (-1, -1), "RIGHT"))
    table.setStyle(TableStyle(style))
    return table


def _story(report: Report) -> Iterator[Flowable]:
    styles = _styles()

    def text(value: Any, style: str = "cell") -> Paragraph:
        return Paragraph(escape(str(value)), styles[style])

    yield text(_("Contribution report"), "title")
    yield _table(
        [
            [_("Person"), text(report.person.full_name)],
            [_("Program"), text(report.program.name)],
            [_("Ambassador type"), text(report.ambassador_type)],
            [_("Period"), f"{_day(report.start)} – {_day(report.end)}"],
            [_("Made on"), _day(timezone.localtime(report.generated_at))],
        ],
        [45 * mm, WIDTH - 45 * mm],
        header=False,
    )
    yield Spacer(1, 4 * mm)
    yield text(_("Figures of the period"), "heading")
    yield _table(
        [[_("Figure"), _("Value")]]
        + [[text(figure.label), _number(figure.value)] for figure in report.figures],
        [WIDTH - 40 * mm, 40 * mm],
        numeric_from=1,
    )
    yield text(
        _(
            "Potential reach is potential: the audiences of the accounts the posts were "
            "published from, not the people who saw them. Days are UTC days."
        ),
        "note",
    )
    yield text(_("Influence indicator"), "heading")
    indicator = report.influence
    yield _table(
        [[_("Part"), _("Measured"), _("Score (out of 100)")]]
        + [[text(part.label), text(part.display), str(part.score)] for part in indicator.parts]
        + [[text(_("Overall (mean of the scores)")), "", str(indicator.overall)]],
        [50 * mm, WIDTH - 85 * mm, 35 * mm],
        numeric_from=2,
    )
    yield text(
        _(
            "Follower counts and potential reach are not part of the indicator: visibility is "
            "not influence. It is never published as a ranking."
        ),
        "note",
    )
    for part in indicator.parts:
        yield text(f"{part.label}: {part.definition}", "note")
    yield text(_("Contributions logged"), "heading")
    if report.contributions:
        yield _table(
            [[_("Date"), _("Kind"), _("Contribution")]]
            + [
                [
                    _day(contribution.occurred_on),
                    text(contribution.get_kind_display()),
                    text(" — ".join(part for part in _contribution_line(contribution) if part)),
                ]
                for contribution in report.contributions
            ],
            [30 * mm, 32 * mm, WIDTH - 62 * mm],
        )
    else:
        yield text(_("No contribution logged in this period."), "body")


def as_pdf(report: Report) -> bytes:
    buffer = BytesIO()
    footer_label = _("Contribution report of %(name)s") % {"name": report.person.full_name}

    def footer(canvas: Canvas, document: Any) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.setFillColor(colors.grey)
        canvas.drawString(MARGIN, 10 * mm, footer_label)
        canvas.drawRightString(
            A4[0] - MARGIN, 10 * mm, _("Page %(number)d") % {"number": document.page}
        )
        canvas.restoreState()

    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=footer_label,
        author="Ambassade",
    )
    document.build(list(_story(report)), onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()


# --- CSV --------------------------------------------------------------------------------


def _cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def as_csv(report: Report) -> str:
    out = StringIO()
    writer = csv.writer(out)
    writer.writerow([_("Section"), _("Label"), _("Value")])
    about, figures, indicator, logged = (
        _("Report"),
        _("Figures of the period"),
        _("Influence indicator"),
        _("Contributions logged"),
    )
    rows: list[tuple[str, str, Any]] = [
        (about, _("Person"), report.person.full_name),
        (about, _("Program"), report.program.name),
        (about, _("Ambassador type"), report.ambassador_type),
        (about, _("Period start"), report.start.isoformat()),
        (about, _("Period end"), report.end.isoformat()),
        (about, _("Made on"), report.generated_at.date().isoformat()),
    ]
    rows += [(figures, figure.label, figure.value) for figure in report.figures]
    for part in report.influence.parts:
        rows.append((indicator, part.label, part.display))
        rows.append(
            (indicator, _("%(part)s (score out of 100)") % {"part": part.label}, part.score)
        )
    rows.append((indicator, _("Overall (score out of 100)"), report.influence.overall))
    rows += [
        (
            logged,
            f"{contribution.occurred_on.isoformat()} · {contribution.get_kind_display()}",
            " — ".join(part for part in _contribution_line(contribution) if part),
        )
        for contribution in report.contributions
    ]
    for section, label, value in rows:
        writer.writerow([_cell(section), _cell(label), _cell(value)])
    return out.getvalue()


def response(report: Report, file_format: str) -> HttpResponse:
    name = f"contribution-report-{report.person.pk}-{report.start}-{report.end}.{file_format}"
    if file_format == "pdf":
        found = HttpResponse(as_pdf(report), content_type="application/pdf")
    else:
        found = HttpResponse(as_csv(report), content_type="text/csv; charset=utf-8")
    found["Content-Disposition"] = f'attachment; filename="{name}"'
    found["Cache-Control"] = "private, no-store"
    return found
