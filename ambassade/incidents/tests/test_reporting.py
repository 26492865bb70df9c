"""An ambassador reports a problem; the coach and internal communications are told and
answer it; the reporter follows it; bad input gets a clear message."""

from __future__ import annotations

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image

from ambassade.core.models import AuditEvent
from ambassade.incidents.models import ProblemReport, ReportStatus
from ambassade.notifications.models import Notification

pytestmark = pytest.mark.django_db


def photo(fmt: str = "PNG") -> io.BytesIO:
    data = io.BytesIO()
    Image.new("RGB", (800, 600), (200, 40, 40)).save(data, fmt)
    data.seek(0)
    data.name = "capture.png"
    return data


HOSTILE = {
    "kind": "hostile_replies",
    "severity": "high",
    "description": "Des dizaines de réponses agressives sous mon post.",
    "link": "",
    "coach_may_delete": "on",
}


def test_a_report_on_a_post_reaches_the_coach_and_internal_comms_and_is_answered(
    persona, coached, published, reporting, client_for, django_capture_on_commit_callbacks
) -> None:
    posts = client_for(coached).get("/me/posts/").content.decode()
    assert f"/me/reports/new?post={published.pk}" in posts

    response = reporting(coached, {**HOSTILE, "screenshot": photo()}, published)
    report = ProblemReport.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/me/reports/{report.pk}/"
    assert report.target == published and report.coach == persona.coach
    assert report.link == published.remote_url  # the post's address when none is given
    assert report.coach_may_delete and report.screenshot.endswith(".jpg")  # re-encoded
    assert report.program == published.share.item.program
    assert report.entries.get().step == "opened"
    told = Notification.objects.filter(kind="problem_reported")
    assert {n.person for n in told} == {persona.coach, persona.comms}
    assert all(n.url == f"/console/reports/{report.pk}/" for n in told)
    assert not Notification.objects.filter(person=coached, kind__startswith="problem").exists()
    assert AuditEvent.objects.filter(action="incidents.report_opened").count() == 1

    coach, comms = client_for(persona.coach), client_for(persona.comms)
    assert "See the screenshot" in coach.get(f"/console/reports/{report.pk}/").content.decode()
    assert coach.get(f"/reports/{report.pk}/screenshot")["Content-Type"] == "image/jpeg"
    coach.post(f"/console/reports/{report.pk}/acknowledge")
    coach.post(f"/console/reports/{report.pk}/note", {"text": "J'appelle l'auteur."})
    comms.post(f"/console/reports/{report.pk}/resolve", {"resolution": ""})
    report.refresh_from_db()
    assert report.status == ReportStatus.ACKNOWLEDGED  # a resolution needs its words
    assert (
        "Say how it was resolved." in comms.get(f"/console/reports/{report.pk}/").content.decode()
    )
    with django_capture_on_commit_callbacks(execute=True):
        comms.post(f"/console/reports/{report.pk}/resolve", {"resolution": "Réponses masquées."})
    report.refresh_from_db()
    assert report.status == ReportStatus.RESOLVED and report.resolution == "Réponses masquées."
    assert [e.step for e in report.entries.all()] == [
        "opened",
        "acknowledged",
        "note",
        "resolved",
    ]
    assert report.entries.get(step="acknowledged").actor == persona.coach
    resolved = Notification.objects.get(person=coached, kind="problem_resolved")
    assert resolved.url == f"/me/reports/{report.pk}/"

    # The reporter sees it resolved, with the log; they may reopen it.
    mine = client_for(coached)
    page = mine.get(f"/me/reports/{report.pk}/").content.decode()
    assert "Réponses masquées." in page and 'data-report-status="resolved"' in page
    mine.post(f"/me/reports/{report.pk}/reopen", {"reason": "Ça recommence."})
    report.refresh_from_db()
    assert report.status == ReportStatus.ACKNOWLEDGED and report.resolved_at is None


def test_a_critical_report_from_nothing_is_urgent_and_due_within_the_hour(
    persona, coached, reporting
) -> None:
    reporting(
        coached,
        {
            "kind": "journalist",
            "severity": "critical",
            "description": "Un journaliste m'appelle.",
            "link": "https://presse.example/article",
        },
    )
    report = ProblemReport.objects.get()
    assert report.target is None and not report.coach_may_delete
    assert round((report.due_at - report.opened_at).total_seconds()) == 3600
    told = Notification.objects.filter(kind="problem_reported_critical")
    assert {n.person for n in told} == {persona.coach, persona.comms}
    assert all(n.urgent for n in told)


def test_who_sees_a_report_and_who_handles_it(
    persona, coached, published, reporting, client_for
) -> None:
    from ambassade.testing.factories import PersonFactory

    reporting(coached, HOSTILE, published)
    report = ProblemReport.objects.get()
    another = PersonFactory(organisation=persona.organisation, roles=["ambassador"], with_user=True)
    for person, status in [
        (another, 404),
        (persona.marketer, 404),
        (persona.hr, 404),
        (persona.outsider, 404),
        (persona.admin, 200),
        (persona.comms, 200),
        (persona.coach, 200),
    ]:
        client = client_for(person)
        assert client.get(f"/console/reports/{report.pk}/").status_code == status, person
        assert client.get(f"/api/v1/incidents/reports/{report.pk}").status_code == status
        assert client.get(f"/reports/{report.pk}/screenshot").status_code == 404
        listed = client.get("/api/v1/incidents/reports").json()
        assert (report.pk in [r["id"] for r in listed["items"]]) == (status == 200)
    # Another ambassador cannot act on it either; the reporter cannot acknowledge their own.
    assert client_for(another).post(f"/console/reports/{report.pk}/acknowledge").status_code == 404
    client_for(coached).post(f"/console/reports/{report.pk}/acknowledge")
    report.refresh_from_db()
    assert report.status == ReportStatus.OPEN
    answer = client_for(coached).post(f"/api/v1/incidents/reports/{report.pk}/acknowledge")
    assert answer.status_code == 403


def test_bad_input_is_refused_with_a_clear_message_and_nothing_is_written(
    persona, coached, published, reporting, client_for
) -> None:
    cases = [
        ({**HOSTILE, "description": "  "}, "Describe what happened."),
        ({**HOSTILE, "link": "javascript:alert(1)"}, "starts with http:// or https://"),
        ({**HOSTILE, "link": "ftp://example.com/x"}, "starts with http:// or https://"),
        ({**HOSTILE, "screenshot": io.BytesIO(b"%PDF-1.4 not an image")}, "not a readable image"),
        ({**HOSTILE, "severity": "apocalyptic"}, "Select a valid choice"),
    ]
    for data, message in cases:
        response = reporting(coached, data, published)
        assert response.status_code == 200
        assert message in response.content.decode(), message
    # Someone else's post: not found; consent without a post is not offered.
    assert client_for(persona.admin).get(f"/me/reports/new?post={published.pk}").status_code == 404
    assert "coach_may_delete" not in client_for(coached).get("/me/reports/new").content.decode()
    assert not ProblemReport.objects.exists()
    assert not Notification.objects.filter(kind__startswith="problem").exists()


def test_the_list_reads_in_a_fixed_number_of_queries(
    persona, coached, published, reporting, client_for
) -> None:
    client = client_for(persona.comms)
    reporting(coached, HOSTILE, published)
    client.get("/console/reports/")
    with CaptureQueriesContext(connection) as one:
        client.get("/console/reports/")
        client.get("/api/v1/incidents/reports")
    for _ in range(4):
        reporting(coached, HOSTILE, published)
    with CaptureQueriesContext(connection) as five:
        page = client.get("/console/reports/").content.decode()
        client.get("/api/v1/incidents/reports")
    assert page.count('data-status="open"') == 5
    assert len(five) == len(one)
