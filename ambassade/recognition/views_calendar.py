"""The console's program calendar: a month grid (?month=YYYY-MM) or a week
(?week=YYYY-Www), and the secret addresses of its iCalendar feed."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ambassade.core.api_types import MAX_DAY, MIN_DAY
from ambassade.core.authz import Actor, allowed, require
from ambassade.recognition import calendar
from ambassade.recognition.models import CalendarFeed
from ambassade.recognition.views_campaigns import chosen_program

MONTH = re.compile(r"^(\d{4})-(\d{2})$")
WEEK = re.compile(r"^(\d{4})-W(\d{2})$")


def _actor(request: HttpRequest) -> Actor:
    return request.actor  # type: ignore[attr-defined]


@dataclass
class Day:
    day: date
    inside: bool  # of the month shown (a grid's first and last weeks overlap others)
    entries: list[calendar.Entry]


def _month(value: str) -> date | None:
    match = MONTH.match(value)
    if not match or not 1 <= int(match[2]) <= 12:
        return None
    first = date(int(match[1]), int(match[2]), 1) if int(match[1]) >= 1 else None
    return first if first is not None and _shown(first) else None


def _week(value: str) -> date | None:
    match = WEEK.match(value)
    if not match:
        return None
    try:
        monday = date.fromisocalendar(int(match[1]), int(match[2]), 1)
    except ValueError:
        return None
    return monday if _shown(monday) else None


def _shown(day: date) -> bool:
    """Within the dates the rest of the application accepts (and far from date's limits,
    which the previous and next links would cross)."""
    return MIN_DAY <= day <= MAX_DAY


def _next_month(first: date) -> date:
    return (first + timedelta(days=32)).replace(day=1)


def _iso_week(day: date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


@require("recognition.view")
def calendar_page(request: HttpRequest) -> HttpResponse:
    program, choices = chosen_program(request)
    today = timezone.now().astimezone(UTC).date()
    week_start = _week(request.GET["week"]) if request.GET.get("week") else None
    month = _month(request.GET.get("month", "")) if request.GET.get("month") else None
    if (request.GET.get("week") and week_start is None) or (
        request.GET.get("month") and month is None
    ):
        messages.error(request, _("That date is not one we can show: here is this month."))
    if week_start is not None:
        first, last = week_start, week_start + timedelta(6)
        inside_first, inside_last = first, last
    else:
        inside_first = month or today.replace(day=1)
        inside_last = _next_month(inside_first) - timedelta(1)
        first = inside_first - timedelta(inside_first.weekday())
        last = inside_last + timedelta(6 - inside_last.weekday())
    found = calendar.entries(program, first, last) if program is not None else []
    days = [
        Day(day, inside_first <= day <= inside_last, [e for e in found if e.on(day)])
        for day in (first + timedelta(n) for n in range((last - first).days + 1))
    ]
    weeks = [days[n : n + 7] for n in range(0, len(days), 7)]
    actor = _actor(request)
    feeds = (
        CalendarFeed.objects.filter(program=program, owner=actor.person, revoked_at__isnull=True)
        if program is not None and actor.person is not None
        else CalendarFeed.objects.none()
    )
    new_token = request.session.pop("calendar_feed_token", None)
    return render(
        request,
        "recognition/calendar.html",
        {
            "program": program,
            "programs": choices,
            "weeks": weeks,
            "week_view": week_start is not None,
            "month_first": inside_first,
            "previous_month": (inside_first - timedelta(1)).replace(day=1).strftime("%Y-%m"),
            "next_month": _next_month(inside_first).strftime("%Y-%m"),
            "this_week": _iso_week(week_start or today),
            "previous_week": _iso_week((week_start or today) - timedelta(7)),
            "next_week": _iso_week((week_start or today) + timedelta(7)),
            "entries": [e for e in found if e.last >= inside_first and e.first <= inside_last],
            "feeds": feeds,
            "new_feed_url": (
                request.build_absolute_uri(calendar.feed_path(new_token)) if new_token else ""
            ),
        },
    )


def _back(program_id: int) -> HttpResponse:
    return redirect(f"{reverse('recognition:calendar')}?program={program_id}")


@require_POST
@require("recognition.view")
def feed_create(request: HttpRequest) -> HttpResponse:
    program, _choices = chosen_program(request)
    if program is None:
        raise Http404
    _feed, token = calendar.create_feed(_actor(request), program)
    # Shown once, on the next page; only the token's hash is kept.
    request.session["calendar_feed_token"] = token
    messages.success(request, _("Calendar address created. Copy it now: it is shown only once."))
    return _back(program.pk)


@require_POST
@require("recognition.view")
def feed_revoke(request: HttpRequest, feed_id: int) -> HttpResponse:
    actor = _actor(request)
    feed = get_object_or_404(
        CalendarFeed.objects.select_related("program"),
        program__organisation=actor.organisation,
        pk=feed_id,
    )
    mine = actor.person is not None and feed.owner_id == actor.person.pk
    if not mine and not allowed(actor, "recognition.manage"):
        raise PermissionDenied
    calendar.revoke_feed(actor, feed)
    messages.success(request, _("Calendar address revoked: it no longer answers."))
    return _back(feed.program_id)
