"""The writes of the profile checklist: the person ticks, asks their coach for a review,
the coach answers item by item; the organisation writes its own explanations."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from ambassade.coaching import access, checklist, selectors
from ambassade.coaching.checks import require, text_of
from ambassade.coaching.models import (
    ChecklistExplanation,
    ChecklistTick,
    ProfileReview,
    ReviewVerdict,
)
from ambassade.core import audit
from ambassade.core.authz import Actor

MAX_COMMENT = 1000
MAX_EXPLANATION = 1000


def _network_item(network: Any, item: Any) -> tuple[str, str]:
    errors = {}
    if network not in checklist.NETWORKS:
        errors["network"] = _("Choose a network of the checklist.")
    if item is not None and item not in checklist.ITEMS:
        errors["item"] = _("Choose an item of the checklist.")
    if errors:
        raise ValidationError(errors)
    return str(network), str(item or "")


def tick(actor: Actor, network: Any, item: Any, done: bool) -> None:
    """Ticks or unticks one item of the person's own checklist."""
    network, item = _network_item(network, item or "?")
    current = set(
        ChecklistTick.objects.filter(person=actor.person, network=network).values_list(
            "item", flat=True
        )
    )
    save_checklist(actor, network, (current | {item}) if done else (current - {item}))


def save_checklist(actor: Actor, network: Any, items: Any) -> None:
    """The items of one network the person's profile meets, all at once."""
    if not access.asking(actor):
        raise PermissionDenied
    network, _item = _network_item(network, None)
    wanted = {str(code) for code in items or []}
    unknown = wanted - set(checklist.ITEMS)
    if unknown:
        raise ValidationError({"items": _("Choose items of the checklist.")})
    with transaction.atomic():
        mine = ChecklistTick.objects.filter(person=actor.person, network=network)
        current = set(mine.values_list("item", flat=True))
        if current == wanted:
            return
        mine.filter(item__in=current - wanted).delete()
        ChecklistTick.objects.bulk_create(
            [
                ChecklistTick(person=actor.person, network=network, item=code)
                for code in sorted(wanted - current)
            ]
        )

        def labels(codes: set[str]) -> list[str]:
            return [str(checklist.ITEMS[code].label) for code in checklist.ITEMS if code in codes]

        audit.record(
            "coaching.checklist_ticked",
            organisation=actor.organisation,
            actor=actor,
            target=actor.person,
            before={"network": checklist.network_name(network), "items": labels(current)},
            after={"network": checklist.network_name(network), "items": labels(wanted)},
        )


def request_review(actor: Actor, network: Any) -> ProfileReview:
    if not access.asking(actor):
        raise PermissionDenied
    person = actor.person
    assert person is not None
    network, _item = _network_item(network, None)
    if selectors.coach_of(person) is None:
        raise ValidationError(
            {"network": _("You have no coach yet: HR assigns one, then you can ask them.")}
        )
    with transaction.atomic():
        existing = ProfileReview.objects.filter(
            person=person, network=network, status=ProfileReview.Status.REQUESTED
        ).first()
        if existing is not None:
            return existing
        review = ProfileReview.objects.create(
            organisation=actor.organisation, person=person, network=network
        )
        audit.record(
            "coaching.review_requested", organisation=actor.organisation, actor=actor, target=review
        )
    return review


def give_review(
    actor: Actor, review_id: int, verdicts: Sequence[Mapping[str, Any]]
) -> ProfileReview:
    """The coach's verdict on every item of the checklist: ok or to improve, a comment."""
    with transaction.atomic():
        review = access.coached_reviews(actor).select_for_update().filter(pk=review_id).first()
        if review is None:
            raise Http404
        if review.status == ProfileReview.Status.DONE:
            raise ValidationError({"verdicts": _("This review is already given.")})
        given: dict[str, tuple[str, str]] = {}
        errors: dict[str, str] = {}
        for entry in verdicts:
            code, verdict = entry.get("item"), entry.get("verdict")
            if code not in checklist.ITEMS:
                errors["verdicts"] = _("Choose an item of the checklist.")
                continue
            if verdict not in ReviewVerdict.Verdict.values:
                errors[f"verdicts.{code}"] = _("Choose OK or To improve.")
                continue
            given[code] = (
                verdict,
                text_of(
                    entry.get("comment"), f"verdicts.{code}", limit=MAX_COMMENT, required=False
                ),
            )
        missing = [code for code in checklist.ITEMS if code not in given]
        if missing and not errors:
            errors["verdicts"] = _("Give a verdict on every item: %(items)s.") % {
                "items": ", ".join(str(checklist.ITEMS[code].label) for code in missing)
            }
        if errors:
            raise ValidationError(errors)
        ReviewVerdict.objects.bulk_create(
            [
                ReviewVerdict(review=review, item=code, verdict=verdict, comment=comment)
                for code, (verdict, comment) in given.items()
            ]
        )
        review.status = ProfileReview.Status.DONE
        review.reviewed_at, review.reviewed_by = timezone.now(), actor.person
        review.save(update_fields=["status", "reviewed_at", "reviewed_by"])
        audit.record(
            "coaching.review_given", organisation=actor.organisation, actor=actor, target=review
        )
    return review


def set_explanations(actor: Actor, network: Any, texts: Mapping[str, Any]) -> None:
    """The organisation's explanations of a network's items (item code -> text); an
    empty text brings the default back. All are checked before any is saved."""
    require(actor, "coaching.checklist")
    network, _item = _network_item(network, None)
    if not isinstance(texts, Mapping) or any(code not in checklist.ITEMS for code in texts):
        raise ValidationError({"item": _("Choose an item of the checklist.")})
    cleaned = {
        code: text_of(text, f"texts.{code}", limit=MAX_EXPLANATION, required=False)
        for code, text in texts.items()
    }
    with transaction.atomic():
        current = {
            row.item: row
            for row in ChecklistExplanation.objects.filter(
                organisation=actor.organisation, network=network
            )
        }
        for code, body in cleaned.items():
            found = current.get(code)
            before = found.text if found else ""
            if body == before:
                continue
            if body:
                ChecklistExplanation.objects.update_or_create(
                    organisation=actor.organisation,
                    network=network,
                    item=code,
                    defaults={"text": body},
                )
            elif found is not None:
                found.delete()
            label = str(checklist.ITEMS[code].label)
            where = checklist.network_name(network)
            audit.record(
                "coaching.explanation_changed",
                organisation=actor.organisation,
                actor=actor,
                before={"network": where, "item": label, "text": before},
                after={"network": where, "item": label, "text": body},
            )
