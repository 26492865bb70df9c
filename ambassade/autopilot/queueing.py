"""A published item queued for the people whose autopilot follows one of its channels.

For each of them, in their own savepoint (one refusal never undoes the others'): the
item must be in their feed (the feed's targeting), the autopilot must not have handled it
already, sharing must be open to them (``may_share``: charter, training, crisis), the
week must have room, and the message written from their template must not be a copy of
a colleague's post of the item (``similarity_check``). The post is then created through
sharing's ``create_share``, scheduled at the end of the preview window: the stagger, the
daily cap and quiet hours apply as to any post, and the publishing engine checks the
pause, the charter and the training again when it goes out.
"""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from ambassade.autopilot import selectors, wording
from ambassade.autopilot.models import Autopilot, AutopilotPost, Outcome
from ambassade.content import selectors as content_selectors
from ambassade.content.models import ContentItem
from ambassade.core import audit
from ambassade.core.authz import actor_for_person
from ambassade.notifications.actions import language_of, notify
from ambassade.people.models import Person
from ambassade.programs.selectors import may_share
from ambassade.sharing import scheduling
from ambassade.sharing import selectors as sharing_selectors
from ambassade.sharing.actions import TooSimilar, create_share
from ambassade.sharing.actions.shares import TargetRequest, similarity_check


def followers(item: ContentItem) -> list[Autopilot]:
    """The autopilots on that follow one of the item's channels."""
    return list(
        Autopilot.objects.filter(
            organisation_id=item.organisation_id,
            enabled=True,
            channels__in=item.channels.all(),
            person__anonymised_at__isnull=True,
        )
        .distinct()
        .select_related("person__user", "person__organisation")
        .prefetch_related("accounts")
        .order_by("pk")
    )


def queue_item(item: ContentItem, event_id: int | None = None) -> list[AutopilotPost]:
    done: list[AutopilotPost] = []
    if not item.shareable or not item.is_live or item.program_id is None:
        return done
    for pilot in followers(item):
        with transaction.atomic():
            done.extend(queue_for(pilot, item, event_id))
    return done


def _record(person: Person, item: ContentItem, outcome: str, reason: str = "") -> AutopilotPost:
    return AutopilotPost.objects.create(
        organisation_id=person.organisation_id,
        person=person,
        item=item,
        outcome=outcome,
        reason=reason[:500],
    )


def _tell(person: Person, title: str, body: str, event_id: int | None) -> None:
    notify(
        person,
        "autopilot_post",
        title=title,
        body=body,
        url=reverse("autopilot:mine"),
        event_id=event_id,
    )


def queue_for(
    pilot: Autopilot, item: ContentItem, event_id: int | None = None
) -> list[AutopilotPost]:
    person = pilot.person
    if AutopilotPost.objects.filter(person=person, item=item).exists():
        return []  # handled already (an item published again, an event delivered twice)
    audience = content_selectors.audience_of(person)
    if not content_selectors.feed(audience).filter(pk=item.pk).exists():
        return []  # not for them: the autopilot follows their feed, nothing more
    accounts = [account for account in pilot.accounts.all() if account.healthy]
    if not accounts:
        return []
    with translation.override(language_of(person)):
        return _queue(pilot, person, item, accounts, event_id)


def _queue(
    pilot: Autopilot,
    person: Person,
    item: ContentItem,
    accounts: list,
    event_id: int | None,
) -> list[AutopilotPost]:
    options = selectors.settings_of(person.organisation)
    if options.max_per_week == 0:
        return []  # the organisation turned the autopilot off for everyone
    decision = may_share(person, item.program)
    if not decision.allowed:
        post = _record(person, item, Outcome.NOT_ALLOWED, str(decision.reason))
        _tell(
            person,
            _("Autopilot: nothing prepared for “%(title)s”") % {"title": item.title},
            str(decision.reason),
            event_id,
        )
        return [post]
    if selectors.queued_this_week(person) >= selectors.weekly_limit(pilot, options):
        # Their own choice of rhythm: recorded on their page, not announced.
        return [_record(person, item, Outcome.WEEKLY_LIMIT)]
    message = wording.render(pilot.template, item.title)
    sharing_options = sharing_selectors.settings_of(person.organisation)
    score = similarity_check(person, item, message)
    if score >= sharing_options.similarity_threshold:
        return [_too_similar(person, item, score, event_id)]
    tz = scheduling.zone_of(person)
    at = scheduling.after_quiet_hours(
        sharing_options, timezone.now() + timedelta(hours=options.preview_hours), tz
    )
    actor = actor_for_person(person, via="autopilot")
    try:
        with transaction.atomic():
            share = create_share(
                actor,
                item,
                message,
                [TargetRequest(account_id=account.pk) for account in accounts],
                when="schedule",
                at=at,
            )
    except TooSimilar as error:
        return [_too_similar(person, item, error.score, event_id)]
    except ValidationError as error:
        reason = " ".join(error.messages)
        post = _record(person, item, Outcome.REFUSED, reason)
        _tell(
            person,
            _("Autopilot: nothing prepared for “%(title)s”") % {"title": item.title},
            reason,
            event_id,
        )
        return [post]
    targets = list(share.targets.order_by("pk"))
    posts = [
        AutopilotPost.objects.create(
            organisation_id=person.organisation_id,
            person=person,
            item=item,
            target=target,
            outcome=Outcome.QUEUED,
        )
        for target in targets
    ]
    first = min(target.scheduled_at for target in targets if target.scheduled_at)
    audit.record(
        "autopilot.post_queued",
        organisation=person.organisation,
        actor=None,
        target=share,
        after={
            "person": person.pk,
            "item": item.pk,
            "targets": [target.pk for target in targets],
            "scheduled_at": first.isoformat(),
        },
    )
    when = formats.date_format(first.astimezone(tz), "SHORT_DATETIME_FORMAT")
    _tell(
        person,
        _("Autopilot: “%(title)s” goes out on %(when)s") % {"title": item.title, "when": when},
        _("Your post, as it will go out:\n\n%(message)s\n\nEdit or cancel it until then.")
        % {"message": message},
        event_id,
    )
    return posts


def _too_similar(
    person: Person, item: ContentItem, score: int, event_id: int | None
) -> AutopilotPost:
    reason = _(
        "Your words are %(score)d%% the same as a colleague's post of this item: the "
        "autopilot does not post copies. Share it yourself in other words if you wish."
    ) % {"score": score}
    post = _record(person, item, Outcome.TOO_SIMILAR, reason)
    _tell(
        person,
        _("Autopilot: nothing prepared for “%(title)s”") % {"title": item.title},
        reason,
        event_id,
    )
    return post
