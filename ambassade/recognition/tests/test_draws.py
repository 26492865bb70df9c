"""Prize draws: the seed's hash before, the seed at the draw; weights are the points
earned in the period, capped; only entrants with points are drawn; anyone can recompute."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ambassade.core.models import AuditEvent
from ambassade.recognition import draw_procedure, draws
from ambassade.recognition.models import DrawEntry, DrawResult, DrawStatus, EntryReason
from ambassade.recognition.tests.draws_helpers import a_draw, earned, published
from ambassade.recognition.tests.rewards_helpers import ambassadors
from ambassade.sharing.tests.conftest import as_actor

pytestmark = pytest.mark.django_db


def test_the_hash_is_published_before_it_opens_and_the_seed_only_at_the_draw(
    persona, enrolled
) -> None:
    late = a_draw(persona.organisation, days_ago=-5)  # opened five days ago
    with pytest.raises(ValidationError, match="published before it opens"):
        draws.publish(as_actor(persona.marketer), late)
    draw = a_draw(persona.organisation, days_ago=-5)
    draw.opens_on = draws.today() + timedelta(days=1)
    draw.save()
    draws.publish(as_actor(persona.marketer), draw)
    draw.refresh_from_db()
    assert draw.status == DrawStatus.PUBLISHED and len(draw.seed_hash) == 64
    assert draw.seed == "" and draw_procedure.hash_of(draw.secret) == draw.seed_hash
    with pytest.raises(ValidationError, match="keeps its rules"):
        draws.change_draw(as_actor(persona.marketer), draw, rules="Autre chose")
    # Later, once closed: the seed revealed is the one whose hash was published.
    hashed = draw.seed_hash
    draw.opens_on, draw.closes_on = draws.today() - timedelta(days=9), draws.today() - timedelta(1)
    draw.save()
    earned(enrolled, 10, draw.opens_on)
    DrawEntry.objects.create(draw=draw, person=enrolled)
    draws.draw_winners(as_actor(persona.marketer), draw)
    draw.refresh_from_db()
    assert (
        draw.seed
        and draw_procedure.hash_of(draw.seed) == hashed
        and draw.status == DrawStatus.DRAWN
    )
    assert AuditEvent.objects.filter(action="recognition.draw_drawn").count() == 1


def test_weights_are_points_earned_in_the_period_capped(persona, program) -> None:
    first, second, third = ambassadors(persona, program, 3, points=0)
    draw = published(persona.organisation, days_ago=1, cap=50)
    for person in (first, second, third):
        DrawEntry.objects.create(draw=draw, person=person)
    earned(first, 30, draw.opens_on)
    earned(first, 7, draw.closes_on)
    earned(first, 100, draw.opens_on - timedelta(days=1))  # before: not counted
    earned(first, 100, draw.closes_on + timedelta(days=1))  # after: not counted
    earned(first, -20, draw.closes_on, reason=EntryReason.REWARD)  # a spend: not counted
    earned(second, 80, draw.opens_on + timedelta(days=2))  # above the cap of 50
    earned(third, 5, draw.opens_on - timedelta(days=3))  # nothing in the period
    assert draws.weights_of(draw) == {first.pk: 37, second.pk: 50}


def test_only_entrants_with_points_are_drawn_and_more_winners_than_entrants(
    persona, program
) -> None:
    people = ambassadors(persona, program, 4, points=0)
    draw = published(persona.organisation, days_ago=1, winners=5)
    for person in people:
        earned(person, 10 + person.pk % 7, draw.opens_on)
    for person in people[:3]:
        DrawEntry.objects.create(draw=draw, person=person)
    earned(people[2], -(10 + people[2].pk % 7), draw.opens_on)  # back to zero: no weight
    draws.draw_winners(as_actor(persona.hr), draw)
    winners = list(DrawResult.objects.filter(draw=draw, position__isnull=False))
    assert sorted(r.person_id for r in winners) == sorted([people[0].pk, people[1].pk])
    assert sorted(r.position or 0 for r in winners) == [1, 2]
    assert not DrawResult.objects.filter(draw=draw, person=people[3]).exists()


def test_the_draw_is_reproducible_and_tampering_shows(persona, program) -> None:
    people = ambassadors(persona, program, 6, points=0)
    draw = published(persona.organisation, days_ago=2, winners=3)
    for number, person in enumerate(people):
        earned(person, 5 * (number + 1), draw.opens_on)
        DrawEntry.objects.create(draw=draw, person=person)
    draws.draw_winners(as_actor(persona.admin), draw)
    draw.refresh_from_db()
    assert draw_procedure.verify(draw).verified
    recorded = [r.person_id for r in DrawResult.objects.filter(draw=draw, position__isnull=False)]
    assert recorded == draw_procedure.pick(draw.seed, draws.weights_of(draw), 3)
    loser = DrawResult.objects.filter(draw=draw, position__isnull=True).first()
    winner = DrawResult.objects.get(draw=draw, position=1)
    winner.position, loser.position = None, 1
    winner.save()
    loser.save()
    assert not draw_procedure.verify(draw).winners_match
    draw.seed = "0" * 64
    assert not draw_procedure.verify(draw).seed_matches_hash


def test_the_procedure_follows_the_published_formula() -> None:
    import hashlib

    weights = {3: 10, 9: 30, 4: 60}
    r = int(hashlib.sha256(b"abc:1").hexdigest(), 16) % 100
    ranges = [(3, 10), (4, 70), (9, 100)]  # by person id, cumulative
    expected = next(person for person, upper in ranges if r < upper)
    assert draw_procedure.pick("abc", weights, 1) == [expected]
    assert sorted(draw_procedure.pick("abc", weights, 5)) == [3, 4, 9]


def test_drawing_before_it_closes_is_refused(persona, enrolled) -> None:
    draw = published(persona.organisation, days_ago=0)
    with pytest.raises(ValidationError, match="only take place after it closes"):
        draws.draw_winners(as_actor(persona.marketer), draw)
    with pytest.raises(PermissionDenied):
        draws.draw_winners(as_actor(persona.ambassador), draw)


def test_entering_is_a_choice_while_open(persona, enrolled) -> None:
    draw = published(persona.organisation, days_ago=0)
    draws.enter(as_actor(enrolled), draw)
    with pytest.raises(ValidationError, match="already entered"):
        draws.enter(as_actor(enrolled), draw)
    draws.leave(as_actor(enrolled), draw)
    assert not DrawEntry.objects.filter(draw=draw).exists()
    with pytest.raises(ValidationError, match="ambassadors of the organisation"):
        draws.enter(as_actor(persona.employee), draw)
    closed = published(persona.organisation, days_ago=1)
    with pytest.raises(ValidationError, match="not open for entries"):
        draws.enter(as_actor(enrolled), closed)


def test_bad_input_is_named(persona) -> None:
    with pytest.raises(ValidationError) as error:
        draws.create_draw(
            as_actor(persona.marketer),
            name=" ",
            prize="",
            opens_on=draws.today(),
            closes_on=draws.today() - timedelta(days=1),
            winners=21,
            cap=0,
        )
    messages = error.value.message_dict
    assert messages["closes_on"] == ["The end comes before the start."]
    assert set(messages) == {"name", "prize", "closes_on", "winners", "cap"}


def test_entries_are_exported_and_erasure_withdraws_from_open_draws(persona, enrolled) -> None:
    from ambassade.core import personal_data

    drawn = published(persona.organisation, days_ago=1, name="Passé")
    earned(enrolled, 9, drawn.opens_on)
    DrawEntry.objects.create(draw=drawn, person=enrolled)
    draws.draw_winners(as_actor(persona.marketer), drawn)
    open_draw = published(persona.organisation, days_ago=-2, name="Ouvert")
    draws.enter(as_actor(enrolled), open_draw)
    exported = personal_data.collect(enrolled)["draws"]
    assert [(line["draw"], line["weight"], line["position"]) for line in exported] == [
        ("Passé", 9, 1),
        ("Ouvert", None, None),
    ]
    personal_data.anonymise(enrolled)
    assert not DrawEntry.objects.filter(draw=open_draw).exists()
    drawn.refresh_from_db()
    assert draw_procedure.verify(drawn).verified
