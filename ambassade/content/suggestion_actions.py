"""Employees suggest content; the studio moderates; trusted authors publish directly."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ambassade.content import selectors
from ambassade.content.actions import (
    build_item,
    create_item,
    on_commit,
    plain,
    policy_of,
    require,
    web_address,
)
from ambassade.content.actions.workflow import _go_live
from ambassade.content.models import ContentItem, Kind, Suggestion
from ambassade.core import audit, events
from ambassade.core.authz import Actor
from ambassade.people.models import Person
from ambassade.programs.models import Enrolment, Program


def is_trusted(person: Person) -> bool:
    """Whether the person's last N moderated suggestions were all accepted (N ≥ 1)."""
    needed = selectors.content_settings(person.organisation).trusted_after
    if needed < 1:
        return False
    states = list(
        Suggestion.objects.filter(author=person)
        .exclude(state=Suggestion.State.PENDING)
        .order_by("-moderated_at", "-id")
        .values_list("state", flat=True)[:needed]
    )
    return len(states) == needed and all(state == Suggestion.State.ACCEPTED for state in states)


def _program_for(person: Person) -> Program | None:
    enrolment = (
        Enrolment.objects.filter(
            person=person, status=Enrolment.Status.ACTIVE, program__status=Program.Status.ACTIVE
        )
        .select_related("program")
        .order_by("started_at")
        .first()
    )
    if enrolment is not None:
        return enrolment.program
    return Program.objects.filter(
        organisation_id=person.organisation_id, status=Program.Status.ACTIVE
    ).first()


def _item_from(
    suggestion: Suggestion, actor: Actor, program: Program, *, check: bool = True
) -> ContentItem:
    text = suggestion.text
    first_line = text.splitlines()[0][:120] if text else ""
    return (create_item if check else build_item)(
        actor,
        program_id=program.pk,
        kind=Kind.ARTICLE if suggestion.url else Kind.EXPERTISE,
        title=first_line if not suggestion.url else "",
        description=text[:2000],
        body="" if suggestion.url else text,
        url=suggestion.url,
        language=actor.organisation.default_language or "fr",
        credited_id=suggestion.author_id,
    )


@transaction.atomic
def submit_suggestion(actor: Actor, *, url: str = "", text: str = "", note: str = "") -> Suggestion:
    require(actor, "suggestions.submit")
    if actor.person is None:
        raise ValidationError(_("Only a person can suggest content."))
    url = web_address(url, "url")
    text = plain(text, "text", limit=3000)
    note = plain(note, "note", limit=500)
    if not url and not text:
        raise ValidationError({"url": _("Give an address or write a text to suggest.")})
    suggestion = Suggestion.objects.create(
        organisation=actor.organisation, author=actor.person, url=url, text=text, note=note
    )
    audit.record(
        "content.suggestion_submitted",
        organisation=actor.organisation,
        actor=actor,
        target=suggestion,
        after={"url": url, "text": text[:200]},
    )
    program = _program_for(actor.person)
    if is_trusted(actor.person) and program is not None and not policy_of(program).regulated:
        # Trusted: published directly, still audited, and counted as accepted.
        item = _item_from(suggestion, actor, program, check=False)
        _go_live(actor, item)
        suggestion.state = Suggestion.State.ACCEPTED
        suggestion.moderated_at = timezone.now()
        suggestion.moderated_by_label = _("published directly (trusted author)")
        suggestion.item = item
        suggestion.save()
        audit.record(
            "content.suggestion_published_directly",
            organisation=actor.organisation,
            actor=actor,
            target=suggestion,
            after={"item": item.pk},
        )
    return suggestion


@transaction.atomic
def moderate(
    actor: Actor,
    suggestion: Suggestion,
    *,
    accept: bool,
    response: str = "",
    program_id: int | None = None,
) -> Suggestion:
    """Accepting makes a draft item crediting the author; either way the author is told."""
    require(actor, "suggestions.moderate", suggestion.organisation_id)
    if suggestion.state != Suggestion.State.PENDING:
        raise ValidationError(_("This suggestion was already moderated."))
    suggestion.response = plain(response, "response", limit=500)
    if accept:
        program = (
            Program.objects.filter(organisation=actor.organisation, pk=program_id).first()
            if program_id
            else _program_for(suggestion.author)
        )
        if program is None:
            raise ValidationError({"program_id": _("Choose the program of the new item.")})
        suggestion.item = _item_from(suggestion, actor, program)
        suggestion.state = Suggestion.State.ACCEPTED
    else:
        suggestion.state = Suggestion.State.REJECTED
    suggestion.moderated_at = timezone.now()
    suggestion.moderated_by_label = actor.label
    suggestion.save()
    audit.record(
        f"content.suggestion_{suggestion.state}",
        organisation=actor.organisation,
        actor=actor,
        target=suggestion,
        after={"item": suggestion.item_id, "response": suggestion.response},
    )
    events.record(
        "content.suggestion_decided",
        suggestion.organisation,
        suggestion_id=suggestion.pk,
        person_id=suggestion.author_id,
        accepted=accept,
        item_id=suggestion.item_id,
    )
    from ambassade.content import tasks

    on_commit(tasks.send_suggestion_outcome, suggestion.pk)
    return suggestion
