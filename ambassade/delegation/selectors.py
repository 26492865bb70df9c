"""What delegation reads, always within the actor's organisation and from one side of a
delegation: the principal's or the delegate's."""

from __future__ import annotations

from typing import Any

from django.db.models import F, QuerySet
from django.http import Http404

from ambassade.content import selectors as content_selectors
from ambassade.content.models import ContentItem
from ambassade.core.authz import Actor
from ambassade.delegation.models import Delegation, Draft
from ambassade.people.models import EmploymentStatus, Person
from ambassade.sharing import selectors as sharing_selectors
from ambassade.sharing.models import SocialAccount


def colleagues(principal: Person) -> QuerySet[Person]:
    """Who may be named a delegate: a colleague of the organisation who can sign in."""
    return (
        Person.objects.filter(organisation_id=principal.organisation_id, user__isnull=False)
        .exclude(employment_status=EmploymentStatus.LEFT)
        .exclude(anonymised_at__isnull=False)
        .exclude(pk=principal.pk)
    )


def delegates_of(principal: Person) -> QuerySet[Delegation]:
    """Current delegates first, then past ones, newest first."""
    return (
        Delegation.objects.filter(organisation_id=principal.organisation_id, principal=principal)
        .select_related("delegate", "ended_by")
        .order_by(*_current_first())
    )


def principals_of(delegate: Person) -> QuerySet[Delegation]:
    return (
        Delegation.objects.filter(organisation_id=delegate.organisation_id, delegate=delegate)
        .select_related("principal", "ended_by")
        .order_by(*_current_first())
    )


def _current_first() -> tuple[Any, ...]:
    return (F("ended_at").desc(nulls_first=True), "-granted_at", "-id")


def current_delegation(delegate: Person, delegation_id: int) -> Delegation:
    """One of the delegate's current delegations, or 404 (ended, or not theirs)."""
    found = (
        Delegation.objects.filter(
            organisation_id=delegate.organisation_id,
            delegate=delegate,
            ended_at__isnull=True,
            pk=delegation_id,
        )
        .select_related("principal__organisation", "principal__user")
        .first()
    )
    if found is None:
        raise Http404
    return found


def feed_of(principal: Person) -> QuerySet[ContentItem]:
    """The principal's own feed: the delegate proposes only what the principal sees."""
    return content_selectors.feed(content_selectors.audience_of(principal))


def accounts_of(principal: Person) -> QuerySet[SocialAccount]:
    """The principal's connected accounts. Pages and API show their network and handle,
    never what ``secrets`` holds."""
    return (
        sharing_selectors.accounts_of(principal)
        .filter(status=SocialAccount.Status.CONNECTED)
        .order_by("network", "handle")
    )


def _drafts() -> QuerySet[Draft]:
    return Draft.objects.select_related(
        "delegation__principal", "delegation__delegate", "item", "share"
    ).prefetch_related("accounts")


def drafts_to_decide(principal: Person) -> QuerySet[Draft]:
    return (
        _drafts()
        .filter(organisation_id=principal.organisation_id, delegation__principal=principal)
        .order_by("-written_at", "-id")
    )


def drafts_written(delegate: Person) -> QuerySet[Draft]:
    return (
        _drafts()
        .filter(organisation_id=delegate.organisation_id, delegation__delegate=delegate)
        .order_by("-written_at", "-id")
    )


def readable_draft(actor: Actor, draft_id: int) -> tuple[Draft, str]:
    """The draft and the reader's side ("principal" or "delegate"); 404 for anyone else."""
    person = actor.person
    if person is None:
        raise Http404
    draft = _drafts().filter(organisation_id=actor.organisation.pk, pk=draft_id).first()
    if draft is None:
        raise Http404
    if draft.delegation.principal_id == person.pk:
        return draft, "principal"
    if draft.delegation.delegate_id == person.pk:
        return draft, "delegate"
    raise Http404
