"""What stops an autopilot post when its time comes: the publishing engine checks the
charter, the training and the pause again (sharing/publishing.py), for these posts too.
And what the person edited is what goes out."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from ambassade.autopilot.models import AutopilotPost, Outcome
from ambassade.autopilot.tests.conftest import send
from ambassade.notifications.models import Notification
from ambassade.programs.models import Enrolment
from ambassade.sharing import publishing
from ambassade.sharing.models import FailureKind, PublishingPause, ShareTarget, TargetStatus

pytestmark = pytest.mark.django_db


def _due(target: ShareTarget) -> None:
    """The preview window is over."""
    ShareTarget.objects.filter(pk=target.pk).update(
        scheduled_at=timezone.now() - timedelta(minutes=1)
    )


def test_after_the_window_the_edited_text_goes_out(
    setup, enrolled, turn_on, publish, client_for, fake
) -> None:
    turn_on()
    target = AutopilotPost.objects.get(item=publish("Nous recrutons à Lyon")).target
    edited = "Mon équipe recrute, et j'y crois vraiment : parlez-m'en !"
    send(client_for(enrolled), "patch", f"/me/posts/{target.pk}", {"message": edited})
    assert publishing.publish(target.pk) == "not due"  # still in the preview window
    assert fake.posted == []
    _due(target)
    assert publishing.publish(target.pk) == "published"
    assert [post.text for post in fake.posted] == [edited]


def test_no_post_without_the_current_charter(setup, enrolled, turn_on, publish, fake) -> None:
    turn_on()
    target = AutopilotPost.objects.get(item=publish("Nous recrutons à Lyon")).target
    # A new charter waits for the person's acceptance: their enrolment is paused.
    Enrolment.objects.filter(person=enrolled).update(status=Enrolment.Status.PAUSED)
    _due(target)
    assert publishing.publish(target.pk).startswith("failed")
    target.refresh_from_db()
    assert target.status == TargetStatus.FAILED
    assert target.failure_kind == FailureKind.NOT_ALLOWED
    assert "charter" in target.failure_reason
    assert fake.posted == []
    # And while it waits, the autopilot prepares nothing more, and says why.
    item = publish("Portes ouvertes à Nantes")
    post = AutopilotPost.objects.get(item=item)
    assert post.outcome == Outcome.NOT_ALLOWED
    assert post.reason == "Une nouvelle version de la charte attend votre acceptation."
    assert Notification.objects.filter(person=enrolled, kind="autopilot_post").count() == 2


def test_no_post_during_a_publishing_pause(
    setup, persona, enrolled, turn_on, publish, fake
) -> None:
    turn_on()
    target = AutopilotPost.objects.get(item=publish("Nous recrutons à Lyon")).target
    PublishingPause.objects.create(organisation=persona.organisation, paused=True, reason="Crise")
    _due(target)
    assert publishing.publish(target.pk) == "paused"
    target.refresh_from_db()
    assert target.status == TargetStatus.PAUSED
    assert fake.posted == []
    # Queued during the pause: held from the start.
    later = AutopilotPost.objects.get(item=publish("Portes ouvertes à Nantes")).target
    assert later.status == TargetStatus.PAUSED


def test_no_post_without_the_required_training(
    setup, persona, enrolled, turn_on, publish, fake
) -> None:
    from ambassade.learning.tests.conftest import make_module

    turn_on()
    target = AutopilotPost.objects.get(item=publish("Nous recrutons à Lyon")).target
    make_module(persona.hr)  # required of every supporter, published after the post was queued
    _due(target)
    assert publishing.publish(target.pk).startswith("failed")
    target.refresh_from_db()
    assert target.failure_kind == FailureKind.NOT_ALLOWED
    assert "training" in target.failure_reason
    assert fake.posted == []
