"""Organisation settings that act: brand colour (with its contrast rule), time zone, languages."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from django.core import mail as django_mail

from ambassade.core.models import AuditEvent

pytestmark = pytest.mark.django_db

SETTINGS = "/api/v1/organisation/settings"


def _patch(client, **changes):
    return client.patch(SETTINGS, changes, content_type="application/json")


def test_the_brand_colour_is_served_in_a_stylesheet_both_spaces_link(persona, client_for) -> None:
    client = client_for(persona.admin)
    assert _patch(client, brand_colour="#0B6E4F").status_code == 200
    console = client.get("/console/").content.decode()
    link = re.search(r'<link rel="stylesheet" href="(/brand/[0-9a-f]{6}\.css)">', console)
    assert link is not None and link.group(1) == "/brand/0b6e4f.css"
    # The ambassador space links the same stylesheet.
    ambassador = client_for(persona.ambassador).get("/me/").content.decode()
    assert 'href="/brand/0b6e4f.css"' in ambassador
    sheet = client.get(link.group(1))
    assert sheet["Content-Type"].startswith("text/css")
    assert "immutable" in sheet["Cache-Control"]
    assert "--brand: #0b6e4f;" in sheet.content.decode()
    assert "--brand-dark: #084d37;" in sheet.content.decode()
    # No colour that would fail the contrast rule, nor anything else, is ever served.
    assert client.get("/brand/ffff00.css").status_code == 404
    assert client.get("/brand/nothing.css").status_code == 404


def test_a_colour_too_light_for_white_text_is_refused(persona, client_for) -> None:
    client = client_for(persona.admin)
    refused = _patch(client, brand_colour="#777777")  # 4.48:1, just under AA
    assert refused.status_code == 422
    detail = refused.json()["error"]["details"][0]
    assert detail["field"] == "brand_colour" and "4.48:1" in detail["message"]
    assert _patch(client, brand_colour="#767676").status_code == 200  # 4.54:1
    page = client.post(
        "/console/settings/",
        {
            "name": "Acme",
            "default_language": "fr",
            "brand_colour": "#f5c400",
            "departure_notice_days": "14",
            "retention_days_after_departure": "365",
            "time_zone": "Europe/Paris",
            "languages": ["fr", "en"],
        },
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert page.status_code == 200
    assert "Choisissez une couleur plus foncée" in page.content.decode()
    persona.organisation.refresh_from_db()
    assert persona.organisation.brand_colour == "#767676"


def test_time_zone_and_languages_are_settings(persona, client_for) -> None:
    client = client_for(persona.admin)
    changed = _patch(client, time_zone="America/Montreal", languages=["fr"])
    assert changed.status_code == 200
    assert changed.json()["time_zone"] == "America/Montreal"
    assert changed.json()["languages"] == ["fr"]
    assert AuditEvent.objects.get(action="organisation.settings_changed").after == {
        "languages": ["fr"],
        "time_zone": "America/Montreal",
    }
    for changes, field in (
        ({"time_zone": "Mars/Olympus"}, "time_zone"),
        ({"languages": ["xx"]}, "languages"),
        ({"languages": []}, "languages"),
        ({"languages": ["en"]}, "languages"),  # the default language (fr) must stay enabled
    ):
        refused = _patch(client, **changes)
        assert refused.status_code == 422, changes
        assert refused.json()["error"]["details"][0]["field"] == field


def test_the_outbox_and_the_audit_log_show_the_organisation_s_zone(
    persona, client_for, settings, tmp_path
) -> None:
    settings.EMAIL_BACKEND = "ambassade.core.mail.OutboxBackend"
    settings.MAIL_OUTBOX_DIR = str(tmp_path)
    client = client_for(persona.admin)
    assert _patch(client, time_zone="Asia/Tokyo").status_code == 200
    message = django_mail.EmailMessage("Hello", "Body", to=["a@example.org"])
    message.extra_headers["X-Ambassade-Organisation"] = persona.organisation.slug
    message.extra_headers["Date"] = "Mon, 30 Nov 2026 10:05:00 -0000"
    message.send()
    AuditEvent.objects.filter(action="organisation.settings_changed").update(
        created_at=datetime(2026, 11, 30, 10, 5, tzinfo=UTC)
    )
    # Tokyo is UTC+9: both pages say 19:05 (7:05 p.m.), whatever the reader's own zone.
    outbox = client.get("/console/outbox/").content.decode()
    audit = client.get("/console/audit/").content.decode()
    assert "7:05" in outbox and "10:05" not in outbox
    assert "7:05" in audit and "10:05" not in audit


def test_content_offers_only_the_enabled_languages(persona, client_for) -> None:
    client = client_for(persona.admin)
    before = client.get("/console/content/new").content.decode()
    select = re.compile(r'<select name="language"[^>]*>(.*?)</select>', re.S)
    assert 'value="en"' in select.search(before).group(1)
    assert _patch(client, default_language="fr", languages=["fr"]).status_code == 200
    after = client.get("/console/content/new").content.decode()
    options = select.search(after).group(1)
    assert 'value="fr"' in options and 'value="en"' not in options
    assert 'name="target_languages" value="en"' not in after


def test_a_mail_s_dates_are_the_organisation_s_days(persona, mailoutbox) -> None:
    """An invitation expiring at 23:30 UTC expires the next day in Tokyo: the mail says so."""
    from ambassade.programs.models import Invitation, Program
    from ambassade.programs.tasks import send_invitation_mail

    persona.organisation.time_zone = "Asia/Tokyo"
    persona.organisation.save()
    program = Program.objects.create(organisation=persona.organisation, name="Programme")
    kind = program.organisation.ambassador_types.first() or _supporter(program)
    invitation = Invitation.objects.create(
        program=program,
        person=persona.employee,
        ambassador_type=kind,
        token_hash="0" * 64,
        expires_at=datetime(2026, 12, 30, 23, 30, tzinfo=UTC),
    )
    assert send_invitation_mail.call(invitation.pk) == 1
    [message] = mailoutbox
    assert "31" in message.body.rsplit("\n", 1)[-1]
    assert "2026-12-30" not in message.body


def _supporter(program):
    from ambassade.programs.models import AmbassadorType

    return AmbassadorType.objects.create(organisation=program.organisation, kind="supporter")
