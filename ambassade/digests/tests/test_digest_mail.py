"""The digest as a person receives it, through a real SMTP server (aiosmtpd): its parts
and headers, the share button landing on the composer, the one-click unsubscribe, nothing
when nothing is new, one digest per period whatever runs twice, and the person's hour."""

from __future__ import annotations

import re
from datetime import timedelta
from email.utils import parsedate_to_datetime
from typing import Any

import pytest
from django.test import Client

from ambassade.content.models import HiddenItem, Kind
from ambassade.digests import actions, tasks
from ambassade.digests.models import DigestSent, DigestSubscription
from ambassade.digests.tests.conftest import (
    MONDAY_MORNING_IN_AUCKLAND,
    MONDAY_MORNING_UTC,
    make_item,
    run_worker,
)
from ambassade.sharing.models import Share
from ambassade.testing.concurrency import errors_in, together

pytestmark = pytest.mark.django_db(transaction=True)
SHARE_LINK = re.compile(r'href="(https://ambassade\.verdier\.example/digest/share/[^"]+)"')


def _send_at(moment: Any, frozen_now: Any) -> int:
    frozen_now(moment)
    claimed = actions.claim_due(moment)
    run_worker()
    return claimed


def test_the_digest_arrives_with_its_parts_headers_and_share_buttons(
    persona, program, reader, smtp_inbox, frozen_now, client_for
) -> None:
    older = make_item(persona, program, "Nos résultats annuels")
    featured = make_item(
        persona,
        program,
        "Nous recrutons à Lyon",
        featured=True,
        image="previews/lyon.jpg",
        image_alt="L'équipe de Lyon",
        published_at=MONDAY_MORNING_IN_AUCKLAND - timedelta(days=3),
    )
    make_item(persona, program, "Note interne", kind=Kind.INTERNAL_NEWS)

    assert _send_at(MONDAY_MORNING_IN_AUCKLAND, frozen_now) == 1
    [mail] = smtp_inbox.messages
    assert smtp_inbox.recipients == [["ambassador@example.com"]]
    assert mail["Subject"] == "Votre semaine chez Verdier : 2 contenus à partager"
    assert "Verdier" in mail["From"]
    token = DigestSubscription.objects.get(person=reader).unsubscribe_token
    assert mail["List-Unsubscribe"].strip() == (
        f"<https://ambassade.verdier.example/digest/unsubscribe/{token}/>"
    )
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert mail["Message-ID"].endswith("@ambassade.verdier.example>")
    assert parsedate_to_datetime(mail["Date"]) is not None
    assert mail["Auto-Submitted"] == "auto-generated"
    assert mail["Precedence"] == "bulk"
    text = mail.get_body(preferencelist=("plain",)).get_content()
    html = mail.get_body(preferencelist=("html",)).get_content()
    # Featured first, then the newest; internal news is never offered to share.
    assert text.index("Nous recrutons à Lyon") < text.index("Nos résultats annuels")
    assert "Note interne" not in text and "Note interne" not in html
    assert "Vos 7 derniers jours : 0 publication, 0 clic par une personne" in text
    assert 'style="' in html and "#0b6e4f" in html  # inlined, in the organisation's colour
    assert 'src="https://ambassade.verdier.example/media/previews/lyon.jpg"' in html
    assert ">Partager<" in html
    links = SHARE_LINK.findall(html)
    assert len(links) == 2
    assert DigestSent.objects.get(person=reader).item_ids == [featured.pk, older.pk]

    # The button logs nobody in: a stranger is asked to sign in, then lands on the composer.
    path = links[0].removeprefix("https://ambassade.verdier.example")
    anonymous = Client().get(path, follow=True)
    hops = [hop for hop, _status in anonymous.redirect_chain]
    assert hops[0] == f"/share/{featured.pk}/"
    assert hops[-1].startswith("/accounts/login/")
    assert f"next=/share/{featured.pk}/" in hops[-1].replace("%2F", "/")
    composer = client_for(reader).get(path, follow=True)
    assert composer.redirect_chain[-1][0] == f"/share/{featured.pk}/"
    assert composer.status_code == 200
    assert "Nous recrutons à Lyon" in composer.content.decode()
    # A tampered link is refused.
    assert Client().get(path[:-3] + "xx/").status_code == 404


def test_one_click_unsubscribe_by_post_and_not_by_get(
    persona, program, reader, smtp_inbox, frozen_now
) -> None:
    make_item(persona, program, "Nous recrutons à Lyon")
    _send_at(MONDAY_MORNING_IN_AUCKLAND, frozen_now)
    [mail] = smtp_inbox.messages
    address = mail["List-Unsubscribe"].strip().strip("<>")
    path = address.removeprefix("https://ambassade.verdier.example")
    # What a mail program sends (RFC 8058): no cookie, no CSRF token.
    robot = Client(enforce_csrf_checks=True)

    page = robot.get(path)
    assert page.status_code == 200
    assert "Se désabonner" in page.content.decode()  # the reader's language
    assert DigestSubscription.objects.get(person=reader).unsubscribed_at is None

    answer = robot.post(path, {"List-Unsubscribe": "One-Click"})
    assert answer.status_code == 200
    assert DigestSubscription.objects.get(person=reader).unsubscribed_at is not None
    assert robot.post(path).status_code == 200  # again: still unsubscribed, no error
    assert Client().post("/digest/unsubscribe/not-a-token/").status_code == 404

    make_item(persona, program, "Encore du nouveau", published_at=MONDAY_MORNING_UTC)
    assert _send_at(MONDAY_MORNING_IN_AUCKLAND + timedelta(days=7), frozen_now) == 0
    assert len(smtp_inbox.messages) == 1


def test_nothing_is_sent_when_nothing_is_new(
    persona, program, reader, smtp_inbox, frozen_now
) -> None:
    shared = make_item(persona, program, "Déjà partagé")
    hidden = make_item(persona, program, "Pas pour moi")
    make_item(
        persona,
        program,
        "Trop ancien",
        published_at=MONDAY_MORNING_IN_AUCKLAND - timedelta(days=8),
    )
    Share.objects.create(
        organisation=persona.organisation, person=reader, item=shared, message="Bravo"
    )
    HiddenItem.objects.create(person=reader, item=hidden)
    assert _send_at(MONDAY_MORNING_IN_AUCKLAND, frozen_now) == 0
    assert smtp_inbox.messages == []
    assert not DigestSent.objects.exists()

    # The week after: only what was published since the last digest.
    make_item(persona, program, "Première semaine")
    _send_at(MONDAY_MORNING_IN_AUCKLAND, frozen_now)
    later = MONDAY_MORNING_IN_AUCKLAND + timedelta(days=7)
    assert _send_at(later, frozen_now) == 0
    make_item(persona, program, "Deuxième semaine", published_at=later - timedelta(days=1))
    assert _send_at(later + timedelta(minutes=15), frozen_now) == 1
    second = smtp_inbox.messages[-1].get_body(preferencelist=("plain",)).get_content()
    assert "Deuxième semaine" in second and "Première semaine" not in second


def test_the_job_run_twice_sends_one_digest(
    persona, program, reader, smtp_inbox, frozen_now
) -> None:
    make_item(persona, program, "Nous recrutons à Lyon")
    frozen_now(MONDAY_MORNING_IN_AUCKLAND)
    assert tasks.send_due_digests.call() == 1
    assert tasks.send_due_digests.call() == 0
    assert actions.claim_due(MONDAY_MORNING_IN_AUCKLAND + timedelta(minutes=15)) == 0
    run_worker()
    run_worker()
    assert len(smtp_inbox.messages) == 1
    assert DigestSent.objects.get(person=reader).sent_at is not None


def test_the_persons_own_hour_in_their_time_zone(
    persona, program, reader, smtp_inbox, frozen_now
) -> None:
    make_item(persona, program, "Nous recrutons à Lyon")
    # Monday 09:05 UTC is 22:05 in Auckland: not their hour.
    assert _send_at(MONDAY_MORNING_UTC, frozen_now) == 0
    # 08:50 in Auckland: not yet.
    assert _send_at(MONDAY_MORNING_IN_AUCKLAND - timedelta(minutes=15), frozen_now) == 0
    assert smtp_inbox.messages == []
    assert _send_at(MONDAY_MORNING_IN_AUCKLAND, frozen_now) == 1
    assert DigestSent.objects.get(person=reader).period == "2026-W50"


def _claims_at_once(persona: Any, program: Any, sqlite_file: Any, inbox: Any) -> None:
    make_item(persona, program, "Nous recrutons à Lyon")
    with sqlite_file():
        results = together([lambda: actions.claim_due(MONDAY_MORNING_IN_AUCKLAND)] * 4)
        assert not errors_in(results), errors_in(results)
        assert sorted(results) == [0, 0, 0, 1], results
        [claimed] = together([lambda: list(DigestSent.objects.values_list("pk", flat=True))])
        assert len(claimed) == 1
        # The send task delivered twice, to two workers at once: still one mail.
        sent = together([lambda: tasks.send_digests.call(claimed)] * 2)
        assert not errors_in(sent), errors_in(sent)
        assert sorted(sent) == [0, 1], sent
    assert len(inbox.messages) == 1


def test_four_jobs_at_once_send_one_digest(  # on PostgreSQL too, with DATABASE_URL
    sqlite_file, persona, program, reader, smtp_inbox, frozen_now
) -> None:
    frozen_now(MONDAY_MORNING_IN_AUCKLAND)
    _claims_at_once(persona, program, sqlite_file, smtp_inbox)
