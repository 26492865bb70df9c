"""Creating a share with its targets, and cancelling a target."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from ambassade.content import images
from ambassade.content import selectors as content_selectors
from ambassade.content.models import ContentItem
from ambassade.core import audit, events
from ambassade.core.authz import Actor
from ambassade.people.models import Person
from ambassade.programs.selectors import may_share
from ambassade.sharing import authenticity, preview, scheduling, selectors
from ambassade.sharing.actions._common import own_person
from ambassade.sharing.models import (
    CANCELLABLE,
    Share,
    ShareTarget,
    SharingSettings,
    SocialAccount,
    TargetStatus,
)
from ambassade.sharing.registry import display_name
from ambassade.tracking.actions import create_link, short_url

WHEN = ("now", "schedule", "queue")


class TooSimilar(ValidationError):
    """The message is nearly a copy; ``score`` is the similarity in percent."""

    def __init__(self, message: str, score: int, blocking: bool) -> None:
        super().__init__(message, code="too_similar")
        self.score = score
        self.blocking = blocking


@dataclass(frozen=True)
class TargetRequest:
    account_id: int | None = None  # one of the person's connected accounts
    network: str = ""  # or a share-link network (facebook, whatsapp…)


def share_link_networks() -> frozenset[str]:
    """Networks posted through an "open in…" link (sharing/share_links.py, when present)."""
    from ambassade.sharing import share_links

    return frozenset(network.code for network in share_links.share_networks())


def similarity_check(person: Person, item: ContentItem, message: str) -> int:
    """Percent of the closest suggestion or colleague's message on the same item."""
    suggestions = [suggested.text_to_share for suggested in item.messages.all()]
    return authenticity.closest(message, suggestions + selectors.other_messages(person, item.pk))


def _card(item: ContentItem) -> dict[str, Any]:
    """What the tracked link's page for crawlers shows: the item's image is served by us,
    at an absolute address, with its size."""
    card: dict[str, Any] = {
        "title": item.title,
        "description": item.description,
        "site_name": item.site_name,
        "language": item.language,
    }
    found = images.sizes(item.image) if item.image else []
    if found:
        original = found[-1]
        url = original.url
        card["image_url"] = url if "://" in url else f"{settings.BASE_URL}{url}"
        card["image_width"], card["image_height"] = original.width, original.height
    return card


def _when(
    options: SharingSettings,
    person_tz: tzinfo,
    when: str,
    at: datetime | None,
    person: Person,
) -> datetime:
    now = timezone.now()
    if when == "now":
        moment = now
    elif when == "schedule":
        if at is None:
            raise ValidationError({"at": _("Choose a date and time.")})
        if at < now - timedelta(minutes=1):
            raise ValidationError({"at": _("Choose a time in the future.")})
        moment = max(at, now)
    else:
        slot = scheduling.next_queue_slot(person)
        if slot is None:
            raise ValidationError(
                {"when": _("Your weekly schedule has no free slot: add slots or pick a time.")}
            )
        moment = scheduling.after_quiet_hours(options, slot, person_tz)
    if scheduling.in_quiet_hours(options, moment, person_tz):
        until = scheduling.after_quiet_hours(options, moment, person_tz)
        raise ValidationError(
            {
                "when": _("Quiet hours: nothing is posted until %(time)s. Schedule it then.")
                % {"time": formats.time_format(until.astimezone(person_tz).time(), "H:i")}
            }
        )
    return moment


def create_share(
    actor: Actor,
    item: ContentItem,
    message: str,
    targets: list[TargetRequest],
    *,
    when: str = "now",
    at: datetime | None = None,
    accept_similar: bool = False,
) -> Share:
    person = own_person(actor, "sharing.share")
    if item.organisation_id != person.organisation_id:
        raise ValidationError(_("This item belongs to another organisation."))
    if not item.shareable or not item.is_live:
        raise ValidationError(_("This item cannot be shared."))
    decision = may_share(person, item.program)
    if not decision.allowed:
        raise ValidationError(decision.reason)
    message = (message or "").strip()
    if not message:
        raise ValidationError({"message": _("Write a message: a few words of your own.")})
    if len(message) > 3000:
        raise ValidationError({"message": _("The message is longer than 3,000 characters.")})
    if not targets:
        raise ValidationError({"targets": _("Choose at least one account or network.")})
    if when not in WHEN:
        raise ValidationError({"when": _("Choose now, a time, or your queue.")})
    options = selectors.settings_of(person.organisation)
    tz = scheduling.zone_of(person)

    score = similarity_check(person, item, message)
    if score >= options.similarity_threshold:
        blocking = options.similarity_mode == SharingSettings.SimilarityMode.BLOCK
        if blocking or not accept_similar:
            raise TooSimilar(
                _(
                    "Your message is %(score)d%% the same as a suggestion or a colleague's post: "
                    "make it your own, in your words."
                )
                % {"score": score},
                score,
                blocking,
            )

    accounts = {account.pk: account for account in selectors.accounts_of(person)}
    links = share_link_networks()
    resolved: list[tuple[SocialAccount | None, str]] = []
    for request in targets:
        if request.account_id is not None:
            account = accounts.get(request.account_id)
            if account is None:
                raise ValidationError({"targets": _("This account is not one of yours.")})
            if not account.healthy:
                raise ValidationError(
                    {"targets": _("Connect %(handle)s again first.") % {"handle": account.handle}}
                )
            resolved.append((account, account.network))
        elif request.network in links:
            # Declared: the person posts through the network's own share page.
            resolved.append((None, request.network))
        else:
            raise ValidationError({"targets": _("Unknown network: %s") % request.network[:32]})
    for _account, network in resolved:
        per_network = may_share(person, item.program, network)
        if not per_network.allowed:
            raise ValidationError({"targets": per_network.reason})

    with transaction.atomic():
        # The queue slot, the cap and the stagger read the other targets: decide one
        # compose at a time per person and per item, and read the pause in the same
        # transaction.
        scheduling.hold(person.pk, item.pk)
        moment = _when(options, tz, when, at, person)
        paused = selectors.holds(person.organisation_id, person.pk)
        share = Share.objects.create(
            organisation=person.organisation,
            person=person,
            item=item,
            message=message,
            similarity=score,
        )
        created = []
        card = _card(item)
        for account, network in resolved:
            check = content_selectors.check_message(person.organisation, message, network)
            if check.blocked:
                finding = check.blocking[0]
                raise ValidationError(
                    {
                        "message": _("“%(term)s” must not be posted: %(reason)s")
                        % {"term": finding.matched, "reason": finding.reason}
                    }
                )
            if account is not None:
                planned = scheduling.plan(
                    options, tz, person.organisation_id, item.pk, network, moment
                )
                taken = selectors.posts_on_day(person, network, planned, tz)
                if taken >= options.daily_cap:
                    raise ValidationError(
                        {
                            "when": _(
                                "You already have %(count)d posts on %(network)s that day, "
                                "the organisation's limit: choose another day."
                            )
                            % {"count": taken, "network": network}
                        }
                    )
                due_now = planned <= timezone.now() + timedelta(seconds=5)
                status = TargetStatus.QUEUED if due_now else TargetStatus.SCHEDULED
                if paused:
                    status = TargetStatus.PAUSED
            else:
                planned, status = timezone.now(), TargetStatus.DECLARED
            target = ShareTarget.objects.create(
                share=share,
                organisation=person.organisation,
                account=account,
                network=network,
                status=status,
                scheduled_at=planned,
            )
            link = create_link(
                organisation=person.organisation,
                url=item.url or item.apply_url or item.registration_url or "",
                network=network,
                person=person,
                campaign=slugify(item.program.name) if item.program_id else "",
                content_item_id=item.pk,
                share_target_id=target.pk,
                preview=card,
            )
            target.tracked_link = link
            target.save(update_fields=["tracked_link"])
            if account is not None:
                counted = preview.shown(
                    person.organisation, item, message, network, short_url(link), person
                ).count
                if counted.over:
                    raise ValidationError(
                        {
                            "message": _(
                                "Too long for %(network)s: %(used)d of %(limit)d characters "
                                "with the link."
                            )
                            % {
                                "network": display_name(network),
                                "used": counted.used,
                                "limit": counted.limit,
                            }
                        }
                    )
            created.append(target)
        for target in created:
            if target.status == TargetStatus.DECLARED:
                events.record(
                    "sharing.share_declared",
                    person.organisation,
                    target_id=target.pk,
                    share_id=share.pk,
                    person_id=person.pk,
                    item_id=item.pk,
                    network=target.network,
                )
        audit.record(
            "sharing.share_created",
            organisation=person.organisation,
            actor=actor,
            target=share,
            after={
                "item": item.pk,
                "targets": [[target.network, target.status] for target in created],
                "when": when,
                "similarity": score,
            },
        )
        from ambassade.sharing.publishing import enqueue

        for target in created:
            if target.status in (TargetStatus.QUEUED, TargetStatus.SCHEDULED):
                enqueue(target.pk, target.scheduled_at)
    return share


@transaction.atomic
def cancel_target(actor: Actor, target: ShareTarget) -> ShareTarget:
    person = own_person(actor, "sharing.share")
    locked = ShareTarget.objects.select_for_update().get(
        pk=target.pk, share__person=person, organisation_id=person.organisation_id
    )
    if locked.status not in CANCELLABLE:
        raise ValidationError(
            _("This post can no longer be cancelled: it is %(status)s.")
            % {"status": locked.get_status_display()}
        )
    before = locked.status
    locked.status = TargetStatus.CANCELLED
    locked.save(update_fields=["status"])
    audit.record(
        "sharing.target_cancelled",
        organisation=person.organisation,
        actor=actor,
        target=locked,
        before={"status": before},
        after={"status": locked.status},
    )
    return locked


@transaction.atomic
def verify_target(actor: Actor, target: ShareTarget, *, online: bool) -> ShareTarget:
    """The author settles a post "to verify": it is on their profile, or it is not and
    may be published (their word is the certain "not there" the engine waits for)."""
    from ambassade.sharing.publishing import ABSENT, MAY_HAVE_POSTED, enqueue

    person = own_person(actor, "sharing.share")
    locked = (
        ShareTarget.objects.select_for_update(of=("self",))  # the account may be gone (NULL)
        .select_related("account")
        .get(pk=target.pk, share__person=person, organisation_id=person.organisation_id)
    )
    if locked.status != TargetStatus.TO_VERIFY:
        raise ValidationError(
            _("Only a post to verify can be confirmed: it is %(status)s.")
            % {"status": locked.get_status_display()}
        )
    now = timezone.now()
    locked.failure_kind, locked.failure_reason = "", ""
    if online:
        locked.status = TargetStatus.PUBLISHED
        locked.published_at = now
        locked.audience = locked.account.audience if locked.account is not None else None
    else:
        locked.attempts.filter(outcome__in=MAY_HAVE_POSTED).update(
            outcome=ABSENT, detail=_("Not on the profile, said its author."), finished_at=now
        )
        locked.status, locked.scheduled_at = TargetStatus.QUEUED, now
        enqueue(locked.pk)
    locked.save(
        update_fields=[
            "status",
            "published_at",
            "audience",
            "scheduled_at",
            "failure_kind",
            "failure_reason",
        ]
    )
    audit.record(
        "sharing.target_verified",
        organisation=person.organisation,
        actor=actor,
        target=locked,
        before={"status": TargetStatus.TO_VERIFY},
        after={"status": locked.status, "online": online},
    )
    return locked
