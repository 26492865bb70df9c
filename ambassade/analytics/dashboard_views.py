"""The console's dashboards of a program: overview, content, networks, people, one person.

Every page reads the selection from the query string, draws its tables once, and serves
them as HTML or, with ``?export=<table>|all&format=csv|xlsx``, as a download.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ambassade.analytics import breakdowns, charts, overview, people_groups
from ambassade.analytics.actions import record_export
from ambassade.analytics.breakdowns import figure_columns
from ambassade.analytics.figures import program_figures
from ambassade.analytics.influence import influence
from ambassade.analytics.people_figures import person_figures, visible_enrolment
from ambassade.analytics.selection import RANGES, Options, Selection, networks_of, utc_today
from ambassade.analytics.tables import Table, export
from ambassade.core import display
from ambassade.core.authz import allowed, require
from ambassade.programs.models import Program

# The dashboard pages, as the export's first sheet names them.
TAB_NAMES = {
    "overview": gettext_lazy("Overview"),
    "content": gettext_lazy("Content"),
    "networks": gettext_lazy("Networks"),
    "people": gettext_lazy("People"),
}


def _program(request: HttpRequest, program_id: int) -> tuple[Program, Options, Selection]:
    actor = request.actor  # type: ignore[attr-defined]
    program = get_object_or_404(Program, pk=program_id, organisation=actor.organisation)
    options = Options.of(program.organisation_id)
    return program, options, Selection.from_params(request.GET, options)


def _about(
    program: Program, options: Options, selection: Selection, tab: str, search: str
) -> list[tuple[str, str]]:
    """The first sheet of an XLSX export: what produced its figures, in the reader's words."""
    today = utc_today()
    everything = _("All")

    def chosen(choices: list[tuple[int, str]], value: int | None) -> str:
        return dict(choices).get(value, everything) if value is not None else everything

    rows = [
        (_("Program"), program.name),
        (_("Page"), str(TAB_NAMES.get(tab, tab))),
        (
            _("Period"),
            _("%(start)s to %(end)s (%(days)s days, UTC)")
            % {
                "start": date_format(selection.start(today), "DATE_FORMAT"),
                "end": date_format(today, "DATE_FORMAT"),
                "days": selection.days,
            },
        ),
        (_("Network"), display.name("network", selection.network) or everything),
        (_("Department"), chosen(options.departments, selection.department)),
        (_("Site"), chosen(options.sites, selection.site)),
        (_("Ambassador type"), chosen(options.types, selection.ambassador_type)),
        (_("Channel"), chosen(options.channels, selection.channel)),
    ]
    if search:
        rows.append((_("Search"), search))
    rows.append((_("Exported on"), date_format(timezone.now(), "DATETIME_FORMAT")))
    return rows


def _page(
    request: HttpRequest,
    template: str,
    program: Program,
    options: Options,
    selection: Selection,
    tab: str,
    tables: list[Table],
    **context: Any,
) -> HttpResponse:
    about = _about(program, options, selection, tab, context.get("search", ""))
    download = export(tables, request.GET, f"{program.name}-{tab}", about)
    if download is not None:
        wanted = request.GET.get("export", "")
        record_export(
            request.actor,  # type: ignore[attr-defined]
            program,
            tab,
            [t.key for t in tables] if wanted == "all" else [wanted],
            request.GET.get("format", "csv"),
        )
        return download
    networks = context.pop("networks", None) or networks_of(program)
    context.update(
        networks=networks,
        program=program,
        options=options,
        selection=selection,
        filters=selection,
        ranges=RANGES,
        tab=tab,
        tables=tables,
        # A search among the people who opted in travels with the filters (page, exports).
        query=selection.query(**({"q": context["search"]} if context.get("search") else {})),
    )
    return render(request, template, context)


@require("analytics.view")
def index(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    programs = Program.objects.filter(organisation=actor.organisation).order_by("name")
    return render(request, "analytics/index.html", {"programs": programs})


@require("analytics.view")
def program_dashboard(request: HttpRequest, program_id: int) -> HttpResponse:
    program, options, selection = _program(request, program_id)
    figures = program_figures(program, selection, utc_today())
    return _page(
        request,
        "analytics/program.html",
        program,
        options,
        selection,
        "overview",
        overview.tables(figures),
        figures=figures,
        networks=figures.networks,
        summary=overview.summary_rows(figures),
        charts=charts.trend_charts(figures.trend, selection.days),
    )


def _breakdown_page(request: HttpRequest, program_id: int, tab: str, compute: Any) -> HttpResponse:
    program, options, selection = _program(request, program_id)
    breakdown = compute(program, selection, utc_today())
    return _page(
        request,
        "analytics/breakdown.html",
        program,
        options,
        selection,
        tab,
        breakdown.tables,
        breakdown=breakdown,
    )


@require("analytics.view")
def content_dashboard(request: HttpRequest, program_id: int) -> HttpResponse:
    return _breakdown_page(request, program_id, "content", breakdowns.content)


@require("analytics.view")
def network_dashboard(request: HttpRequest, program_id: int) -> HttpResponse:
    return _breakdown_page(request, program_id, "networks", breakdowns.networks)


@require("analytics.view")
def people_dashboard(request: HttpRequest, program_id: int) -> HttpResponse:
    program, options, selection = _program(request, program_id)
    search = request.GET.get("q", "").strip()[:100]
    breakdown = people_groups.people(program, selection, utc_today(), search)
    return _page(
        request,
        "analytics/breakdown.html",
        program,
        options,
        selection,
        "people",
        breakdown.tables,
        breakdown=breakdown,
        search=search,
    )


@require("analytics.view")
def person_dashboard(request: HttpRequest, program_id: int, person_id: int) -> HttpResponse:
    """One person's figures, only if they chose to show them; otherwise there is no page."""
    program, options, selection = _program(request, program_id)
    enrolment = visible_enrolment(program, person_id)
    if enrolment is None:
        raise Http404("No such person, or they keep their figures to themselves.")
    selection = selection.without_people()
    figures = person_figures(enrolment, selection, utc_today())
    indicator = influence(enrolment.person, program, selection.start(utc_today()), utc_today())
    return _page(
        request,
        "analytics/person.html",
        program,
        options,
        selection,
        "people",
        figures.tables,
        influence=indicator,
        may_report=allowed(request.actor, "contributions.report"),  # type: ignore[attr-defined]
        person=enrolment.person,
        enrolment=enrolment,
        figures=figures,
        columns=figure_columns(),
    )
