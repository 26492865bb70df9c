"""The contribution report: PDF and CSV for a consenting ambassador by mission, refused
otherwise, downloadable by HR and admins (audited), never by marketing or another tenant."""

from __future__ import annotations

import csv
from datetime import timedelta
from decimal import Decimal
from io import BytesIO, StringIO

import pytest
from pypdf import PdfReader

from ambassade.contributions.tests.conftest import contribution, enrol, stats, today
from ambassade.core.models import AuditEvent
from ambassade.programs.models import Program
from ambassade.testing.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def helene(persona, program, item):
    """The ambassador, by mission, consenting, with a year of figures and a talk."""
    person = persona.ambassador
    person.first_name, person.last_name = "Hélène", "Roussel"
    person.save()
    enrol(program, person, "mission", consent=True)
    day = today() - timedelta(days=20)
    stats(person, program, day, item, shares_published=3, human_clicks=1234, potential_reach=8800)
    stats(person, program, day, item, likes=7, conversions=2, conversion_value=Decimal("1500"))
    contribution(person, day, "Conférence au salon SIDO", program=program, audience="Clients")
    contribution(person, today() - timedelta(days=800), "Trop ancienne")
    return person


def _query(program: Program, file_format: str = "pdf", **changes: str) -> str:
    params = {
        "program": str(program.pk),
        "start": (today() - timedelta(days=364)).isoformat(),
        "end": today().isoformat(),
        "format": file_format,
    } | changes
    return "&".join(f"{name}={value}" for name, value in params.items())


def _mine(program: Program, file_format: str = "pdf", **changes: str) -> str:
    return f"/me/contributions/report/?{_query(program, file_format, **changes)}"


def _console(person, program: Program, file_format: str = "pdf", **changes: str) -> str:
    query = _query(program, file_format, **changes)
    return f"/console/contributions/people/{person.pk}/report/?{query}"


def _api(person, program: Program, file_format: str = "csv") -> str:
    start = (today() - timedelta(days=364)).isoformat()
    return (
        f"/api/v1/contributions/report?person_id={person.pk}&program_id={program.pk}"
        f"&start={start}&end={today().isoformat()}&format={file_format}"
    )


def _pdf_text(response) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(response.content)).pages)


def _csv_rows(response) -> list[list[str]]:
    return list(csv.reader(StringIO(response.content.decode())))


def test_the_pdf_downloads_for_a_consenting_ambassador_by_mission(
    helene, program, client_for
) -> None:
    response = client_for(helene).get(_mine(program))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    text = _pdf_text(response)
    assert "Hélène Roussel" in text
    assert "Social selling" in text
    assert "1,234" in text  # human clicks
    assert "1,500.00" in text  # conversion value
    assert "Conférence au salon SIDO" in text
    assert "Trop ancienne" not in text  # outside the period
    assert "Influence indicator" in text
    assert "Page 1" in text
    # Downloading one's own report leaves no audit row; someone else's does.
    assert not AuditEvent.objects.filter(action="contribution_report.downloaded").exists()


def test_the_csv_has_one_row_per_figure_part_and_contribution(helene, program, client_for) -> None:
    response = client_for(helene).get(_mine(program, "csv"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = _csv_rows(response)
    assert rows[0] == ["Section", "Label", "Value"]
    assert ["Report", "Person", "Hélène Roussel"] in rows
    assert ["Figures of the period", "Human clicks", "1234"] in rows
    assert ["Figures of the period", "Conversion value (EUR)", "1500.00"] in rows
    potential = [row for row in rows if row[1].startswith("Potential reach")]
    assert potential and "could have seen" in potential[0][1]
    influence = [row for row in rows if row[0] == "Influence indicator"]
    assert influence[-1][:2] == ["Influence indicator", "Overall (score out of 100)"]
    logged = [row for row in rows if row[0] == "Contributions logged"]
    assert len(logged) == 1
    assert logged[0][2] == "Conférence au salon SIDO — Clients"


def test_a_formula_in_a_title_is_not_run_by_spreadsheets(helene, program, client_for) -> None:
    contribution(helene, today() - timedelta(days=2), "=HYPERLINK(1)", program=program)
    rows = _csv_rows(client_for(helene).get(_mine(program, "csv")))
    assert any(row[2] == "'=HYPERLINK(1)" for row in rows)


def test_refused_without_consent_for_the_person_and_for_hr(
    persona, program, helene, client_for
) -> None:
    helene.enrolments.update(contribution_report_consent=False)
    mine = client_for(helene).get(_mine(program))
    assert mine.status_code == 403
    assert "You have not allowed your contribution report" in mine.content.decode()
    hr = client_for(persona.hr).get(_console(helene, program))
    assert hr.status_code == 403
    assert "has not agreed that their contribution report" in hr.content.decode()
    api = client_for(persona.hr).get(_api(helene, program))
    assert api.status_code == 403
    error = api.json()["error"]
    assert error["code"] == "report_refused"
    assert error["details"] == {"condition": "consent"}
    assert "has not agreed" in error["message"]
    assert not AuditEvent.objects.filter(action="contribution_report.downloaded").exists()


def test_refused_for_a_type_that_does_not_count(persona, program, client_for) -> None:
    lucas = persona.employee
    # Even with the flag set (by hand here), a designated ambassador has no report.
    enrol(program, lucas, "designated", consent=True)
    mine = client_for(lucas).get(_mine(program))
    assert mine.status_code == 403
    assert "do not count in evaluation" in mine.content.decode()
    assert client_for(persona.hr).get(_console(lucas, program)).status_code == 403
    api = client_for(persona.admin).get(_api(lucas, program, "pdf"))
    assert api.status_code == 403
    assert api.json()["error"]["details"] == {"condition": "counts_in_evaluation"}
    assert client_for(lucas).get(_api(lucas, program)).status_code == 403


def test_refused_for_a_program_the_person_is_not_in(persona, program, client_for) -> None:
    response = client_for(persona.hr).get(_api(persona.employee, program))
    assert response.status_code == 403
    assert response.json()["error"]["details"] == {"condition": "enrolment"}


def test_hr_and_admins_download_a_consenting_persons_report(
    persona, program, helene, client_for
) -> None:
    response = client_for(persona.hr).get(_console(helene, program))
    assert response.status_code == 200
    assert "Hélène Roussel" in _pdf_text(response)
    event = AuditEvent.objects.get(action="contribution_report.downloaded")
    assert event.target_id == str(helene.pk)
    assert event.actor_label == persona.hr.full_name
    assert event.after["format"] == "pdf"
    api = client_for(persona.admin).get(_api(helene, program, "csv"))
    assert api.status_code == 200
    assert ["Report", "Person", "Hélène Roussel"] in _csv_rows(api)
    assert AuditEvent.objects.filter(action="contribution_report.downloaded").count() == 2


def test_marketing_may_not_and_another_tenant_sees_nothing(
    persona, program, helene, client_for
) -> None:
    marketer = client_for(persona.marketer)
    assert marketer.get(_console(helene, program)).status_code == 403
    assert marketer.get(_api(helene, program)).status_code == 403
    assert client_for(persona.ambassador).get(_api(persona.hr, program)).status_code == 403
    outsider = client_for(persona.outsider)
    assert outsider.get(_console(helene, program)).status_code == 404
    assert outsider.get(f"/console/contributions/people/{helene.pk}/report/").status_code == 404
    assert outsider.get(_api(helene, program)).status_code == 404


def test_a_program_of_another_organisation_is_404(persona, helene, client_for) -> None:
    elsewhere = Program.objects.create(organisation=persona.outsider.organisation, name="Ailleurs")
    assert client_for(helene).get(_mine(elsewhere)).status_code == 404
    assert client_for(persona.hr).get(_console(helene, elsewhere)).status_code == 404


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"end": (today() - timedelta(days=400)).isoformat()}, "before its start"),
        ({"start": (today() - timedelta(days=1200)).isoformat()}, "longer than 3 years"),
        ({"start": "2026-02-30"}, "start of the period as YYYY-MM-DD"),
        ({"end": ""}, "end of the period as YYYY-MM-DD"),
        ({"format": "xlsx"}, "pdf or csv"),
    ],
)
def test_a_wrong_period_or_format_is_a_clear_400(
    persona, program, helene, client_for, changes, message
) -> None:
    page = client_for(helene).get(_mine(program, **changes))
    assert page.status_code == 400
    assert message in page.content.decode()
    console = client_for(persona.hr).get(_console(helene, program, **changes))
    assert console.status_code == 400
    query = _query(program, **changes).replace("program=", "program_id=")
    api = client_for(helene).get(f"/api/v1/contributions/report?{query}")
    assert api.status_code == 400
    assert api.json()["error"]["code"] == "bad_request"
    assert message in api.json()["error"]["message"]


def test_my_contributions_page_offers_the_report_only_with_consent(
    persona, program, helene, client_for
) -> None:
    page = client_for(helene).get("/me/contributions/").content.decode()
    assert 'action="/me/contributions/report/"' in page
    helene.enrolments.update(contribution_report_consent=False)
    page = client_for(helene).get("/me/contributions/").content.decode()
    assert 'action="/me/contributions/report/"' not in page
    assert "Allow it on My programs" in page
    supporter = PersonFactory(organisation=persona.organisation, with_user=True)
    enrol(program, supporter, "supporter")
    page = client_for(supporter).get("/me/contributions/").content.decode()
    assert "there is no contribution report for you" in page


def test_the_console_page_shows_consent_and_the_form(persona, program, helene, client_for) -> None:
    page = client_for(persona.hr).get(f"/console/contributions/people/{helene.pk}/report/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Social selling" in text
    assert "given" in text
    assert 'name="format"' in text
