"""Who reviews the content of a program."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ambassade.content.actions._common import DEFAULT_REVIEWER_ROLES, policy_of, require
from ambassade.content.models import ContentItem, ProgramContentPolicy, Status
from ambassade.core import audit
from ambassade.core.authz import Actor, allowed
from ambassade.core.roles import Role
from ambassade.people.models import Person
from ambassade.programs.models import Program

# --- Who reviews ------------------------------------------------------------------------


def may_review(actor: Actor, program: Program) -> bool:
    if not allowed(actor, "content.review") or program.organisation_id != actor.organisation.pk:
        return False
    policy = policy_of(program)
    if actor.roles & set(policy.reviewer_roles):
        return True
    return (
        actor.person is not None and policy.compliance_reviewers.filter(pk=actor.person.pk).exists()
    )


def reviews_any(actor: Actor) -> bool:
    """Whether the actor approves the items of at least one program (without creating the
    policies of programs that have none: those use the default approvers)."""
    if not allowed(actor, "content.review"):
        return False
    policies = ProgramContentPolicy.objects.filter(program__organisation=actor.organisation)
    if actor.person is not None and policies.filter(compliance_reviewers=actor.person).exists():
        return True
    if any(actor.roles & set(roles) for roles in policies.values_list("reviewer_roles", flat=True)):
        return True
    unset = Program.objects.filter(organisation=actor.organisation, content_policy__isnull=True)
    return bool(actor.roles & set(DEFAULT_REVIEWER_ROLES)) and unset.exists()


def writes_own(actor: Actor, item: ContentItem) -> bool:
    """Whether the actor wrote what is to be approved: the item, or the change to a
    published item that waits for review (its author may not approve it either)."""
    if actor.person is None:
        return False
    waiting = item.status == Status.PUBLISHED and item.pending_change is not None
    return (item.pending_author_id if waiting else item.author_id) == actor.person.pk


def four_eyes(actor: Actor, item: ContentItem) -> bool:
    """Whether four-eyes review keeps this actor from approving this item: it is their
    own, and the program does not let authors approve theirs (a regulated one never does)."""
    if not writes_own(actor, item):
        return False
    policy = policy_of(item.program)
    return policy.regulated or not policy.self_approval


def may_approve(actor: Actor, item: ContentItem) -> bool:
    return may_review(actor, item.program) and not four_eyes(actor, item)


@transaction.atomic
def set_policy(
    actor: Actor,
    program: Program,
    *,
    reviewer_roles: list[str],
    compliance_reviewer_ids: Iterable[int] = (),
    regulated: bool = False,
    self_approval: bool = False,
    keep_live_while_reviewed: bool | None = None,
) -> ProgramContentPolicy:
    require(actor, "content.policies", program.organisation_id)
    roles = sorted(set(reviewer_roles))
    unknown = set(roles) - set(Role.values)
    if unknown:
        raise ValidationError({"reviewer_roles": _("Unknown roles: %s") % ", ".join(unknown)})
    reviewers = list(
        Person.objects.filter(organisation=actor.organisation, pk__in=list(compliance_reviewer_ids))
    )
    if not roles and not reviewers:
        raise ValidationError(
            {"reviewer_roles": _("Someone must be able to approve: choose a role or a person.")}
        )
    policy = policy_of(program)
    before = {
        "reviewer_roles": policy.reviewer_roles,
        "regulated": policy.regulated,
        "self_approval": policy.self_approval,
        "keep_live_while_reviewed": policy.keep_live_while_reviewed,
    }
    policy.reviewer_roles = roles
    policy.regulated = regulated
    policy.self_approval = self_approval
    if keep_live_while_reviewed is not None:  # None: left as it is
        policy.keep_live_while_reviewed = keep_live_while_reviewed
    policy.save()
    policy.compliance_reviewers.set(reviewers)
    audit.record(
        "content.policy_changed",
        organisation=actor.organisation,
        actor=actor,
        target=program,
        before=before,
        after={
            "reviewer_roles": roles,
            "regulated": regulated,
            "self_approval": self_approval,
            "keep_live_while_reviewed": policy.keep_live_while_reviewed,
            "compliance_reviewers": [person.pk for person in reviewers],
        },
    )
    return policy
