"""Delegation's events turned into notifications: the principal is told of a new draft,
the delegate of the decision. The notice names the other person, never the draft's text
(its mail copy leaves the application)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from ambassade.core.events import subscribe
from ambassade.core.models import DomainEvent
from ambassade.delegation.models import Draft, DraftStatus
from ambassade.notifications.actions import language_of, notify


def _draft(event: DomainEvent) -> Draft | None:
    return (
        Draft.objects.filter(
            organisation_id=event.organisation_id or 0, pk=event.payload.get("draft_id")
        )
        .select_related(
            "delegation__principal__organisation",
            "delegation__principal__user",
            "delegation__delegate__organisation",
            "delegation__delegate__user",
        )
        .first()
    )


@subscribe("delegation.draft_submitted")
def tell_the_principal(event: DomainEvent) -> None:
    draft = _draft(event)
    if draft is None or draft.status != DraftStatus.PENDING:
        return
    principal, delegate = draft.delegation.principal, draft.delegation.delegate
    if principal.anonymised_at is not None:
        return
    with translation.override(language_of(principal)):
        notify(
            principal,
            "delegation_draft",
            title=_("%(name)s wrote a post for you") % {"name": delegate.full_name},
            body=_("Approve it as is, edit it, or refuse it: nothing is posted until you do."),
            url=reverse("delegation:draft", args=[draft.pk]),
            event_id=event.pk,
        )


@subscribe("delegation.draft_decided")
def tell_the_delegate(event: DomainEvent) -> None:
    draft = _draft(event)
    if draft is None:
        return
    principal, delegate = draft.delegation.principal, draft.delegation.delegate
    if delegate.anonymised_at is not None:
        return
    with translation.override(language_of(delegate)):
        if draft.status == DraftStatus.APPROVED:
            title = _("%(name)s approved your draft") % {"name": principal.full_name}
        else:
            title = _("%(name)s refused your draft") % {"name": principal.full_name}
        notify(
            delegate,
            "delegation_outcome",
            title=title,
            body=_("Open the draft to see what became of it."),
            url=reverse("delegation:draft", args=[draft.pk]),
            event_id=event.pk,
        )
