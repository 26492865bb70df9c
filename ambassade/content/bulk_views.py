"""The studio list's bulk actions: approve, archive or export the ticked items."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from ambassade.content import actions
from ambassade.content.models import ContentItem, Status
from ambassade.core import bulk
from ambassade.core.authz import Actor, require
from ambassade.core.csv_export import csv_response


def studio_items(actor: Actor, status: str, query: str) -> QuerySet[ContentItem]:
    """The studio list's rows for its filters (the list page and its export agree)."""
    items = (
        ContentItem.objects.filter(organisation=actor.organisation)
        .select_related("program", "category")
        .prefetch_related("channels")
        .order_by("-created_at", "-id")
    )
    if status in Status.values:
        items = items.filter(status=status)
    query = query.strip()[:100]
    if query:
        items = items.filter(Q(title__icontains=query) | Q(description__icontains=query))
    return items


def _export(items: QuerySet[ContentItem]) -> HttpResponse:
    header = [_("Title"), _("Kind"), _("Program"), _("Language"), _("Status"), _("Created")]
    rows = (
        [
            item.title,
            item.get_kind_display(),
            item.program.name,
            item.get_language_display(),
            item.get_status_display(),
            item.created_at.date().isoformat(),
        ]
        for item in items
    )
    return csv_response("content.csv", header, rows)


def _approved(n: int) -> str:
    return ngettext("%(count)d approved", "%(count)d approved", n) % {"count": n}


def _archived(n: int) -> str:
    return ngettext("%(count)d archived", "%(count)d archived", n) % {"count": n}


@require_POST
@require("content.view")
def bulk_action(request: HttpRequest) -> HttpResponse:
    """Each ticked item goes through the usual action (its checks, audit row and events);
    the page then says how many were done and why the others were refused."""
    actor: Actor = request.actor  # type: ignore[attr-defined]
    action = request.POST.get("action", "")
    items = studio_items(actor, request.POST.get("status", ""), request.POST.get("q", ""))
    ticked = [value for value in request.POST.getlist("item") if value.isdigit()]
    if ticked:
        items = items.filter(pk__in=ticked[: bulk.MAX_ROWS])
    if action == "export":
        return _export(items)
    if action not in ("approve", "archive"):
        messages.error(request, _("Choose what to do with the items."))
        return redirect("content:studio")
    if not ticked:
        messages.error(request, _("Tick at least one item."))
        return redirect("content:studio")
    if action == "approve":
        outcome = bulk.apply(items, lambda item: actions.approve(actor, item), str)
        text = bulk.summary(outcome, _approved)
    else:
        outcome = bulk.apply(items, lambda item: actions.archive(actor, item), str)
        text = bulk.summary(outcome, _archived)
    (messages.warning if outcome.refused else messages.success)(request, text)
    return redirect("content:studio")
