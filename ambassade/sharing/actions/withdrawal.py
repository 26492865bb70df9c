"""Posts of an item that was archived or expired: the waiting ones are cancelled and their
authors told (the subscribers of ``content.item_archived`` and ``content.item_expired``)."""

from __future__ import annotations

import logging
from collections import defaultdict

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from ambassade.core import audit, mail
from ambassade.core.models import Organisation
from ambassade.people.models import Person
from ambassade.sharing.models import WAITING, ShareTarget, TargetStatus

logger = logging.getLogger(__name__)

ARCHIVED = "archived"
EXPIRED = "expired"
WITHDRAWN = "withdrawn"  # back to draft, or any other state that is not published


def _reason(why: str) -> str:
    if why == EXPIRED:
        return _("The item expired before the post went out.")
    if why == ARCHIVED:
        return _("The item was archived before the post went out.")
    return _("The item was withdrawn before the post went out.")


def cancel_item_targets(
    organisation: Organisation, item_id: int, why: str, only: int | None = None
) -> int:
    """Cancels every waiting post of the item (or only the target ``only``); returns how
    many. One transaction (the caller's when there is one), one audit row, one mail per
    author after commit."""
    with transaction.atomic():
        waiting = ShareTarget.objects.filter(
            organisation=organisation, share__item_id=item_id, status__in=WAITING
        )
        if only is not None:
            waiting = waiting.filter(pk=only)
        ids = list(waiting.select_for_update().order_by("pk").values_list("pk", flat=True))
        if not ids:
            return 0
        targets = list(
            ShareTarget.objects.filter(pk__in=ids).select_related(
                "share__person__user", "share__item"
            )
        )
        for target in targets:
            target.status = TargetStatus.CANCELLED
            target.failure_reason = _reason(why)[:500]
        ShareTarget.objects.bulk_update(targets, ["status", "failure_reason"])
        audit.record(
            "sharing.item_posts_cancelled",
            organisation=organisation,
            actor=None,
            after={"item": item_id, "why": why, "targets": ids},
        )
        tell_authors(organisation, targets, why)
    return len(ids)


def tell_authors(organisation: Organisation, targets: list[ShareTarget], why: str) -> None:
    """One mail per author, in their language, once the cancellation is committed."""
    by_person: dict[int, list[ShareTarget]] = defaultdict(list)
    for target in targets:
        by_person[target.share.person_id].append(target)
    for found in by_person.values():
        person = found[0].share.person
        if not person.email:
            continue
        subject, body = _message(organisation, person, found, why)

        def send(
            subject: str = subject,
            body: str = body,
            email: str = person.email,
            slug: str = organisation.slug,
            language: str = _language(organisation, person),
        ) -> None:
            try:
                mail.send(
                    organisation_slug=slug,
                    subject=subject,
                    body=body,
                    to=[email],
                    action_url=_posts_url(),
                    language=language,
                )
            except Exception:  # a mail server outage must not undo the cancellation
                logger.exception("sharing cancellation notice not sent")

        transaction.on_commit(send)


def _language(organisation: Organisation, person: Person) -> str:
    return (person.user.language if person.user is not None else "") or (
        organisation.default_language or settings.LANGUAGE_CODE
    )


def _posts_url() -> str:
    return f"{settings.BASE_URL}{reverse('sharing:posts')}"


def _message(
    organisation: Organisation, person: Person, targets: list[ShareTarget], why: str
) -> tuple[str, str]:
    with translation.override(_language(organisation, person)):
        title = targets[0].share.item.title
        networks = ", ".join(sorted({target.network_name for target in targets}))
        subject = _("Your post of “%(title)s” is cancelled") % {"title": title[:80]}
        body = "\n\n".join(
            [
                _reason(why),
                _("“%(title)s” will not be posted on %(networks)s.")
                % {"title": title, "networks": networks},
                _("See your posts: %(url)s") % {"url": _posts_url()},
            ]
        )
    return subject, body
