"""The "Slack and Teams" tab: who sees it, connecting with clear errors, the secret kept,
the test message's outcome in plain words, changing and disconnecting."""

from __future__ import annotations

import pytest

from ambassade.chat_channels.models import ChatChannel, ChatDelivery
from ambassade.chat_channels.tests.receiver import receive, slack_problems
from ambassade.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def _url(program) -> str:
    return f"/console/programs/{program.pk}/chat/"


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("admin", 200),
        ("marketer", 403),  # not an owner of this program
        ("hr", 403),
        ("comms", 403),
        ("sales", 403),
        ("coach", 403),
        ("ambassador", 403),
        ("employee", 403),
        ("outsider", 404),  # another organisation's program is not found
    ],
)
def test_who_may_open_the_page(persona, client_for, program, who, status) -> None:
    assert client_for(getattr(persona, who)).get(_url(program)).status_code == status


def test_a_marketer_who_owns_the_program_manages_its_channels(persona, client_for, program) -> None:
    program.owners.add(persona.marketer)
    page = client_for(persona.marketer).get(_url(program))
    assert page.status_code == 200
    assert "Connect a channel" in page.content.decode()


def test_the_tab_shows_to_those_who_may_use_it(persona, client_for, program) -> None:
    detail = f"/console/programs/{program.pk}/"
    assert _url(program) in client_for(persona.admin).get(detail).content.decode()
    assert _url(program) not in client_for(persona.comms).get(detail).content.decode()


@pytest.mark.parametrize(
    ("address", "words"),
    [
        ("not a web address", "This is not a web address"),
        ("http://hooks.slack.com/services/T0/B0/x", "must start with https://"),
        ("https://10.1.2.3/hook", "private or reserved address"),
        ("https://169.254.169.254/latest/meta-data", "private or reserved address"),
        ("https://localhost/hook", "private or reserved address"),
        ("https://hooks.slack.com:8443/x", "Port 8443 is not allowed"),
        ("", "Paste the webhook address."),
    ],
)
def test_a_bad_address_gets_a_clear_error(persona, client_for, program, address, words) -> None:
    answer = client_for(persona.admin).post(
        _url(program), {"kind": "slack", "name": "#ambassadeurs", "webhook_url": address}
    )
    assert answer.status_code == 422
    assert words in answer.content.decode()
    assert not ChatChannel.objects.exists()


def test_connecting_keeps_the_address_secret_and_warns_when_it_looks_odd(
    persona, client_for, program
) -> None:
    with receive() as hook:
        secret_url = hook.url + "/T0001/B0002/s3cr3tPart"
        client = client_for(persona.admin)
        answer = client.post(
            _url(program),
            {
                "kind": "slack",
                "name": "#ambassadeurs",
                "webhook_url": secret_url,
                "send_featured": "on",
            },
            follow=True,
        )
    page = answer.content.decode()
    assert "is connected" in page
    assert "does not look like a Slack incoming webhook" in page
    assert "s3cr3tPart" not in page
    assert "An address on 127.0.0.1 (kept secret)" in page
    channel = ChatChannel.objects.get()
    assert (channel.send_featured, channel.send_weekly) == (True, False)
    assert "s3cr3tPart" not in channel.webhook  # encrypted at rest
    assert channel.webhook_url == secret_url
    audit = AuditEvent.objects.get(action="chat_channel.connected")
    assert "s3cr3tPart" not in str(audit.after)


def test_the_test_button_says_what_happened(persona, client_for, program, connect) -> None:
    client = client_for(persona.admin)
    with receive(200, 404, check=slack_problems) as slack:
        channel = connect("slack", slack.url)
        test = f"{_url(program)}{channel.pk}/test"
        first = client.post(test, follow=True).content.decode()
        second = client.post(test, follow=True).content.decode()
    assert "Delivered: Slack accepted the message." in first
    assert "this webhook no longer exists" in second
    assert "Recent failures" in second  # the failure is listed on the page
    assert slack.problems == []
    assert list(ChatDelivery.objects.values_list("what", "status_code", "ok")) == [
        ("test", 404, False),
        ("test", 200, True),
    ]


def test_change_and_disconnect(persona, client_for, program, stored) -> None:
    client = client_for(persona.admin)
    channel = stored("teams", "https://prod-12.westeurope.logic.azure.com/workflows/abc")
    answer = client.post(
        f"{_url(program)}{channel.pk}/change",
        {f"c{channel.pk}-name": "Équipe RH", f"c{channel.pk}-send_weekly": "on"},
    )
    assert answer.status_code == 302
    channel.refresh_from_db()
    assert (channel.name, channel.send_featured, channel.send_weekly, channel.enabled) == (
        "Équipe RH",
        False,
        True,
        False,
    )
    client.post(f"{_url(program)}{channel.pk}/disconnect")
    assert not ChatChannel.objects.exists()
    assert AuditEvent.objects.filter(action="chat_channel.disconnected").exists()


def test_turning_a_paused_channel_back_on_lifts_the_pause(
    persona, client_for, program, stored
) -> None:
    from django.utils import timezone

    channel = stored("slack", "https://hooks.slack.com/services/T0/B0/x")
    ChatChannel.objects.filter(pk=channel.pk).update(
        paused_at=timezone.now(), consecutive_failures=10
    )
    page = client_for(persona.admin).get(_url(program)).content.decode()
    assert "Paused after repeated failures" in page
    client_for(persona.admin).post(
        f"{_url(program)}{channel.pk}/change",
        {f"c{channel.pk}-name": channel.name, f"c{channel.pk}-enabled": "on"},
    )
    channel.refresh_from_db()
    assert (channel.paused_at, channel.consecutive_failures, channel.enabled) == (None, 0, True)


def test_the_page_reads_in_a_few_queries(
    persona, client_for, program, stored, django_assert_max_num_queries
) -> None:
    for number in range(5):
        stored("slack", "https://hooks.slack.com/services/T0/B0/x", name=f"#canal-{number}")
    client = client_for(persona.admin)
    # The layout's own (session, person, roles, the unread badge, the 2FA policy) and
    # those of this page, whatever the number of channels.
    with django_assert_max_num_queries(14):
        assert client.get(_url(program)).status_code == 200


def test_a_post_waiting_for_a_retry_is_listed_apart_from_the_failures(
    persona, client_for, program, stored
) -> None:
    channel = stored("slack", "https://hooks.slack.com/services/T0/B0/x")
    ChatDelivery.objects.create(
        organisation=persona.organisation,
        channel=channel,
        what="featured",
        event_id=1,
        subject="Nous recrutons à Lyon",
        status=ChatDelivery.Status.PENDING,
        attempts=2,
        status_code=503,
        error="Slack a eu un problème (503).",
    )
    page = client_for(persona.admin).get(_url(program)).content.decode()
    waiting = page.split("Recent failures")[0].split("Échecs récents")[0]
    assert "Nous recrutons à Lyon (#ambassadeurs)" in waiting
    assert "Slack a eu un problème (503)." in waiting
    assert "Recent failures" not in page and "Échecs récents" not in page
