"""The bell in both spaces' headers: its address and the unread count, one query at most.

The count is computed only when a page shows it (a lazy property), so pages without the
header and answers without a template pay nothing.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from ambassade.core.authz import allowed
from ambassade.notifications.models import Notification
from ambassade.people.models import Person


class Bell:
    def __init__(self, person: Person, url: str) -> None:
        self.person = person
        self.url = url

    @cached_property
    def count(self) -> int:
        return Notification.objects.filter(person=self.person, read_at__isnull=True).count()

    @property
    def badge(self) -> str:
        return "99+" if self.count > 99 else str(self.count)


def bell(request: HttpRequest) -> dict[str, Any]:
    actor = getattr(request, "actor", None)
    if actor is None or actor.person is None or not allowed(actor, "notifications.view_own"):
        return {"bell": None}
    console = request.path.startswith("/console/")
    url = reverse("notifications:console_list" if console else "notifications:list")
    return {"bell": Bell(actor.person, url)}
