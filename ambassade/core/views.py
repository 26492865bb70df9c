"""Health, the entry point, and the console's overview, audit log and mail outbox."""

from __future__ import annotations

import csv

from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from ambassade.core import audit_text, health, mail
from ambassade.core.authz import allowed, require
from ambassade.core.checklist import checklist
from ambassade.core.models import AuditEvent


@require_GET
def media(request: HttpRequest, path: str) -> HttpResponseBase:
    """Stored images, for the embedded default (see SERVE_MEDIA); refuses paths outside."""
    from django.conf import settings
    from django.views.static import serve

    response = serve(request, path, document_root=str(settings.MEDIA_ROOT))
    response["Cache-Control"] = "public, max-age=31536000, immutable"  # names are content hashes
    return response


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    healthy, body = health.report()
    return JsonResponse(body, status=200 if healthy else 503)


def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect("accounts:login")
    actor = request.actor  # type: ignore[attr-defined]
    if actor is None:
        if request.user.is_staff:
            # The instance's operator belongs to no organisation: their page lists them all.
            return redirect("people:operator_organisations")
        return render(request, "core/no_organisation.html", status=403)
    if allowed(actor, "console.view"):
        return redirect("console:overview")
    return redirect("people:home")


@require("console.view")
def overview(request: HttpRequest) -> HttpResponse:
    from ambassade.people.models import Person

    organisation = request.actor.organisation  # type: ignore[attr-defined]
    people = Person.objects.filter(organisation=organisation)
    by_status = dict(people.values_list("employment_status").annotate(n=Count("id")))
    departments = (
        people.filter(department__isnull=False)
        .values("department__name")
        .annotate(n=Count("id"))
        .order_by("-n", "department__name")
    )
    sites = (
        people.filter(site__isnull=False)
        .values("site__name")
        .annotate(n=Count("id"))
        .order_by("-n")
    )
    steps = checklist(organisation)
    left = sum(not step.done for step in steps)
    context = {
        "checklist": steps,
        "checklist_left": left,
        "checklist_open": left > 0,
        "people_total": sum(by_status.values()),
        "people_active": by_status.get("active", 0),
        "people_with_account": people.filter(user__isnull=False).count(),
        "departments": list(departments),
        "sites": list(sites),
        "recent_events": AuditEvent.objects.filter(organisation=organisation)[:8]
        if allowed(request.actor, "audit.view")  # type: ignore[attr-defined]
        else [],
    }
    return render(request, "core/overview.html", context)


@require("audit.view")
def audit_log(request: HttpRequest) -> HttpResponse:
    organisation = request.actor.organisation  # type: ignore[attr-defined]
    events = AuditEvent.objects.filter(organisation=organisation)
    action = request.GET.get("action", "").strip()
    if action:
        events = events.filter(action=action)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    actions = (
        AuditEvent.objects.filter(organisation=organisation)
        .order_by("action")
        .values_list("action", flat=True)
        .distinct()
    )
    choices = sorted(((code, audit_text.action_name(code)) for code in actions), key=lambda c: c[1])
    return render(
        request, "core/audit_log.html", {"page": page, "action": action, "actions": choices}
    )


class _Echo:
    def write(self, value: str) -> str:
        return value


@require("audit.view")
def audit_log_export(request: HttpRequest) -> StreamingHttpResponse:
    """The whole audit log as CSV, streamed so a long history does not fill memory."""
    organisation = request.actor.organisation  # type: ignore[attr-defined]
    events = AuditEvent.objects.filter(organisation=organisation).order_by("created_at", "id")
    writer = csv.writer(_Echo())
    header = [
        "time",
        "actor",
        "action",
        "object_type",
        "object_id",
        "object",
        "before",
        "after",
        "via",
        "token",
        "sentence",
    ]
    # The rows are written after the view returns: keep the reader's language for them.
    language = translation.get_language()

    def rows():
        yield writer.writerow(header)
        for event in events.iterator(chunk_size=2000):
            with translation.override(language):
                sentence = audit_text.sentence(event)
            yield writer.writerow(
                [
                    event.created_at.isoformat(),
                    event.actor_label,
                    event.action,
                    event.target_type,
                    event.target_id,
                    event.target_label,
                    event.before,
                    event.after,
                    event.via,
                    event.token_label,
                    sentence,
                ]
            )

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="audit-log.csv"'
    return response


@require("mail.view_outbox")
def outbox(request: HttpRequest) -> HttpResponse:
    slug = request.actor.organisation.slug  # type: ignore[attr-defined]
    return render(request, "core/outbox.html", {"messages_out": mail.outbox_messages(slug)})


@require("mail.view_outbox")
def outbox_message(request: HttpRequest, name: str) -> HttpResponse:
    message = mail.outbox_message(request.actor.organisation.slug, name)  # type: ignore[attr-defined]
    if message is None:
        raise Http404(_("No such message"))
    return render(request, "core/outbox_message.html", {"message_out": message})
