"""The public event types of webhooks, and what their ``data`` holds.

A domain event (core/events.py) is internal and may change; a public type is a promise
to the organisation's integrations. Each domain event maps to one public type with a
version of its own; ``data`` holds only the listed fields, copied from the payload:
ids and public fields, never an e-mail address or a token. A change that could break a
consumer is a new version of the type (and a new entry in docs/webhooks.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class PublicType:
    name: str
    version: int
    fields: tuple[str, ...]
    label: str | Promise


# domain event name -> public type. Every name of core.events.CATALOGUE is here.
TYPES_BY_EVENT: dict[str, PublicType] = {
    "content.item_archived": PublicType(
        "content.archived", 1, ("item_id", "title"), _("Content archived")
    ),
    "content.item_expired": PublicType(
        "content.expired", 1, ("item_id", "title"), _("Content expired")
    ),
    "content.item_published": PublicType(
        "content.published",
        1,
        ("item_id", "title", "featured", "program_ids"),
        _("Content published"),
    ),
    "content.item_featured": PublicType(
        "content.featured", 1, ("item_id", "title", "program_ids"), _("Content featured")
    ),
    "content.suggestion_decided": PublicType(
        "suggestion.decided",
        1,
        ("suggestion_id", "person_id", "accepted", "item_id"),
        _("Suggestion decided"),
    ),
    "programs.charter_published": PublicType(
        "charter.published",
        1,
        ("program_id", "version", "needs_reacceptance"),
        _("Charter published"),
    ),
    "programs.invitation_sent": PublicType(
        "invitation.sent",
        1,
        ("invitation_id", "program_id", "person_id"),
        _("Invitation sent"),
    ),
    "programs.enrolment_started": PublicType(
        "enrolment.started",
        1,
        ("enrolment_id", "program_id", "person_id"),
        _("Enrolment started"),
    ),
    "programs.enrolment_ended": PublicType(
        "enrolment.ended",
        1,
        ("enrolment_id", "program_id", "person_id", "why"),
        _("Enrolment ended"),
    ),
    "sharing.share_published": PublicType(
        "share.published",
        1,
        ("target_id", "share_id", "person_id", "item_id", "network", "post_url"),
        _("Post published"),
    ),
    "sharing.share_failed": PublicType(
        "share.failed",
        1,
        ("target_id", "share_id", "person_id", "item_id", "network", "kind"),
        _("Post failed"),
    ),
    "sharing.share_declared": PublicType(
        "share.declared",
        1,
        ("target_id", "share_id", "person_id", "item_id", "network"),
        _("Post shared through a link"),
    ),
    "sharing.account_needs_reconnection": PublicType(
        "account.needs_reconnection",
        1,
        ("account_id", "person_id", "network"),
        _("Account needs reconnection"),
    ),
    "sharing.account_expiring": PublicType(
        "account.expiring",
        1,
        ("account_id", "person_id", "network", "expires_at", "days_left"),
        _("Account expiring"),
    ),
    "contributions.contribution_logged": PublicType(
        "contribution.logged",
        1,
        ("contribution_id", "person_id", "program_id", "kind"),
        _("Contribution logged"),
    ),
    "learning.module_published": PublicType(
        "training.published",
        1,
        ("module_id", "version", "title_fr", "title_en"),
        _("Training module published"),
    ),
    "learning.module_passed": PublicType(
        "training.passed",
        1,
        ("module_id", "version", "person_id", "score"),
        _("Training module passed"),
    ),
    "incidents.report_opened": PublicType(
        "problem_report.opened",
        1,
        ("report_id", "reporter_id", "kind", "severity"),
        _("Problem reported"),
    ),
    "incidents.report_escalated": PublicType(
        "problem_report.escalated",
        1,
        ("report_id", "reporter_id", "program_id", "severity"),
        _("Problem report escalated"),
    ),
    "incidents.report_resolved": PublicType(
        "problem_report.resolved",
        1,
        ("report_id", "reporter_id", "severity"),
        _("Problem report resolved"),
    ),
    # Private threads: only their number goes out, never who asked or what.
    "coaching.question_asked": PublicType(
        "coaching.question_asked", 1, ("question_id",), _("Coaching question asked")
    ),
    "coaching.question_answered": PublicType(
        "coaching.question_answered", 1, ("question_id",), _("Coaching question answered")
    ),
    # Field reports: the kind and the ids, never what the report says (it may name a
    # customer).
    "field.report_filed": PublicType(
        "field_report.filed", 1, ("report_id", "kind", "person_id"), _("Field report filed")
    ),
    "field.report_answered": PublicType(
        "field_report.answered",
        1,
        ("report_id", "status", "person_id"),
        _("Field report answered"),
    ),
    "field.report_accepted": PublicType(
        "field_report.accepted",
        1,
        ("report_id", "kind", "person_id", "program_id"),
        _("Field report accepted"),
    ),
    # Delegated drafts: the draft's number and its outcome, never its text or who wrote it.
    "delegation.draft_submitted": PublicType(
        "delegated_draft.submitted", 1, ("draft_id",), _("Delegated draft submitted")
    ),
    "delegation.draft_decided": PublicType(
        "delegated_draft.decided", 1, ("draft_id", "status"), _("Delegated draft decided")
    ),
    # A crisis concerns everyone: intranets and chat bots relay its start and its end.
    "crisis.started": PublicType(
        "crisis.started", 1, ("crisis_id", "title", "ends_at"), _("Crisis started")
    ),
    "crisis.ended": PublicType(
        "crisis.ended", 1, ("crisis_id", "title", "at_end", "by_date"), _("Crisis ended")
    ),
    # Recognition: the reward's, badge's and challenge's names are the organisation's own
    # words; the person is only their id.
    "recognition.reward_request_decided": PublicType(
        "reward_request.decided",
        1,
        ("request_id", "person_id", "reward_id", "status"),
        _("Reward request decided"),
    ),
    "recognition.badge_awarded": PublicType(
        "badge.awarded", 1, ("badge_id", "person_id", "badge_name"), _("Badge earned")
    ),
    "recognition.challenge_completed": PublicType(
        "challenge.completed",
        1,
        ("challenge_id", "person_id", "challenge_name", "points"),
        _("Challenge completed"),
    ),
    # A career site's or CRM's conversion, attributed to a tracked link: the person is
    # only their id, the link its id (its code is the attribution reference already known).
    "tracking.conversion_reported": PublicType(
        "conversion.reported",
        1,
        ("conversion_id", "link_id", "person_id", "item_id", "network", "kind"),
        _("Conversion reported"),
    ),
    # The person's id and who ended it; HR's reason stays in the audit log.
    "people.alumni_offer_ended": PublicType(
        "alumni.offer_ended", 1, ("person_id", "by"), _("Alumni offer ended")
    ),
}

# The "send a test event" button; never caused by a domain event.
TEST = PublicType("webhook.test", 1, ("endpoint_id", "message"), _("Test event"))

TYPES: dict[str, PublicType] = {t.name: t for t in [*TYPES_BY_EVENT.values(), TEST]}


def type_choices() -> list[tuple[str, str]]:
    """The types an endpoint may choose, by their names in the reader's language (the
    type each name stands for is in docs/webhooks.md and the API's event-types list)."""
    return [(t.name, str(t.label)) for t in TYPES_BY_EVENT.values()]


def label_of(name: str) -> str:
    found = TYPES.get(name)
    return str(found.label) if found is not None else name


def data_for(public_type: PublicType, payload: dict[str, Any]) -> dict[str, Any]:
    """The event's public fields only; a field the payload lacks is null."""
    return {name: payload.get(name) for name in public_type.fields}
