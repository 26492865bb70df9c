"""The console's pages of field reports: my queues, one report to triage (and convert, for
a lead), the figures, and the routing with the settings. Thin: the actions decide."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ambassade.core.authz import Actor, allowed, require
from ambassade.core.forms import add_action_errors
from ambassade.field import actions, routing
from ambassade.field.figures import figures
from ambassade.field.forms import ConvertForm, RouteForm, SettingsForm, TriageForm
from ambassade.field.models import CLOSED, FieldReport, ReportKind, ReportStatus
from ambassade.people.models import Department


@require("field.triage")
def queue(request: HttpRequest) -> HttpResponse:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    reports = routing.queue(actor)
    status = request.GET.get("status", "open")
    if status == "open":
        reports = reports.exclude(status__in=CLOSED)
    elif status in ReportStatus.values:
        reports = reports.filter(status=status)
    return render(
        request,
        "field/queue.html",
        {
            "reports": list(reports.order_by("-filed_at", "-pk")[:200]),
            "status": status,
            "statuses": ReportStatus.choices,
            "can_configure": allowed(actor, "field.configure"),
        },
    )


def _report(actor: Actor, report_id: int) -> FieldReport:
    found = routing.queue(actor).filter(pk=report_id).select_related("program").first()
    if found is None:
        raise Http404
    return found


@require("field.triage")
def detail(request: HttpRequest, report_id: int) -> HttpResponse:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    report = _report(actor, report_id)
    return render(
        request,
        "field/detail.html",
        {
            "report": report,
            "triage_form": TriageForm(initial={"status": report.status, "answer": report.answer}),
            "convert_form": ConvertForm(),
        },
    )


@require_POST
@require("field.triage")
def act(request: HttpRequest, report_id: int, step: str) -> HttpResponse:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    report = _report(actor, report_id)
    try:
        if step == "triage":
            actions.triage(
                actor,
                report.pk,
                status=request.POST.get("status", ""),
                answer=request.POST.get("answer", "")[:6000],
            )
            messages.success(request, _("The report is updated; the ambassador can read it."))
        elif step == "convert":
            actions.convert(
                actor,
                report.pk,
                value=request.POST.get("value", "").replace(",", ".")[:40],
                currency=request.POST.get("currency", "")[:10],
            )
            messages.success(request, _("The lead is recorded as converted."))
        else:
            raise Http404
    except ValidationError as error:
        messages.error(request, error.messages[0])
    except PermissionDenied:
        raise Http404 from None
    return redirect("field:detail", report.pk)


@require("field.triage")
def figures_page(request: HttpRequest) -> HttpResponse:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    return render(request, "field/figures.html", {"figures": figures(actor.organisation)})


@require("field.configure")
def routing_page(request: HttpRequest) -> HttpResponse:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    departments = list(
        Department.objects.filter(organisation=actor.organisation)
        .order_by("name")
        .values_list("pk", "name")
    )
    current = actions.settings_of(actor.organisation.pk)
    which = request.POST.get("form", "")
    settings_form = SettingsForm(
        request.POST if which == "settings" else None,
        initial={"answer_days": current.answer_days, "retention_days": current.retention_days},
    )
    kind = request.POST.get("kind", "")
    posted_route = kind if which == "route" and kind in ReportKind.values else ""
    if request.method == "POST":
        try:
            if which == "settings" and settings_form.is_valid():
                actions.update_settings(actor, dict(settings_form.cleaned_data))
                messages.success(request, _("The settings are saved."))
                return redirect("field:routing")
            if posted_route:
                form = RouteForm(request.POST, prefix=kind, departments=departments)
                if form.is_valid():
                    actions.set_route(
                        actor,
                        kind,
                        role=form.cleaned_data["role"],
                        department_id=form.cleaned_data.get("department"),
                    )
                    messages.success(request, _("The routing is saved."))
                    return redirect("field:routing")
                messages.error(request, _("Check the role and the department."))
        except ValidationError as error:
            add_action_errors(settings_form, error)
            if which != "settings":
                messages.error(request, error.messages[0])
    rows = [
        (
            queue,
            RouteForm(
                initial={
                    "role": queue.role,
                    "department": queue.department.pk if queue.department else "",
                },
                prefix=queue.kind,
                departments=departments,
            ),
        )
        for queue in routing.routes_of(actor.organisation)
    ]
    return render(request, "field/routing.html", {"rows": rows, "settings_form": settings_form})
