"""Each persona against one item, entry, source and program of Acme (object routes).

The outsider is an admin of another organisation: allowed by role, they get 404 for
Acme's objects.
"""

from __future__ import annotations

import pytest
from django.utils import timezone

from ambassade.content.models import ContentItem, CurationEntry, Source, Status, Suggestion

pytestmark = pytest.mark.django_db

PERSONAS = ["admin", "marketer", "hr", "comms", "sales", "coach", "ambassador", "employee"]
CONSOLE = {"admin", "marketer", "hr", "comms", "sales", "coach"}
STUDIO = {"admin", "marketer", "comms"}
ROUTES = [
    ("get", "/console/content/{item}/", CONSOLE, 403, 200),
    ("get", "/console/content/{item}/edit", STUDIO, 403, 200),
    ("post", "/console/content/{item}/preview", STUDIO, 403, 302),
    ("post", "/console/content/{item}/comments", CONSOLE, 403, 302),
    ("post", "/console/content/{item}/do/submit", STUDIO, 403, 302),
    ("post", "/console/content/{item}/translate", STUDIO, 403, 302),
    ("post", "/console/content/inbox/{entry}/discard", STUDIO, 403, 302),
    ("post", "/console/content/sources/{source}/pause", STUDIO, 403, 302),
    ("post", "/console/content/suggestions/{suggestion}/moderate", STUDIO, 403, 302),
    ("get", "/console/content/setup/programs/{program}/", {"admin", "marketer"}, 403, 200),
    ("get", "/feed/{item}/share", {"ambassador"}, 404, 200),
    ("post", "/feed/{item}/hide", set(PERSONAS), 403, 302),
    ("get", "/api/v1/content/items/{item}", STUDIO, 403, 200),
    ("get", "/api/v1/content/items/{item}/messages", STUDIO, 403, 200),
]


@pytest.fixture
def objects(persona, program, enrol) -> dict[str, int]:
    enrol(persona.ambassador)
    item = ContentItem.objects.create(
        organisation=persona.organisation,
        program=program,
        title="Article",
        url="https://example.com/a",
        status=Status.PUBLISHED,
        published_at=timezone.now(),
    )
    source = Source.objects.create(
        organisation=persona.organisation, url="https://example.com/feed", program=program
    )
    entry = CurationEntry.objects.create(
        organisation=persona.organisation, source=source, url="https://example.com/e", title="E"
    )
    suggestion = Suggestion.objects.create(
        organisation=persona.organisation, author=persona.ambassador, text="Idée"
    )
    return {
        "item": item.pk,
        "entry": entry.pk,
        "source": source.pk,
        "suggestion": suggestion.pk,
        "program": program.pk,
    }


@pytest.mark.parametrize(("method", "path", "allowed", "refused", "ok"), ROUTES)
def test_object_routes(persona, client_for, objects, method, path, allowed, refused, ok) -> None:
    url = path.format(**objects)
    for name in [*PERSONAS, "outsider"]:
        response = getattr(client_for(getattr(persona, name)), method)(url)
        expected = 404 if name == "outsider" else ok if name in allowed else refused
        assert response.status_code == expected, f"{name} {method.upper()} {url}"
