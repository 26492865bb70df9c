"""The console's pages of problem reports: the list as each role sees it, one report with
its log and what may be done on it, and the response targets. Thin: the actions decide."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ambassade.core.authz import Actor, allowed, require
from ambassade.core.forms import add_action_errors
from ambassade.incidents import actions, selectors
from ambassade.incidents.forms import ResolveForm, SettingsForm
from ambassade.incidents.models import ReportStatus
from ambassade.incidents.views import context_of

STATUSES = {choice.value for choice in ReportStatus}


@require("console.view")
def console(request: HttpRequest) -> HttpResponse:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    reports = selectors.visible_reports(actor)
    status = request.GET.get("status", "")
    if status in STATUSES:
        reports = reports.filter(status=status)
    return render(
        request,
        "incidents/console.html",
        {
            "reports": list(reports[:200]),
            "status": status,
            "statuses": ReportStatus.choices,
            "can_configure": allowed(actor, "incidents.settings"),
        },
    )


@require("incidents.view")
def detail(request: HttpRequest, report_id: int) -> HttpResponse:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    report = selectors.report_for(actor, report_id)
    context = context_of(actor, report)
    context["resolve_form"] = ResolveForm()
    return render(request, "incidents/detail.html", context)


@require_POST
@require("incidents.view")
def act(request: HttpRequest, report_id: int, step: str) -> HttpResponse:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    report = selectors.report_for(actor, report_id)
    text = {key: request.POST.get(key, "")[:6000] for key in ("text", "resolution", "reason")}
    done = {
        "acknowledge": _("The report is acknowledged."),
        "note": _("Your note is added."),
        "resolve": _("The report is resolved; its author is told."),
        "reopen": _("The report is reopened."),
    }
    try:
        if step == "acknowledge":
            actions.acknowledge(actor, report)
        elif step == "note":
            actions.add_note(actor, report, text["text"])
        elif step == "resolve":
            actions.resolve(actor, report, text["resolution"])
        elif step == "reopen":
            actions.reopen(actor, report, text["reason"])
        elif step == "delete_post":
            deletion = actions.delete_reported_post(
                actor, report, withdraw_tracked_link=request.POST.get("withdraw_link") == "on"
            )
            done[step] = (
                _("The network no longer had the post; it is marked deleted.")
                if deletion.already_gone
                else _("The post is deleted from the network.")
            )
        else:
            raise Http404
    except ValidationError as error:
        messages.error(request, error.messages[0])
    except PermissionDenied as refused:
        if not refused.args:
            raise
        messages.error(request, str(refused.args[0]))
    else:
        messages.success(request, done[step])
    return redirect("incidents:detail", report.pk)


@require("incidents.settings")
def settings_page(request: HttpRequest) -> HttpResponse:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    current = selectors.settings_of(actor.organisation)
    initial = {name: getattr(current, name) for name in actions.LIMITS}
    form = SettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_settings(actor, dict(form.cleaned_data))
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("The response targets are saved."))
            return redirect("incidents:settings")
    return render(request, "incidents/settings.html", {"form": form})
