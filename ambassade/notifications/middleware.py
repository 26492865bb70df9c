"""Remembers the day a person last opened the app, writing at most once a day per person.

Signing in counts as opening the app, and is where the day is written first (a page view
then finds it in the cache and writes nothing); the middleware covers the sessions that
stay open for days, as the installed app's do. Nudges read it (nudges.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.core.cache import cache
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from ambassade.notifications.models import Settings
from ambassade.people.models import Person


def _key(person_id: int) -> str:
    return f"notifications-seen:{person_id}:{timezone.now().date().isoformat()}"


def _write(person_id: int) -> None:
    Settings.objects.update_or_create(
        person_id=person_id, defaults={"last_seen_on": timezone.now().date()}
    )


@receiver(user_logged_in, dispatch_uid="notifications-seen-at-sign-in")
def seen_at_sign_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    for person_id in Person.objects.filter(user=user).values_list("pk", flat=True):
        _write(person_id)
        cache.set(_key(person_id), 1, timeout=86400)


class LastSeenMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        actor = getattr(request, "actor", None)
        person = getattr(actor, "person", None)
        # The cache spares the database a write on every page; without it, one a day.
        web = getattr(actor, "via", "web") == "web"
        if person is not None and web and cache.add(_key(person.pk), 1, timeout=86400):
            _write(person.pk)
        return self.get_response(request)
