"""The same under /api/v1/: 201 with a warning, 422 in the one error format, 403, 204."""

from __future__ import annotations

import pytest

from ambassade.chat_channels.models import ChatChannel
from ambassade.chat_channels.tests.receiver import receive, teams_problems

pytestmark = pytest.mark.django_db


def _base(program) -> str:
    return f"/api/v1/programs/{program.pk}/chat-channels"


def test_connect_list_test_change_and_disconnect(persona, client_for, program) -> None:
    client = client_for(persona.admin)
    with receive(check=teams_problems) as teams:
        created = client.post(
            _base(program),
            {"kind": "teams", "name": "Équipe RH", "webhook_url": teams.url},
            content_type="application/json",
        )
        assert created.status_code == 201, created.content
        body = created.json()
        assert body["webhook_host"] == "127.0.0.1"
        assert "webhook_url" not in body and teams.url not in created.content.decode()
        assert "does not look like a Teams Workflows webhook" in body["warning"]
        channel_url = f"{_base(program)}/{body['id']}"
        tested = client.post(f"{channel_url}/test")
    assert tested.json() == {
        "ok": True,
        "status": 200,
        "message": "Delivered: Microsoft Teams accepted the message.",
    }
    assert teams.problems == []
    [listed] = client.get(_base(program)).json()
    assert (listed["last_status"], listed["consecutive_failures"]) == (200, 0)
    changed = client.patch(channel_url, {"send_weekly": False}, content_type="application/json")
    assert changed.json()["send_weekly"] is False
    assert client.delete(channel_url).status_code == 204
    assert not ChatChannel.objects.exists()


@pytest.mark.parametrize(
    "address",
    ["http://hooks.slack.com/services/x", "https://192.168.1.10/hook", "ftp://example.com/x"],
)
def test_a_bad_address_is_a_422(persona, client_for, program, address) -> None:
    answer = client_for(persona.admin).post(
        _base(program),
        {"kind": "slack", "name": "#a", "webhook_url": address},
        content_type="application/json",
    )
    assert answer.status_code == 422
    error = answer.json()["error"]
    assert error["code"] == "invalid"
    assert "webhook_url" in str(error["details"])


def test_those_without_the_permission_are_refused(persona, client_for, program) -> None:
    assert client_for(persona.hr).get(_base(program)).status_code == 403
    assert client_for(persona.ambassador).get(_base(program)).status_code == 403
    assert client_for(persona.outsider).get(_base(program)).status_code == 404
