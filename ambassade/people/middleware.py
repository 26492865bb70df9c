"""Resolves who is acting: the signed-in account's Person in the current organisation."""

from __future__ import annotations

import contextlib
import zoneinfo
from collections.abc import Callable
from typing import cast

from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from ambassade.accounts.models import User
from ambassade.core.authz import actor_for_person
from ambassade.people.models import Person

SESSION_ORGANISATION_KEY = "organisation_id"


def memberships(request: HttpRequest) -> list[Person]:
    if not request.user.is_authenticated:
        return []
    # A "left" membership no longer reaches its organisation, except an alumni's, which
    # signs in with the restricted alumni role (see Person.role_set).
    # A suspended organisation is out of reach of its people until the operator resumes it.
    return list(
        Person.objects.filter(
            user=request.user, anonymised_at__isnull=True, organisation__suspended_at__isnull=True
        )
        .exclude(employment_status="left", alumni=False)
        .select_related("organisation")
        .prefetch_related("role_assignments")
        .order_by("organisation__name")
    )


def current_person(request: HttpRequest) -> Person | None:
    people = memberships(request)
    if not people:
        return None
    chosen = request.session.get(SESSION_ORGANISATION_KEY)
    for person in people:
        if person.organisation_id == chosen:
            return person
    return people[0]


def only_suspended(request: HttpRequest) -> bool:
    """The account belongs to organisations, all of them suspended (the operator aside)."""
    if request.user.is_staff:
        return False
    people = Person.objects.filter(user=cast(User, request.user))
    return people.exists() and not people.filter(organisation__suspended_at__isnull=True).exists()


class CurrentPersonMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Resolved eagerly (two small queries) only for signed-in browser sessions; API
        # requests authenticated by token replace request.actor themselves (see api.py).
        person = current_person(request) if request.user.is_authenticated else None
        if person is None and request.user.is_authenticated and only_suspended(request):
            # Signed in before the suspension, or just now: the session ends here.
            logout(request)
            request.person = request.actor = None  # type: ignore[attr-defined]
            if request.path.startswith("/api/"):
                return self.get_response(request)  # now anonymous: the API answers 401
            return render(request, "people/suspended.html", status=403)
        request.person = person  # type: ignore[attr-defined]
        request.actor = actor_for_person(person) if person is not None else None  # type: ignore[attr-defined]
        if person is not None and request.path.startswith("/console/"):
            # The console's dates (audit log, outbox, schedules) in the organisation's zone,
            # so that colleagues in several places read the same times; the person's own
            # zone applies in the ambassador space.
            with contextlib.suppress(zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.activate(zoneinfo.ZoneInfo(person.organisation.time_zone))
        return self.get_response(request)
