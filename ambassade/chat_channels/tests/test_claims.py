"""Two workers sending the same featured post at the same moment post it once (PostgreSQL:
real concurrent transactions, each thread on its own connection)."""

from __future__ import annotations

import threading

import pytest
from django.db import connections, transaction

from ambassade.chat_channels.models import ChatDelivery
from ambassade.chat_channels.sending import send
from ambassade.chat_channels.subscribers import create_deliveries
from ambassade.chat_channels.tests.receiver import receive
from ambassade.core import events

# Nothing runs by itself: the test decides who sends.
QUEUED_ONLY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_row_claimed_by_two_workers_at_once_is_posted_once(
    settings, connect, item, persona
) -> None:
    settings.TASKS = QUEUED_ONLY
    with receive() as slack:
        channel = connect("slack", slack.url)
        with transaction.atomic():
            event = events.record("content.item_featured", persona.organisation, item_id=item.pk)
        with transaction.atomic():
            [row_id] = create_deliveries(event)
        start = threading.Barrier(2)
        results: list[str] = []
        errors: list[BaseException] = []

        def worker() -> None:
            try:
                start.wait(timeout=30)
                results.append(send(row_id))
            except BaseException as error:  # reported by the test, not lost in the thread
                errors.append(error)
            finally:
                connections.close_all()

        threads = [threading.Thread(target=worker) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    assert errors == []
    assert sorted(results) == ["delivered", "not due"]
    assert len(slack.received) == 1
    row = ChatDelivery.objects.get(pk=row_id)
    assert (row.status, row.attempts, row.ok, row.channel_id) == ("done", 1, True, channel.pk)
