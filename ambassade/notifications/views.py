"""Pages: the notification centre, opening a notice, marking all read, preferences, the report."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ambassade.core.authz import Actor, require
from ambassade.notifications import actions, delivery, kinds
from ambassade.notifications import report as noise_report
from ambassade.notifications.forms import SettingsForm, quiet_times, read_choices
from ambassade.notifications.models import Notification, Preference
from ambassade.people.models import Person

PAGE_SIZE = 20


def _person(request: HttpRequest) -> Person:
    person: Person | None = request.actor.person  # type: ignore[attr-defined]
    if person is None:
        raise Http404
    return person


def _base(space: str) -> str:
    return "base_console.html" if space == "console" else "base_ambassador.html"


@require("notifications.view_own")
def notification_list(request: HttpRequest, space: str = "ambassador") -> HttpResponse:
    person = _person(request)
    notifications = Notification.objects.filter(person=person).only(
        "pk", "kind", "title", "body", "url", "created_at", "read_at"
    )
    page = Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("page"))
    for notification in page:
        notification.kind_name = str(kinds.KINDS[notification.kind].name)  # type: ignore[attr-defined]
    context = {"base": _base(space), "page": page, "space": space}
    return render(request, "notifications/list.html", context)


@require("notifications.view_own")
def open_notification(request: HttpRequest, notification_id: int) -> HttpResponse:
    """Opening a notice marks it read and leads to the thing itself."""
    actor: Actor = request.actor  # type: ignore[attr-defined]
    notification = get_object_or_404(Notification, person=_person(request), pk=notification_id)
    actions.mark_read(actor, notification)
    if notification.url and url_has_allowed_host_and_scheme(
        notification.url, allowed_hosts={request.get_host()}
    ):
        return redirect(notification.url)
    return redirect("notifications:list")


@require_POST
@require("notifications.manage_own")
def read_all(request: HttpRequest) -> HttpResponse:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    actions.mark_all_read(actor)
    messages.success(request, _("All notifications are marked as read."))
    back = request.POST.get("next", "")
    if back.startswith("/") and url_has_allowed_host_and_scheme(back, {request.get_host()}):
        return redirect(back)
    return redirect("notifications:list")


def _rows(person: Person, posted: dict[tuple[str, str], bool] | None) -> list[dict[str, Any]]:
    chosen = {
        (kind, channel): enabled
        for kind, channel, enabled in Preference.objects.filter(person=person).values_list(
            "kind", "channel", "enabled"
        )
    }
    ambassador = actions.is_ambassador(person)
    rows = []
    for kind in kinds.KINDS.values():
        defaults = kinds.defaults_for(kind, ambassador)
        cells = []
        for channel in kinds.channel_names():
            if posted is not None and (kind.code, channel) in posted:
                on = posted[(kind.code, channel)]
            else:
                on = chosen.get((kind.code, channel), channel in defaults)
            cells.append(
                {"name": f"{kind.code}__{channel}", "label": kinds.channel_label(channel), "on": on}
            )
        rows.append({"kind": kind, "cells": cells})
    return rows


@require("notifications.manage_own")
def preferences(request: HttpRequest, space: str = "ambassador") -> HttpResponse:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    person = _person(request)
    saved = delivery.settings_of(person)
    form = SettingsForm(request.POST or None, initial=SettingsForm.initial_of(saved))
    posted = None
    errors: list[str] = []
    if request.method == "POST":
        posted, errors = read_choices(request.POST)
        if not errors and form.is_valid():
            start, end = quiet_times(form)
            try:
                actions.save_preferences(
                    actor,
                    choices=posted,
                    quiet_start=start,
                    quiet_end=end,
                    daily_cap=form.cleaned_data["daily_cap"],
                    weekly_cap=form.cleaned_data["weekly_cap"],
                )
            except ValidationError as error:
                errors = list(error.messages)
            else:
                messages.success(request, _("Your notification choices are saved."))
                name = "console_preferences" if space == "console" else "preferences"
                return redirect(f"notifications:{name}")
    context = {
        "base": _base(space),
        "form": form,
        "rows": _rows(person, posted if not errors else None),
        "channels": [kinds.channel_label(name) for name in kinds.channel_names()],
        "errors": errors,
    }
    return render(request, "notifications/preferences.html", context, status=400 if errors else 200)


@require("notifications.report")
def report(request: HttpRequest) -> HttpResponse:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    rows = noise_report.by_kind(actor.organisation)
    return render(request, "notifications/report.html", {"rows": rows, "days": noise_report.DAYS})
