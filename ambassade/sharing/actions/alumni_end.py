"""When an alumni ambassador's space closes (``people.alumni_offer_ended``): the posts
still waiting to go out are cancelled and the accounts' tokens forgotten, in the
subscriber's transaction. No mail of our own: the person got one neutral message."""

from __future__ import annotations

from django.utils.translation import gettext as _

from ambassade.core import audit
from ambassade.core.models import Organisation
from ambassade.people.models import Person
from ambassade.sharing.actions.accounts import forget_person_accounts
from ambassade.sharing.models import WAITING, ShareTarget, TargetStatus


def close_alumni_sharing(organisation: Organisation, person_id: int) -> int:
    """Returns how many waiting posts were cancelled."""
    person = Person.objects.filter(organisation=organisation, pk=person_id).first()
    if person is None:
        return 0
    waiting = ShareTarget.objects.filter(
        organisation=organisation, share__person=person, status__in=WAITING
    )
    ids = list(waiting.select_for_update().order_by("pk").values_list("pk", flat=True))
    if ids:
        ShareTarget.objects.filter(pk__in=ids).update(
            status=TargetStatus.CANCELLED,
            failure_reason=_("The alumni space closed before the post went out.")[:500],
        )
        audit.record(
            "sharing.alumni_posts_cancelled",
            organisation=organisation,
            actor=None,
            target=person,
            after={"targets": ids},
        )
    forget_person_accounts(person, None, _("The alumni space closed."))
    return len(ids)
