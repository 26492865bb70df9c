"""/api/v1/learning: every operation, through HTTP, and the bad inputs the issue lists."""

from __future__ import annotations

import io
from typing import Any

import pytest
from PIL import Image

from ambassade.core.models import AuditEvent, DomainEvent
from ambassade.learning.models import Attempt, Module, ModuleVersion, Question, Requirement
from ambassade.learning.tests.conftest import QUESTIONS, enrol, right_answers, send

pytestmark = pytest.mark.django_db
MODULE = {
    "title_fr": "LinkedIn : soigner son profil",
    "title_en": "LinkedIn: a profile that works",
    "lesson_fr": "## Photo\n\nUne photo nette.",
    "lesson_en": "## Photo\n\nA clear photo.",
    "video_url": "https://videos.acme.example/linkedin.mp4",
    "duration_minutes": 8,
    "pass_mark": 50,
    "questions_per_attempt": 1,
    "refresher_months": 12,
}


def _field(response: Any) -> list[str]:
    return [detail["field"] for detail in response.json()["error"]["details"]]


def test_hr_writes_a_module_with_its_quiz_and_publishes_versions(
    persona, program, client_for
) -> None:
    client = client_for(persona.hr)
    created = send(client, "post", "/api/v1/learning/modules", MODULE)
    assert created.status_code == 201, created.content
    module_id = created.json()["id"]
    assert created.json()["status"] == "draft"
    for question in QUESTIONS:
        added = send(client, "post", f"/api/v1/learning/modules/{module_id}/questions", question)
        assert added.status_code == 201, added.content
    question_id = added.json()["id"]
    changed = send(
        client,
        "put",
        f"/api/v1/learning/modules/{module_id}/questions/{question_id}",
        {**QUESTIONS[1], "text_en": "What do you say when sharing?"},
    )
    assert changed.status_code == 200
    assert changed.json()["text_en"] == "What do you say when sharing?"
    required = send(
        client,
        "post",
        f"/api/v1/learning/modules/{module_id}/requirements",
        {"ambassador_type": "supporter", "network": "linkedin"},
    )
    assert required.status_code == 201, required.content
    published = client.post(f"/api/v1/learning/modules/{module_id}/publish")
    assert published.status_code == 200, published.content
    assert published.json()["number"] == 1
    again = client.post(f"/api/v1/learning/modules/{module_id}/publish")
    assert again.status_code == 422
    assert "Nothing changed since version 1" in again.json()["error"]["message"]
    patched = send(client, "patch", f"/api/v1/learning/modules/{module_id}", {"pass_mark": 100})
    assert patched.status_code == 200
    assert client.post(f"/api/v1/learning/modules/{module_id}/publish").json()["number"] == 2
    detail = client.get(f"/api/v1/learning/modules/{module_id}").json()
    assert detail["version"] == 2
    assert detail["requirements"] == [
        {
            "id": required.json()["id"],
            "ambassador_type": "supporter",
            "network": "linkedin",
            "required": True,
        }
    ]
    assert len(client.get("/api/v1/learning/modules").json()) == 1
    assert DomainEvent.objects.filter(name="learning.module_published").count() == 2
    assert AuditEvent.objects.filter(action="learning.module_published").count() == 2

    deleted = client.delete(f"/api/v1/learning/modules/{module_id}/questions/{question_id}")
    assert deleted.status_code == 204
    removed = client.delete(
        f"/api/v1/learning/modules/{module_id}/requirements/{required.json()['id']}"
    )
    assert removed.status_code == 204
    assert client.delete(f"/api/v1/learning/modules/{module_id}").json() == {"outcome": "archived"}
    assert Module.objects.get().status == "archived"


def test_an_image_is_re_encoded_and_a_draft_is_deleted(persona, client_for) -> None:
    client = client_for(persona.comms)
    module_id = send(client, "post", "/api/v1/learning/modules", MODULE).json()["id"]
    picture = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(picture, "PNG")
    picture.seek(0)
    picture.name = "profile.png"
    uploaded = client.post(f"/api/v1/learning/modules/{module_id}/image", {"image": picture})
    assert uploaded.status_code == 200, uploaded.content
    assert uploaded.json()["image_url"].endswith(".jpg")  # no transparency: JPEG
    text = io.BytesIO(b"not an image")
    text.name = "x.png"
    refused = client.post(f"/api/v1/learning/modules/{module_id}/image", {"image": text})
    assert refused.status_code == 422
    assert _field(refused) == ["image"]
    assert client.delete(f"/api/v1/learning/modules/{module_id}").json() == {"outcome": "deleted"}
    assert not Module.objects.exists()


def test_a_supporter_reads_takes_fails_retries_and_passes(
    persona, program, module, client_for
) -> None:
    enrol(program, persona.ambassador)
    client = client_for(persona.ambassador)
    path = client.get("/api/v1/learning/me/path").json()
    assert path["next_module_id"] == module.pk
    assert path["modules"][0]["state"] == "to_do" and path["modules"][0]["required"]
    lesson = client.get(f"/api/v1/learning/me/modules/{module.pk}").json()
    assert "<strong>yours</strong>" in lesson["lesson_html"]

    started = client.post(f"/api/v1/learning/me/modules/{module.pk}/attempts")
    assert started.status_code == 201
    body = started.json()
    assert len(body["questions"]) == 2
    assert all(choice["correct"] is None for q in body["questions"] for choice in q["choices"])
    attempt = Attempt.objects.get(pk=body["id"])
    wrong = {str(q["id"]): [q["choices"][-1]["id"]] for q in body["questions"]}
    failed = send(
        client, "post", f"/api/v1/learning/me/attempts/{attempt.pk}/submit", {"answers": wrong}
    )
    assert failed.status_code == 200
    assert failed.json()["passed"] is False and failed.json()["score"] == 0
    feedback = [
        c["feedback"] for q in failed.json()["questions"] for c in q["choices"] if c["chosen"]
    ]
    assert "No: your accounts stay yours." in feedback
    twice = send(
        client,
        "post",
        f"/api/v1/learning/me/attempts/{attempt.pk}/submit",
        {"answers": right_answers(attempt)},
    )
    assert twice.status_code == 422
    assert _field(twice) == ["attempt"]

    retry = Attempt.objects.get(
        pk=client.post(f"/api/v1/learning/me/modules/{module.pk}/attempts").json()["id"]
    )
    passed = send(
        client,
        "post",
        f"/api/v1/learning/me/attempts/{retry.pk}/submit",
        {"answers": right_answers(retry)},
    )
    assert passed.json()["passed"] is True and passed.json()["score"] == 100
    assert client.get(f"/api/v1/learning/me/attempts/{retry.pk}").json()["version"] == 1
    assert client.get("/api/v1/learning/me/path").json()["modules"][0]["state"] == "passed"
    assert DomainEvent.objects.get(name="learning.module_passed").payload["person_id"] == (
        persona.ambassador.pk
    )
    report = client_for(persona.hr).get("/api/v1/learning/progress").json()
    assert report["modules"][0]["total"]["concerned"] == 1
    assert report["modules"][0]["total"]["passed"] == 1
    assert report["modules"][0]["departments"] == []  # one person: below the smallest group
    assert report["modules"][0]["withheld"] == 1


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"pass_mark": 101}, "pass_mark", "The pass mark is a percentage from 1 to 100."),
        ({"pass_mark": 0}, "pass_mark", "The pass mark is a percentage from 1 to 100."),
        ({"video_url": "http://youtube.com/x"}, "video_url", "starting with https://"),
        ({"title_en": "   "}, "title_en", ""),
        ({"refresher_months": 0}, "refresher_months", "from 1 to 120"),
        ({"duration_minutes": 0}, "duration_minutes", "from 1 to 600"),
    ],
)
def test_bad_module_input_is_a_422_naming_the_field(
    persona, client_for, changes, field, message
) -> None:
    refused = send(client_for(persona.hr), "post", "/api/v1/learning/modules", MODULE | changes)
    assert refused.status_code == 422, refused.content
    assert field in _field(refused)
    assert message in refused.content.decode()
    assert not Module.objects.exists()


ONE_CHOICE = {**QUESTIONS[0], "choices": QUESTIONS[0]["choices"][:1]}
NONE_RIGHT = {**QUESTIONS[0], "choices": [dict(c, correct=False) for c in QUESTIONS[0]["choices"]]}
TWO_RIGHT_SINGLE = {
    **QUESTIONS[0],
    "choices": [dict(c, correct=True) for c in QUESTIONS[0]["choices"]],
}


@pytest.mark.parametrize(
    ("question", "message"),
    [
        (ONE_CHOICE, "A question needs at least two answers to choose from."),
        (NONE_RIGHT, "Mark at least one answer as right."),
        (TWO_RIGHT_SINGLE, "A single-choice question has one right answer"),
    ],
)
def test_bad_questions_are_refused_and_nothing_is_written(
    persona, client_for, question, message
) -> None:
    client = client_for(persona.hr)
    module_id = send(client, "post", "/api/v1/learning/modules", MODULE).json()["id"]
    refused = send(client, "post", f"/api/v1/learning/modules/{module_id}/questions", question)
    assert refused.status_code == 422
    assert _field(refused) == ["choices"]
    assert message in refused.content.decode()
    assert not Question.objects.exists()


def test_a_module_without_a_quiz_is_not_published(persona, client_for) -> None:
    client = client_for(persona.hr)
    module_id = send(client, "post", "/api/v1/learning/modules", MODULE).json()["id"]
    refused = client.post(f"/api/v1/learning/modules/{module_id}/publish")
    assert refused.status_code == 422
    assert "questions" in _field(refused)
    assert not ModuleVersion.objects.exists()


def test_a_requirement_for_a_type_or_network_that_does_not_exist_is_refused(
    persona, program, client_for
) -> None:
    client = client_for(persona.hr)
    module_id = send(client, "post", "/api/v1/learning/modules", MODULE).json()["id"]
    url = f"/api/v1/learning/modules/{module_id}/requirements"
    unknown_type = send(client, "post", url, {"ambassador_type": "astronaut"})
    assert unknown_type.status_code == 422
    assert _field(unknown_type) == ["ambassador_type"]
    assert "no ambassador type “astronaut”" in unknown_type.json()["error"]["message"]
    unknown_network = send(client, "post", url, {"network": "myspace"})
    assert _field(unknown_network) == ["network"]
    assert send(client, "post", url, {"ambassador_type": "supporter"}).status_code == 201
    twice = send(client, "post", url, {"ambassador_type": "supporter"})
    assert twice.status_code == 422
    assert Requirement.objects.count() == 1


def test_answers_outside_the_attempt_are_refused(persona, program, module, client_for) -> None:
    enrol(program, persona.ambassador)
    client = client_for(persona.ambassador)
    attempt_id = client.post(f"/api/v1/learning/me/modules/{module.pk}/attempts").json()["id"]
    attempt = Attempt.objects.get(pk=attempt_id)
    url = f"/api/v1/learning/me/attempts/{attempt_id}/submit"
    answers = right_answers(attempt)
    stranger = send(client, "post", url, {"answers": {**answers, "999999": [1]}})
    assert stranger.status_code == 422
    assert "Question 999999 is not in this attempt." in stranger.content.decode()
    first = next(iter(answers))
    foreign_choice = send(client, "post", url, {"answers": {**answers, first: [999999]}})
    assert foreign_choice.status_code == 422
    missing = send(client, "post", url, {"answers": {first: answers[first]}})
    assert "Answer every question (1 left)." in missing.content.decode()
    single = next(str(q["id"]) for q in attempt.version.questions if not q["multiple"])
    both = [
        c["id"] for q in attempt.version.questions if str(q["id"]) == single for c in q["choices"]
    ]
    several = send(client, "post", url, {"answers": {**answers, single: both}})
    assert "takes one answer only" in several.content.decode()
    attempt.refresh_from_db()
    assert attempt.submitted_at is None and attempt.answers is None
    other = send(client_for(persona.employee), "post", url, {"answers": answers})
    assert other.status_code == 404


def test_who_may_do_what(persona, module, client_for) -> None:
    for name in ("ambassador", "employee", "sales", "coach"):
        client = client_for(getattr(persona, name))
        assert client.get("/api/v1/learning/modules").status_code == 403
        assert send(client, "post", "/api/v1/learning/modules", MODULE).status_code == 403
    for name in ("admin", "hr", "comms", "marketer"):
        assert client_for(getattr(persona, name)).get("/api/v1/learning/modules").status_code == 200
    outsider = client_for(persona.outsider)
    assert outsider.get(f"/api/v1/learning/modules/{module.pk}").status_code == 404
    assert outsider.get(f"/api/v1/learning/me/modules/{module.pk}").status_code == 404
    assert client_for(persona.employee).get("/api/v1/learning/progress").status_code == 403
    # A coach owning no program sees no one.
    assert (
        client_for(persona.coach)
        .get("/api/v1/learning/progress")
        .json()["modules"][0]["total"]["concerned"]
        == 0
    )
