"""Who reviews the content of a program."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ambassade.content.actions._common import policy_of, require
from ambassade.content.models import ProgramContentPolicy
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


@transaction.atomic
def set_policy(
    actor: Actor,
    program: Program,
    *,
    reviewer_roles: list[str],
    compliance_reviewer_ids: Iterable[int] = (),
    regulated: bool = False,
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
        "keep_live_while_reviewed": policy.keep_live_while_reviewed,
    }
    policy.reviewer_roles = roles
    policy.regulated = regulated
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
            "keep_live_while_reviewed": policy.keep_live_while_reviewed,
            "compliance_reviewers": [person.pk for person in reviewers],
        },
    )
    return policy
