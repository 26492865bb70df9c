"""Reads of the sharing app, always scoped to one organisation (and person where it applies)."""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo

from django.db.models import Q, QuerySet
from django.http import Http404

from ambassade.core.models import Organisation
from ambassade.people.models import Person
from ambassade.sharing.models import (
    PublishingPause,
    Share,
    ShareTarget,
    SharingSettings,
    SocialAccount,
    TargetStatus,
)

POSTED = (
    TargetStatus.SCHEDULED,
    TargetStatus.QUEUED,
    TargetStatus.PUBLISHING,
    TargetStatus.PUBLISHED,
    TargetStatus.TO_VERIFY,
    TargetStatus.PAUSED,
    TargetStatus.DECLARED,
)

# Targets that went out (or are going out): their ``scheduled_at`` is when they were claimed.
OUT = (TargetStatus.PUBLISHING, TargetStatus.PUBLISHED, TargetStatus.TO_VERIFY)


def settings_of(organisation: Organisation) -> SharingSettings:
    found = SharingSettings.objects.filter(organisation=organisation).first()
    return found or SharingSettings(organisation=organisation)


def is_paused(organisation: Organisation) -> bool:
    return PublishingPause.objects.filter(organisation=organisation, paused=True).exists()


def holds(organisation_id: int, person_id: int) -> bool:
    """Whether the organisation's pause holds this person's posts: it is on, and they are
    not one of the people it exempts."""
    return (
        PublishingPause.objects.filter(organisation_id=organisation_id, paused=True)
        .exclude(exempt__pk=person_id)
        .exists()
    )


def held_targets(organisation: Organisation) -> QuerySet[ShareTarget]:
    """The posts of the organisation's pause that wait for it to end."""
    return ShareTarget.objects.filter(organisation=organisation, status=TargetStatus.PAUSED)


def pause_of(organisation: Organisation) -> PublishingPause:
    found = PublishingPause.objects.filter(organisation=organisation).first()
    return found or PublishingPause(organisation=organisation)


def accounts_of(person: Person) -> QuerySet[SocialAccount]:
    return SocialAccount.objects.filter(
        organisation_id=person.organisation_id, person=person
    ).exclude(status=SocialAccount.Status.DISCONNECTED)


def account_of(person: Person, account_id: int) -> SocialAccount:
    """The person's own account, or 404 (another person's account is not there)."""
    found = accounts_of(person).filter(pk=account_id).first()
    if found is None:
        raise Http404
    return found


def organisation_accounts(organisation: Organisation) -> QuerySet[SocialAccount]:
    return (
        SocialAccount.objects.filter(organisation=organisation)
        .exclude(status=SocialAccount.Status.DISCONNECTED)
        .select_related("person")
        .defer("secrets")
    )


def targets_of(person: Person) -> QuerySet[ShareTarget]:
    return (
        ShareTarget.objects.filter(organisation_id=person.organisation_id, share__person=person)
        .select_related("share", "share__item", "account", "tracked_link")
        .defer("account__secrets")
        .order_by("-created_at", "-pk")
    )


def share_of(person: Person, share_id: int) -> Share:
    found = Share.objects.filter(
        organisation_id=person.organisation_id, person=person, pk=share_id
    ).first()
    if found is None:
        raise Http404
    return found


def target_of(person: Person, target_id: int) -> ShareTarget:
    found = targets_of(person).filter(pk=target_id).first()
    if found is None:
        raise Http404
    return found


def shared_item_ids(person: Person) -> set[int]:
    return set(
        Share.objects.filter(
            organisation_id=person.organisation_id,
            person=person,
            targets__status__in=POSTED,
        ).values_list("item_id", flat=True)
    )


def shared_networks(person: Person) -> dict[int, list[str]]:
    """{item id: display names of the networks this person shared it on}, one query."""
    from ambassade.sharing.registry import display_name

    found: dict[int, list[str]] = {}
    rows = (
        ShareTarget.objects.filter(
            organisation_id=person.organisation_id, share__person=person, status__in=POSTED
        )
        .values_list("share__item_id", "network")
        .distinct()
    )
    for item_id, network in rows:
        name = display_name(network)
        names = found.setdefault(item_id, [])
        if name not in names:
            names.append(name)
    for names in found.values():
        names.sort()
    return found


def other_messages(person: Person, item_id: int, limit: int = 50) -> list[str]:
    """What other ambassadors already wrote about the same item (most recent first)."""
    return list(
        Share.objects.filter(organisation_id=person.organisation_id, item_id=item_id)
        .exclude(person=person)
        .order_by("-created_at")
        .values_list("message", flat=True)[:limit]
    )


def posts_on_day(
    person: Person,
    network: str,
    moment: datetime,
    tz: tzinfo,
    exclude: int | None = None,
    before_moment: bool = False,
) -> int:
    """Posts (planned or done) of this person on this network on the local day of ``moment``
    (with ``before_moment``, those gone out that day and those planned before ``moment``)."""
    local = moment.astimezone(tz)
    start = local.replace(hour=0, minute=0, second=0, microsecond=0)
    end = start + timedelta(days=1)
    found = ShareTarget.objects.filter(
        organisation_id=person.organisation_id,
        share__person=person,
        network=network,
        status__in=POSTED,
        scheduled_at__gte=start,
        scheduled_at__lt=end,
    ).exclude(status=TargetStatus.DECLARED)
    if before_moment:
        found = found.filter(Q(scheduled_at__lt=moment) | Q(status__in=OUT))
    if exclude is not None:
        found = found.exclude(pk=exclude)
    return found.count()
