"""Remembers the day a person last opened the app, writing at most once a day per person."""

from __future__ import annotations

from collections.abc import Callable

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from ambassade.notifications.models import Settings


class LastSeenMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        actor = getattr(request, "actor", None)
        person = getattr(actor, "person", None)
        if person is not None and getattr(actor, "via", "web") == "web":
            today = timezone.now().date()
            key = f"notifications-seen:{person.pk}:{today.isoformat()}"
            # The cache spares the database a write on every page; without it, one a day.
            if cache.add(key, 1, timeout=86400):
                Settings.objects.update_or_create(person=person, defaults={"last_seen_on": today})
        return self.get_response(request)
