"""Domain events (docs/events.md) turned into notifications: who is told, and where it leads.

Each subscriber acts on what the database says now (an item archived since is not
announced), writes its text in the reader's language, and passes the event's id to
``notify`` so that a subscriber run twice never notifies twice.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ambassade.content.models import ContentItem, Status, Suggestion
from ambassade.core.events import subscribe
from ambassade.core.models import DomainEvent
from ambassade.notifications.actions import language_of, notify
from ambassade.people.models import Person
from ambassade.programs.models import Enrolment, Program
from ambassade.sharing.models import FailureKind, ShareTarget, SocialAccount
from ambassade.sharing.registry import display_name


def _organisation(event: DomainEvent) -> int:
    """The event's organisation (0, which matches nothing, for an instance-wide event)."""
    return event.organisation_id or 0


def _person(event: DomainEvent, person_id: int | None) -> Person | None:
    if person_id is None or event.organisation_id is None:
        return None
    return (
        Person.objects.filter(
            organisation_id=_organisation(event), pk=person_id, anonymised_at__isnull=True
        )
        .select_related("user", "organisation")
        .first()
    )


def _enrolled(organisation_id: int, program_ids: Iterable[int]) -> QuerySet[Person]:
    """People with an active enrolment in these programs (in any program when none)."""
    enrolments = Enrolment.objects.filter(
        program__organisation_id=organisation_id, status=Enrolment.Status.ACTIVE
    )
    ids = list(program_ids)
    if ids:
        enrolments = enrolments.filter(program_id__in=ids)
    return (
        Person.objects.filter(
            organisation_id=organisation_id,
            anonymised_at__isnull=True,
            pk__in=enrolments.values("person_id"),
        )
        .select_related("user", "organisation")
        .prefetch_related("role_assignments")
    )


def _live_item(event: DomainEvent) -> ContentItem | None:
    return ContentItem.objects.filter(
        organisation_id=_organisation(event),
        pk=event.payload.get("item_id"),
        status=Status.PUBLISHED,
    ).first()


def _tell_enrolled(event: DomainEvent, kind: str, title: Promise, body: Promise) -> None:
    """Tells the people enrolled in the item's programs, each in their language."""
    item = _live_item(event)
    if item is None or event.organisation_id is None:
        return
    url = reverse("sharing:composer", args=[item.pk])
    for person in _enrolled(event.organisation_id, event.payload.get("program_ids") or []):
        with translation.override(language_of(person)):
            notify(
                person,
                kind,
                title=str(title) % {"title": item.title},
                body=str(body),
                url=url,
                event_id=event.pk,
            )


@subscribe("content.item_featured")
def featured_content(event: DomainEvent) -> None:
    _tell_enrolled(
        event,
        "featured_content",
        gettext_lazy("Featured: %(title)s"),
        gettext_lazy("Your organisation features this, and it is ready to share."),
    )


@subscribe("content.item_published")
def new_content(event: DomainEvent) -> None:
    if event.payload.get("featured"):
        return  # its content.item_featured event says it, once
    _tell_enrolled(
        event,
        "new_content",
        gettext_lazy("New to share: %(title)s"),
        gettext_lazy("Published in a program you are in."),
    )


@subscribe("sharing.share_failed")
def share_failed(event: DomainEvent) -> None:
    """The one notice of a failed post, linking to that post and the action that fixes it."""
    person = _person(event, event.payload.get("person_id"))
    target = (
        ShareTarget.objects.filter(
            organisation_id=_organisation(event), pk=event.payload.get("target_id")
        )
        .select_related("share__item")
        .first()
    )
    if person is None or target is None:
        return
    kind = event.payload.get("kind", "")
    with translation.override(language_of(person)):
        network = target.network_name
        title = target.share.item.title if target.share.item is not None else ""
        fixes = {
            FailureKind.NEEDS_RECONNECTION: _("Connect the account again, then share again."),
            FailureKind.REJECTED: _("Change the message and share again."),
        }
        body = "\n\n".join(
            part
            for part in [
                _("“%(title)s” was not published on %(network)s.")
                % {"title": title, "network": network},
                target.failure_reason,
                str(fixes.get(kind, _("See the post and try again."))),
            ]
            if part
        )
        url = (
            reverse("sharing:accounts")
            if kind == FailureKind.NEEDS_RECONNECTION
            else f"{reverse('sharing:posts')}#post-{target.pk}"
        )
        notify(
            person,
            "share_failed",
            title=_("Your post on %(network)s was not published") % {"network": network},
            body=body,
            url=url,
            event_id=event.pk,
            # The account's own notice (sharing.account_needs_reconnection) is the mail and
            # the push for this cause: one message out per failure, not two.
            in_app_only=kind == FailureKind.NEEDS_RECONNECTION,
        )


def _account(event: DomainEvent) -> tuple[Person, SocialAccount] | None:
    person = _person(event, event.payload.get("person_id"))
    account = SocialAccount.objects.filter(
        organisation_id=_organisation(event), pk=event.payload.get("account_id")
    ).first()
    if person is None or account is None or account.person_id != person.pk:
        return None
    return person, account


@subscribe("sharing.account_needs_reconnection")
def account_needs_reconnection(event: DomainEvent) -> None:
    found = _account(event)
    if found is None or found[1].status != SocialAccount.Status.NEEDS_RECONNECTION:
        return  # reconnected meanwhile
    person, account = found
    with translation.override(language_of(person)):
        network = display_name(account.network)
        notify(
            person,
            "account_health",
            title=_("Reconnect your %(network)s account") % {"network": network},
            body=_(
                "%(network)s no longer accepts Ambassade's access to %(handle)s: your posts "
                "there wait until you connect it again."
            )
            % {"network": network, "handle": account.handle},
            url=reverse("sharing:oauth_start", args=[account.network]),
            event_id=event.pk,
        )


@subscribe("sharing.account_expiring")
def account_expiring(event: DomainEvent) -> None:
    found = _account(event)
    if found is None or found[1].status != SocialAccount.Status.CONNECTED:
        return
    person, account = found
    days = int(event.payload.get("days_left") or 0)
    with translation.override(language_of(person)):
        network = display_name(account.network)
        notify(
            person,
            "account_health",
            title=_("Your %(network)s connection expires soon") % {"network": network},
            body=_(
                "The access to %(handle)s ends in %(days)d day(s). Connect it again to keep "
                "sharing."
            )
            % {"handle": account.handle, "days": days},
            url=reverse("sharing:oauth_start", args=[account.network]),
            event_id=event.pk,
        )


@subscribe("content.suggestion_decided")
def suggestion_decided(event: DomainEvent) -> None:
    person = _person(event, event.payload.get("person_id"))
    suggestion = Suggestion.objects.filter(
        organisation_id=_organisation(event), pk=event.payload.get("suggestion_id")
    ).first()
    if person is None or suggestion is None:
        return
    accepted = suggestion.state == Suggestion.State.ACCEPTED
    with translation.override(language_of(person)):
        title = _("Your suggestion was accepted") if accepted else _("Your suggestion was not kept")
        notify(
            person,
            "suggestion_decided",
            title=title,
            body=suggestion.response,
            url=reverse("content:suggest"),
            event_id=event.pk,
        )


@subscribe("programs.charter_published")
def charter_published(event: DomainEvent) -> None:
    if not event.payload.get("needs_reacceptance") or event.organisation_id is None:
        return
    program = Program.objects.filter(
        organisation_id=_organisation(event), pk=event.payload.get("program_id")
    ).first()
    if program is None:
        return
    # publish_charter paused whoever accepted an older text: they are the ones to tell (the
    # programs app also mails them the re-acceptance link, a contractual notice of its own).
    enrolments = (
        Enrolment.objects.filter(
            program=program, status=Enrolment.Status.PAUSED, person__anonymised_at__isnull=True
        )
        .exclude(accepted_version__number=event.payload.get("version"))
        .select_related("person__user", "person__organisation")
    )
    for enrolment in enrolments:
        person = enrolment.person
        with translation.override(language_of(person)):
            notify(
                person,
                "charter_published",
                title=_("New charter for %(program)s") % {"program": program.name},
                body=_("Read it and accept it to keep sharing in this program."),
                url=reverse("programs:reaccept", args=[enrolment.pk]),
                event_id=event.pk,
            )


@subscribe("programs.enrolment_started")
def welcome(event: DomainEvent) -> None:
    person = _person(event, event.payload.get("person_id"))
    enrolment = (
        Enrolment.objects.filter(
            program__organisation_id=_organisation(event), pk=event.payload.get("enrolment_id")
        )
        .select_related("program")
        .first()
    )
    if person is None or enrolment is None or enrolment.status != Enrolment.Status.ACTIVE:
        return
    with translation.override(language_of(person)):
        notify(
            person,
            "welcome",
            title=_("Welcome to %(program)s") % {"program": enrolment.program.name},
            body=_("The feed has what you can share; your posts and figures are one tap away."),
            url=reverse("content:feed"),
            event_id=event.pk,
        )
