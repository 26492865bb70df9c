"""Demo autopilot: Lucas Perrin (ambassadeur@verdier.example) lets the Recrutement
channel post for him on Bluesky, twice a week at most, in his words; one post waits in
its preview window, and one item was skipped as too close to a colleague's post."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from ambassade.autopilot.models import Autopilot, AutopilotPost, Outcome
from ambassade.autopilot.wording import render
from ambassade.content.models import Channel, ContentItem, Status
from ambassade.core.demo import DemoContext, demo_step
from ambassade.people.models import Person
from ambassade.sharing import crypto
from ambassade.sharing.demo import demo_secrets
from ambassade.sharing.models import Share, ShareTarget, SocialAccount, TargetStatus
from ambassade.tracking.codes import ALPHABET, LENGTH
from ambassade.tracking.models import TrackedLink

AMBASSADOR = "ambassadeur@verdier.example"
WORDS = "Chez Verdier depuis six ans, je vous le dis sans détour : {title} {link}"


@demo_step(60)
def autopilot(context: DemoContext) -> None:
    organisation = context.objects["organisation"]
    lucas = Person.objects.filter(email=AMBASSADOR, organisation=organisation).first()
    channel = Channel.objects.filter(organisation=organisation, name="Recrutement").first()
    if lucas is None or channel is None:
        return
    account = SocialAccount.objects.filter(person=lucas, network="bluesky").first()
    if account is None:
        account = SocialAccount(
            organisation=organisation,
            person=lucas,
            network="bluesky",
            remote_id=f"did:plc:demo{lucas.pk}",
            handle=f"@lucas{lucas.pk}.demo.invalid",
            audience=640,
        )
        account.secrets = crypto.encrypt(demo_secrets(account.remote_id, account.handle))
        account.save()
    pilot = Autopilot.objects.create(
        organisation=organisation, person=lucas, enabled=True, template=WORDS, per_week=2
    )
    pilot.channels.add(channel)
    pilot.accounts.add(account)
    shared = Share.objects.filter(person=lucas).values("item_id")
    items = list(
        ContentItem.objects.filter(
            organisation=organisation, status=Status.PUBLISHED, channels=channel
        )
        .exclude(pk__in=shared)
        .order_by("-published_at", "-pk")[:2]
    )
    if not items:
        return
    now = timezone.now()
    waiting = items[0]
    share = Share.objects.create(
        organisation=organisation,
        person=lucas,
        item=waiting,
        message=render(WORDS, waiting.title),
        similarity=35,
    )
    target = ShareTarget.objects.create(
        share=share,
        organisation=organisation,
        account=account,
        network="bluesky",
        status=TargetStatus.SCHEDULED,
        scheduled_at=now + timedelta(hours=19),
    )
    target.tracked_link = TrackedLink.objects.create(
        organisation=organisation,
        code="".join(context.rng.choice(ALPHABET) for _ in range(LENGTH)),
        destination=waiting.url or "https://www.verdier.example/",
        person=lucas,
        network="bluesky",
        content_item_id=waiting.pk,
        share_target_id=target.pk,
        preview_title=waiting.title[:300],
    )
    target.save(update_fields=["tracked_link"])
    AutopilotPost.objects.create(
        organisation=organisation,
        person=lucas,
        item=waiting,
        target=target,
        outcome=Outcome.QUEUED,
        created_at=now - timedelta(hours=5),
    )
    if len(items) > 1:
        AutopilotPost.objects.create(
            organisation=organisation,
            person=lucas,
            item=items[1],
            outcome=Outcome.TOO_SIMILAR,
            reason="Vos mots sont identiques à 93 % à la publication d’un collègue sur ce "
            "contenu : le pilote automatique ne publie pas de copies.",
            created_at=now - timedelta(days=2),
        )
    context.progress("autopilot: on for Lucas Perrin, one post in its preview window")
