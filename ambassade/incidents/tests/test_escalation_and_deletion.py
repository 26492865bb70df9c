"""Overdue reports go to the program's owners once; the coach deletes the post only with
the author's consent; the API's operations and their refusals."""

from __future__ import annotations

import base64
import io
from datetime import timedelta

import pytest
from django.utils import timezone
from PIL import Image

from ambassade.core.periodic import REGISTRY
from ambassade.incidents import actions
from ambassade.incidents.models import ProblemReport
from ambassade.notifications.models import Notification
from ambassade.sharing.models import TargetStatus
from ambassade.sharing.networks.base import Transient

pytestmark = pytest.mark.django_db

REPORT = {
    "kind": "mistake",
    "severity": "high",
    "description": "Le chiffre de mon post est faux.",
}


@pytest.fixture
def api(client_for, django_capture_on_commit_callbacks):
    def call(person, method, path, body=None):
        with django_capture_on_commit_callbacks(execute=True):
            return getattr(client_for(person), method)(
                f"/api/v1{path}", body or {}, content_type="application/json"
            )

    return call


def test_an_overdue_report_is_escalated_to_the_programs_owners_once(
    persona, coached, published, program, api, django_capture_on_commit_callbacks
) -> None:
    assert "ambassade.incidents.tasks.escalate_overdue_reports" in REGISTRY
    program.owners.add(persona.marketer)
    created = api(coached, "post", "/incidents/reports", {**REPORT, "post_id": published.pk})
    assert created.status_code == 201, created.content
    report = ProblemReport.objects.get()
    assert api(persona.marketer, "get", f"/incidents/reports/{report.pk}").status_code == 404

    with django_capture_on_commit_callbacks(execute=True):
        assert actions.escalate_overdue(report.due_at - timedelta(minutes=1)) == 0
        assert actions.escalate_overdue(report.due_at + timedelta(minutes=1)) == 1
        assert actions.escalate_overdue(report.due_at + timedelta(hours=5)) == 0  # once
    report.refresh_from_db()
    assert report.escalated_at is not None
    assert Notification.objects.get(kind="problem_escalated").person == persona.marketer
    owner = api(persona.marketer, "get", f"/incidents/reports/{report.pk}")
    assert owner.status_code == 200
    assert [entry["step"] for entry in owner.json()["log"]] == ["opened", "escalated"]
    # The owner may now handle it; an acknowledged report is never escalated.
    assert (
        api(persona.marketer, "post", f"/incidents/reports/{report.pk}/acknowledge").json()[
            "status"
        ]
        == "acknowledged"
    )
    again = api(coached, "post", "/incidents/reports", REPORT).json()
    api(persona.coach, "post", f"/incidents/reports/{again['id']}/acknowledge")
    assert actions.escalate_overdue(timezone.now() + timedelta(days=30)) == 0


def test_the_coach_deletes_the_post_only_with_consent(
    persona, coached, published, fake, api
) -> None:
    without = api(coached, "post", "/incidents/reports", {**REPORT, "post_id": published.pk})
    path = f"/incidents/reports/{without.json()['id']}/withdraw-post"
    assert api(persona.coach, "post", path).status_code == 403
    assert api(persona.comms, "post", path).status_code == 403  # sees it, may not delete
    assert fake.deleted == []

    consent = {**REPORT, "post_id": published.pk, "coach_may_delete": True}
    report = api(coached, "post", "/incidents/reports", consent).json()
    fake.delete_script.append(Transient("The network is down."))
    refused = api(persona.coach, "post", f"/incidents/reports/{report['id']}/withdraw-post")
    assert refused.status_code == 422 and refused.json()["error"]["code"] == "transient"
    done = api(persona.coach, "post", f"/incidents/reports/{report['id']}/withdraw-post")
    assert done.status_code == 200, done.content
    assert done.json()["already_gone"] is False and done.json()["link_withdrawn"] is True
    assert done.json()["report"]["log"][-1]["step"] == "post_deleted"
    published.refresh_from_db()
    assert published.status == TargetStatus.DELETED and fake.deleted == [published.remote_id]
    # Deleting twice: a clear message.
    twice = api(persona.coach, "post", f"/incidents/reports/{report['id']}/withdraw-post")
    assert twice.status_code == 422
    assert "already deleted" in twice.json()["error"]["message"]


def test_the_api_refuses_bad_input_with_the_field_named(persona, coached, published, api) -> None:
    cases = [
        ({**REPORT, "description": ""}, "description"),
        ({**REPORT, "link": "file:///etc/passwd"}, "link"),
        ({**REPORT, "screenshot_base64": "not base64!"}, "screenshot_base64"),
        (
            {**REPORT, "screenshot_base64": base64.b64encode(b"GIF89a broken").decode()},
            "screenshot",
        ),
        ({**REPORT, "coach_may_delete": True}, "coach_may_delete"),
        ({**REPORT, "post_id": published.pk + 1000}, "target"),
        ({**REPORT, "kind": "gossip"}, "kind"),
    ]
    for body, field in cases:
        answer = api(coached, "post", "/incidents/reports", body)
        assert answer.status_code == 422, (field, answer.content)
        fields = [detail["field"] for detail in answer.json()["error"]["details"]]
        assert any(field in str(name) for name in fields), (field, fields)
    assert not ProblemReport.objects.exists()

    image = io.BytesIO()
    Image.new("RGB", (40, 40), (0, 0, 0)).save(image, "PNG")
    good = api(
        coached,
        "post",
        "/incidents/reports",
        {**REPORT, "screenshot_base64": base64.b64encode(image.getvalue()).decode()},
    )
    assert good.status_code == 201 and good.json()["has_screenshot"] is True
    report = good.json()["id"]
    resolved = api(
        persona.comms, "post", f"/incidents/reports/{report}/resolve", {"resolution": " "}
    )
    assert resolved.status_code == 422
    assert (
        api(
            persona.comms, "post", f"/incidents/reports/{report}/reopen", {"reason": "x"}
        ).status_code
        == 422
    )
    note = api(coached, "post", f"/incidents/reports/{report}/notes", {"text": "Une précision."})
    assert note.status_code == 201 and note.json()["log"][-1]["text"] == "Une précision."


def test_internal_comms_set_the_response_targets(persona, coached, api) -> None:
    assert api(persona.marketer, "get", "/incidents/settings").status_code == 403
    assert api(persona.comms, "get", "/incidents/settings").json() == {
        "critical_minutes": 60,
        "high_minutes": 240,
        "low_working_days": 2,
    }
    changed = api(persona.comms, "patch", "/incidents/settings", {"critical_minutes": 30})
    assert changed.json()["critical_minutes"] == 30
    assert (
        api(persona.admin, "patch", "/incidents/settings", {"high_minutes": 1}).status_code == 422
    )
    report = api(coached, "post", "/incidents/reports", {**REPORT, "severity": "critical"}).json()
    found = ProblemReport.objects.get(pk=report["id"])
    assert round((found.due_at - found.opened_at).total_seconds()) == 1800
    low = api(coached, "post", "/incidents/reports", {**REPORT, "severity": "low"}).json()
    found = ProblemReport.objects.get(pk=low["id"])
    assert found.due_at.astimezone(found.opened_at.tzinfo).weekday() < 5
    assert timedelta(days=2) <= found.due_at - found.opened_at <= timedelta(days=4)
