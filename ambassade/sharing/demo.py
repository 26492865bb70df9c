"""Demo sharing: connected accounts (fake secrets, never usable) and posts in every state.

Each account stores a Bluesky session of the shape the Bluesky module reads (PDS, DID,
handle, tokens), so the periodic jobs handle it like any other; its tokens say ``DEMO``
and its PDS is an address reserved for documentation (RFC 5737), which the outbound
guard refuses before any connection: nothing ever leaves the machine, and a demo post a
worker reaches fails as refused.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from ambassade.content.models import ContentItem, Kind, Status, SuggestedMessage
from ambassade.core.demo import DemoContext, demo_step
from ambassade.programs.models import Enrolment
from ambassade.sharing import crypto
from ambassade.sharing.models import (
    FailureKind,
    PublishAttempt,
    Share,
    ShareTarget,
    SocialAccount,
    TargetStatus,
)
from ambassade.tracking.codes import ALPHABET, LENGTH
from ambassade.tracking.models import TrackedLink

DEMO_TOKEN = "DEMO - not a real token, never usable"  # noqa: S105 (a label, not a secret)
DEMO_PDS = "https://192.0.2.1"  # TEST-NET-1: reserved for documentation, never routed


def demo_secrets(did: str, handle: str) -> dict[str, str]:
    """A session with the keys ``networks/bluesky.py`` reads, usable nowhere."""
    return {
        "demo": DEMO_TOKEN,
        "pds_url": DEMO_PDS,
        "did": did,
        "handle": handle.lstrip("@"),
        "access_jwt": DEMO_TOKEN,
        "refresh_jwt": DEMO_TOKEN,
        "app_password": DEMO_TOKEN,
    }


STATES = [
    TargetStatus.PUBLISHED,
    TargetStatus.PUBLISHED,
    TargetStatus.PUBLISHED,
    TargetStatus.SCHEDULED,
    TargetStatus.FAILED,
    TargetStatus.CANCELLED,
    TargetStatus.TO_VERIFY,
    TargetStatus.DECLARED,
]
MESSAGES = [
    "Fière de ce que fait mon équipe : {title}",
    "On en parlait hier à la pause café. {title}",
    "Proud of my colleagues: {title}",
    "Si ça vous parle, écrivez-moi ! {title}",
]


@demo_step(40)
def sharing(context: DemoContext) -> None:
    rng = context.rng
    organisation = context.objects["organisation"]
    enrolled = list(
        Enrolment.objects.filter(program__organisation=organisation, status="active")
        .select_related("person")
        .order_by("pk")[: max(300, context.people // 10)]
    )
    people = list({enrolment.person_id: enrolment.person for enrolment in enrolled}.values())
    items = list(
        ContentItem.objects.filter(organisation=organisation, status=Status.PUBLISHED)
        .exclude(kind=Kind.INTERNAL_NEWS)
        .order_by("-published_at")[:200]
    )
    if not people or not items:
        return
    accounts = [
        SocialAccount(
            organisation=organisation,
            person=person,
            network="bluesky",
            remote_id=f"did:plc:demo{person.pk}",
            handle=f"@{person.first_name.lower()}{person.pk}.demo.invalid",
            audience=rng.randint(40, 2500),
            audience_measured_at=timezone.now(),
        )
        for person in people
        if rng.random() < 0.7
    ]
    for account in accounts:
        account.secrets = crypto.encrypt(demo_secrets(account.remote_id, account.handle))
    accounts = SocialAccount.objects.bulk_create(accounts)
    now = timezone.now()
    shares, plans = [], []
    for account in accounts:
        # About two shares a month each over a long demo period, one to four over a short one.
        for _index in range(rng.randint(1, max(4, context.days // 15))):
            item = rng.choice(items)
            created = now - timedelta(days=rng.randint(0, max(context.days - 1, 0)))
            shares.append(
                Share(
                    organisation=organisation,
                    person=account.person,
                    item=item,
                    message=rng.choice(MESSAGES).format(title=item.title),
                    similarity=rng.randint(20, 70),
                    created_at=created,
                )
            )
            plans.append((account, rng.choice(STATES), created))
    # One post in five relays the suggested message unchanged (a copy: similarity 100),
    # as some ambassadors do; chosen by position, so the random sequence stays the same.
    suggested = dict(
        SuggestedMessage.objects.filter(item__in=items)
        .order_by("item_id", "-id")
        .values_list("item_id", "text")
    )
    for share in shares[::5]:
        if share.item_id in suggested:
            share.message, share.similarity = suggested[share.item_id], 100
    shares = Share.objects.bulk_create(shares)
    targets = []
    for share, (account, state, created) in zip(shares, plans, strict=True):
        declared = state == TargetStatus.DECLARED
        scheduled = now + timedelta(days=2) if state == TargetStatus.SCHEDULED else created
        targets.append(
            ShareTarget(
                share=share,
                organisation=organisation,
                account=None if declared else account,
                network="facebook" if declared else "bluesky",
                status=state,
                scheduled_at=scheduled,
                tries=1 if state in (TargetStatus.PUBLISHED, TargetStatus.FAILED) else 0,
                remote_url=f"https://bsky.app/profile/demo/post/{rng.getrandbits(48):012x}"
                if state == TargetStatus.PUBLISHED
                else "",
                published_at=created if state == TargetStatus.PUBLISHED else None,
                audience=account.audience if state == TargetStatus.PUBLISHED else None,
                likes=rng.randint(0, 40) if state == TargetStatus.PUBLISHED else None,
                reposts=rng.randint(0, 10) if state == TargetStatus.PUBLISHED else None,
                failure_kind=FailureKind.REJECTED if state == TargetStatus.FAILED else "",
                failure_reason="Bluesky refused: the post is too long."
                if state == TargetStatus.FAILED
                else "",
                created_at=created,
            )
        )
    targets = ShareTarget.objects.bulk_create(targets)
    links = TrackedLink.objects.bulk_create(
        [
            TrackedLink(
                organisation=organisation,
                code="".join(rng.choice(ALPHABET) for _ in range(LENGTH)),
                destination=target.share.item.url or "https://www.verdier.example/",
                person=target.share.person,
                network=target.network,
                content_item_id=target.share.item_id,
                share_target_id=target.pk,
                preview_title=target.share.item.title[:300],
            )
            for target in targets
        ]
    )
    for target, link in zip(targets, links, strict=True):
        target.tracked_link = link
    ShareTarget.objects.bulk_update(targets, ["tracked_link"], batch_size=500)
    PublishAttempt.objects.bulk_create(
        [
            PublishAttempt(
                target=target,
                number=1,
                started_at=target.scheduled_at or now,
                finished_at=target.scheduled_at,
                outcome="published" if target.status == TargetStatus.PUBLISHED else "rejected",
            )
            for target in targets
            if target.tries
        ]
    )
    context.progress(f"sharing: {len(accounts)} accounts, {len(targets)} posts")
