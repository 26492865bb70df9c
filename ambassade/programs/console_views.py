"""Program console pages: programs, targets, the charter, invitations, ambassador types."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ambassade.core.authz import (
    EMPLOYER_BRAND,
    allowed,
    allowed_on_program,
    objectives_allowed,
    require,
)
from ambassade.core.forms import add_action_errors
from ambassade.programs import actions, charter, charter_views, selectors
from ambassade.programs.forms import (
    AmbassadorTypeForm,
    CharterForm,
    ProgramForm,
    TargetForm,
)
from ambassade.programs.models import (
    AmbassadorType,
    CharterVersion,
    Enrolment,
    Invitation,
    InvitationCampaign,
    KpiTarget,
    Program,
)


def _program(request: HttpRequest, program_id: int, permission: str = "") -> Program:
    # Another organisation's program is simply not found.
    program = get_object_or_404(Program, organisation=request.actor.organisation, pk=program_id)  # type: ignore[attr-defined]
    # The rules where the program matters (HR runs the programs it owns): core/authz.py.
    if permission and not allowed_on_program(request.actor, permission, program):  # type: ignore[attr-defined]
        raise PermissionDenied
    return program


@require("programs.view")
def program_list(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    page = Paginator(selectors.programs_of(actor.organisation), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "programs/program_list.html",
        {"page": page, "can_manage": allowed(actor, "programs.manage")},
    )


def _program_form_values(form: ProgramForm) -> dict[str, Any]:
    data = form.cleaned_data
    values = {
        "name": data["name"],
        "description": data["description"],
        "objectives": data["objectives"],
        "owner_ids": [person.pk for person in data["owners"]],
        "working_group_ids": [person.pk for person in data["working_group"]],
        "self_service": data["self_service"],
        "open_to_alumni": data["open_to_alumni"],
    }
    if "status" in data:
        values["status"] = data["status"]
    return values


@require("programs.manage")
def program_create(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    # HR's programs have the employer brand among their goals (core/authz.py): preselected.
    initial = {} if objectives_allowed(actor, []) else {"objectives": [EMPLOYER_BRAND]}
    form = ProgramForm(
        request.POST or None, initial=initial, organisation_id=actor.organisation.pk, creating=True
    )
    if request.method == "POST" and form.is_valid():
        try:
            program = actions.create_program(actor, **_program_form_values(form))
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Program “%s” created.") % program.name)
            return redirect("programs:detail", program.pk)
    return render(request, "programs/program_form.html", {"form": form, "program": None})


@require("programs.manage")
def program_edit(request: HttpRequest, program_id: int) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    program = _program(request, program_id, "programs.manage")
    initial = {
        "name": program.name,
        "description": program.description,
        "objectives": program.objectives,
        "owners": list(program.owners.all()),
        "working_group": "\n".join(program.working_group.values_list("email", flat=True)),
        "self_service": program.self_service,
        "open_to_alumni": program.open_to_alumni,
        "status": program.status,
    }
    form = ProgramForm(
        request.POST or None,
        initial=initial,
        organisation_id=actor.organisation.pk,
        creating=False,
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_program(actor, program, **_program_form_values(form))
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Program saved."))
            return redirect("programs:detail", program.pk)
    return render(request, "programs/program_form.html", {"form": form, "program": program})


@require("programs.view")
def program_detail(request: HttpRequest, program_id: int) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    program = _program(request, program_id)
    by_status = dict(
        Enrolment.objects.filter(program=program)
        .values_list("status")
        .annotate(n=Count("id"))
        .order_by()
    )
    by_type = (
        Enrolment.objects.filter(program=program)
        .exclude(status=Enrolment.Status.ENDED)
        .values("ambassador_type__kind", "ambassador_type__name")
        .annotate(n=Count("id"))
        .order_by("-n")
    )
    types = {t.kind: t.label for t in selectors.ambassador_types(actor.organisation)}
    context = {
        "program": program,
        "owners": program.owners.all(),
        "working_group": program.working_group.all()[:50],
        "targets": program.targets.all(),
        "charter": selectors.published_charter(program),
        "active": by_status.get(Enrolment.Status.ACTIVE, 0),
        "paused": by_status.get(Enrolment.Status.PAUSED, 0),
        "ended": by_status.get(Enrolment.Status.ENDED, 0),
        "by_type": [
            {
                "label": row["ambassador_type__name"] or types.get(row["ambassador_type__kind"]),
                "n": row["n"],
            }
            for row in by_type
        ],
        "funnel": selectors.funnel(Invitation.objects.filter(program=program)),
        "can_manage": allowed_on_program(actor, "programs.manage", program),
        "can_write_charter": allowed(actor, "charter.manage"),
        "can_invite": allowed(actor, "invitations.manage"),
    }
    return render(request, "programs/program_detail.html", context)


@require("programs.manage")
def targets(request: HttpRequest, program_id: int) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    program = _program(request, program_id, "programs.manage")
    form = TargetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.add_target(actor, program, **form.cleaned_data)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Target added."))
            return redirect("programs:targets", program.pk)
    return render(
        request,
        "programs/targets.html",
        {"program": program, "targets": program.targets.all(), "form": form},
    )


@require_POST
@require("programs.manage")
def target_delete(request: HttpRequest, program_id: int, target_id: int) -> HttpResponse:
    program = _program(request, program_id, "programs.manage")
    kpi = get_object_or_404(KpiTarget, program=program, pk=target_id)
    actions.delete_target(request.actor, kpi)  # type: ignore[attr-defined]
    messages.success(request, _("Target deleted."))
    return redirect("programs:targets", program.pk)


@require("charter.manage")
def charter_versions(request: HttpRequest, program_id: int) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    program = _program(request, program_id)
    versions = list(program.charter_versions.all())
    latest = versions[0] if versions else None
    form = CharterForm(request.POST or None, initial=charter_views.initial_texts(latest))
    if request.method == "POST" and form.is_valid() and not charter_views.wants_preview(request):
        try:
            version = actions.save_charter_draft(actor, program, **form.cleaned_data)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Draft of version %d saved.") % version.number)
            return redirect("programs:charter_version", program.pk, version.pk)
    return render(
        request,
        "programs/charter_versions.html",
        {
            "program": program,
            "versions": versions,
            "form": form,
            "sections": charter.REQUIRED_SECTIONS,
            **charter_views.page_context(request, program, form),
        },
    )


@require("charter.manage")
def charter_version(request: HttpRequest, program_id: int, version_id: int) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    program = _program(request, program_id)
    version = get_object_or_404(CharterVersion, program=program, pk=version_id)
    form = None
    if not version.is_published:
        form = CharterForm(
            request.POST or None,
            initial={
                **charter_views.initial_texts(version),
                "change_summary": version.change_summary,
            },
        )
        del form.fields["ambassador_kind"]  # chosen when the draft was started
        if (
            request.method == "POST"
            and form.is_valid()
            and not charter_views.wants_preview(request)
        ):
            try:
                actions.save_charter_draft(actor, program, version=version, **form.cleaned_data)
            except ValidationError as error:
                add_action_errors(form, error)
            else:
                messages.success(request, _("Draft saved."))
                return redirect("programs:charter_version", program.pk, version.pk)
    accepted = version.acceptances.count() if version.is_published else 0
    return render(
        request,
        "programs/charter_version.html",
        {
            "program": program,
            "version": version,
            "form": form,
            "accepted": accepted,
            "sections": charter.REQUIRED_SECTIONS,
            **charter_views.page_context(request, program, form),
        },
    )


@require_POST
@require("charter.manage")
def charter_publish(request: HttpRequest, program_id: int, version_id: int) -> HttpResponse:
    program = _program(request, program_id)
    version = get_object_or_404(CharterVersion, program=program, pk=version_id)
    try:
        actions.publish_charter(request.actor, version)  # type: ignore[attr-defined]
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Version %d is published.") % version.number)
    return redirect("programs:charter_version", program.pk, version.pk)


@require("invitations.manage")
def campaign_detail(request: HttpRequest, program_id: int, campaign_id: int) -> HttpResponse:
    program = _program(request, program_id)
    campaign = get_object_or_404(InvitationCampaign, program=program, pk=campaign_id)
    invited = campaign.invitations.all()
    page = Paginator(invited.select_related("person", "ambassador_type"), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "programs/campaign_detail.html",
        {
            "program": program,
            "campaign": campaign,
            "funnel": selectors.funnel(invited),
            "page": page,
        },
    )


@require("programs.view")
def ambassador_types(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    return render(
        request,
        "programs/ambassador_types.html",
        {
            "types": selectors.ambassador_types(actor.organisation),
            "can_edit": allowed(actor, "ambassador_types.manage"),
        },
    )


@require("ambassador_types.manage")
def ambassador_type_edit(request: HttpRequest, type_id: int) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    ambassador_type = get_object_or_404(AmbassadorType, organisation=actor.organisation, pk=type_id)
    form = AmbassadorTypeForm(request.POST or None, instance=ambassador_type)
    if request.method == "POST" and form.is_valid():
        try:
            # The form's instance already holds the new values; the action audits them.
            fresh = AmbassadorType.objects.get(pk=ambassador_type.pk)
            actions.update_ambassador_type(actor, fresh, **form.cleaned_data)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Ambassador type saved."))
            return redirect("programs:ambassador_types")
    return render(
        request, "programs/ambassador_type_form.html", {"form": form, "type": ambassador_type}
    )
