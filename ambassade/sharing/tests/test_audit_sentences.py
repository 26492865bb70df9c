"""The audit log reads as sentences in the reader's language, changes as before → after,
and every audit code the code base records has its sentence."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

import ambassade
from ambassade.content.actions import workflow
from ambassade.content.models import ContentItem, Status
from ambassade.core import audit, audit_text
from ambassade.core.authz import actor_for_person
from ambassade.programs.models import Program
from ambassade.sharing.actions.pause import set_pause

pytestmark = pytest.mark.django_db

RECORDED = re.compile(r"audit\.record\(\s*\"([a-z_]+\.[a-z_]+)\"")


def _french(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    return client


def test_the_log_reads_as_sentences_with_readable_changes(persona, client_for) -> None:
    admin = persona.admin
    admin.first_name, admin.last_name = "Mathilde", "Roux"
    admin.save()
    actor = actor_for_person(admin)
    set_pause(actor, True)
    set_pause(actor, False)
    program = Program.objects.create(organisation=persona.organisation, name="Marque employeur")
    item = ContentItem.objects.create(
        organisation=persona.organisation, program=program, title="Nouvelle usine"
    )
    workflow.submit(actor, item)

    page = _french(client_for(admin)).get("/console/audit/").content.decode()

    assert "Mathilde Roux a repris les publications" in page
    assert "Mathilde Roux a suspendu les publications" in page
    assert "Mathilde Roux a soumis « Nouvelle usine » à la relecture" in page
    assert "Statut : Brouillon → Soumis à relecture" in page
    assert ">sharing.resumed<" not in page and "<code>" not in page
    api = client_for(admin).get("/api/v1/audit", HTTP_ACCEPT_LANGUAGE="fr").json()["items"]
    resumed = next(event for event in api if event["action"] == "sharing.resumed")
    assert resumed["sentence"] == "Mathilde Roux a repris les publications"
    assert "{'" not in page


def test_an_unknown_code_still_reads_as_words(persona, client_for) -> None:
    audit.record(
        "archive.moved",
        organisation=persona.organisation,
        actor=actor_for_person(persona.admin),
        before={"end_date": "2026-12-30", "alumni": False},
        after={"end_date": "2027-01-15", "alumni": True},
    )
    audit.record("archive.swept", organisation=persona.organisation, actor=None)
    page = _french(client_for(persona.admin)).get("/console/audit/").content.decode()
    assert "archive · moved" in page
    # Work done by the application itself is signed by its name, not "system".
    assert "Ambassade (automatiquement) : archive · swept" in page and "system" not in page
    assert "Date de fin : 30 décembre 2026 → 15 janvier 2027" in page
    assert "Réseau des anciens : non → oui" in page
    assert "{'" not in page and "2026-12-30" not in page


def test_every_recorded_code_has_a_sentence_in_french() -> None:
    root = Path(ambassade.__file__).resolve().parent
    recorded = {
        code
        for path in root.rglob("*.py")
        if "tests" not in path.parts
        for code in RECORDED.findall(path.read_text())
    }
    recorded |= {f"content.item_{status}" for status in Status.values}
    assert recorded, "no audit code found in the sources"
    missing = recorded - audit_text.registered_codes()
    assert not missing, f"audit codes without a sentence: {sorted(missing)}"
    with translation.override("fr"):
        english = [code for code in recorded if " a " not in audit_text.action_name(code)]
    assert not english, f"sentences not in French: {english}"
