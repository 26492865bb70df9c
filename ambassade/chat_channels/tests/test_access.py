"""Every page and operation of Slack and Teams against every persona: admins everywhere,
a program's marketing or HR owner on that program, 403 for the others, 404 for another
organisation's program (core/tests/test_access_matrix.py points here)."""

from __future__ import annotations

import pytest

from ambassade.chat_channels.models import ChatChannel

pytestmark = pytest.mark.django_db

PERSONAS = ["admin", "marketer", "hr", "comms", "sales", "coach", "ambassador", "employee"]

ROUTES = [
    ("get", "/console/programs/{p}/chat/", 200),
    ("post", "/console/programs/{p}/chat/{c}/change", 302),
    ("get", "/api/v1/programs/{p}/chat-channels", 200),
    ("patch", "/api/v1/programs/{p}/chat-channels/{c}", 200),
    # Allowed in, then refused the plain-http address: nothing is posted anywhere.
    ("post", "/api/v1/programs/{p}/chat-channels", 422),
    # Last: these two would remove or post to the channel.
    ("post", "/console/programs/{p}/chat/{c}/disconnect", 302),
    ("delete", "/api/v1/programs/{p}/chat-channels/{c}", 204),
]


def _call(client, method: str, url: str):
    if url.startswith("/api/") and method in {"patch", "post"}:
        body = {"kind": "slack", "name": "#x", "webhook_url": "http://hooks.slack.com/x"}
        return getattr(client, method)(
            url, body if method == "post" else {}, content_type="application/json"
        )
    return getattr(client, method)(url)


@pytest.mark.parametrize(("method", "path", "ok"), ROUTES)
def test_each_persona(persona, client_for, program, stored, method, path, ok) -> None:
    program.owners.add(persona.hr)  # HR owns it: HR manages its channels, marketing does not
    for name in PERSONAS:
        channel = ChatChannel.objects.first() or stored(
            "slack", "https://hooks.slack.com/services/T0/B0/x"
        )
        url = path.format(p=program.pk, c=channel.pk)
        expected = ok if name in {"admin", "hr"} else 403
        status = _call(client_for(getattr(persona, name)), method, url).status_code
        assert status == expected, f"{name} {method.upper()} {url}"


def test_another_organisations_program_is_not_found(persona, client_for, program, stored) -> None:
    channel = stored("slack", "https://hooks.slack.com/services/T0/B0/x")
    outsider = client_for(persona.outsider)
    for method, path, _ok in ROUTES:
        url = path.format(p=program.pk, c=channel.pk)
        assert _call(outsider, method, url).status_code == 404, f"{method.upper()} {url}"
    assert (
        outsider.post(f"/console/programs/{program.pk}/chat/{channel.pk}/test").status_code == 404
    )
    assert ChatChannel.objects.filter(pk=channel.pk).exists()
