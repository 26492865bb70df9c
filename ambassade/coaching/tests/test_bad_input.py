"""Bad input gets a clear message on the field at fault, and nothing is half-written."""

from __future__ import annotations

import base64

import pytest

from ambassade.coaching.models import CoachAssignment, CoachCapacity, Question
from ambassade.coaching.tests.conftest import send
from ambassade.core.roles import Role
from ambassade.testing.factories import DepartmentFactory, PersonFactory

pytestmark = pytest.mark.django_db


def _fields(response) -> list[str]:
    assert response.status_code == 422, response.content
    return [detail["field"] for detail in response.json()["error"]["details"]]


def test_only_a_coach_can_be_assigned(persona, client_for) -> None:
    response = send(
        client_for(persona.hr),
        "post",
        "/api/v1/coaching/assignments",
        {"ambassador_id": persona.ambassador.pk, "coach_id": persona.marketer.pk},
    )
    assert _fields(response) == ["coach_id"]
    assert "coach role" in response.json()["error"]["message"]
    assert not CoachAssignment.objects.exists()


def test_a_group_past_capacity_is_refused_whole(persona, client_for) -> None:
    CoachCapacity.objects.create(organisation=persona.organisation, coach=persona.coach, capacity=2)
    sales = DepartmentFactory(organisation=persona.organisation)
    for _ in range(3):
        PersonFactory(organisation=persona.organisation, department=sales, roles=[Role.AMBASSADOR])
    response = send(
        client_for(persona.hr),
        "post",
        "/api/v1/coaching/assignments/by-audience",
        {"coach_id": persona.coach.pk, "audience": {"department": [str(sales.pk)]}},
    )
    assert _fields(response) == ["coach_id"]
    assert "capacity" in response.json()["error"]["message"]
    assert not CoachAssignment.objects.exists()  # not two of the three


def test_one_past_capacity_is_refused(coached, client_for) -> None:
    CoachCapacity.objects.create(organisation=coached.organisation, coach=coached.coach, capacity=1)
    other = PersonFactory(organisation=coached.organisation, roles=[Role.AMBASSADOR])
    response = send(
        client_for(coached.hr),
        "post",
        "/api/v1/coaching/assignments",
        {"ambassador_id": other.pk, "coach_id": coached.coach.pk},
    )
    assert _fields(response) == ["coach_id"]
    assert CoachAssignment.objects.count() == 1


@pytest.mark.parametrize("text", ["", "   "])
def test_a_question_needs_text(coached, client_for, text) -> None:
    response = send(
        client_for(coached.ambassador), "post", "/api/v1/me/coach/questions", {"text": text}
    )
    assert _fields(response) == ["text"]
    assert not Question.objects.exists()


def test_a_question_without_a_coach_says_so(persona, client_for) -> None:
    response = send(
        client_for(persona.ambassador), "post", "/api/v1/me/coach/questions", {"text": "Bonjour"}
    )
    assert _fields(response) == ["text"]
    assert "no coach" in response.json()["error"]["message"]


@pytest.mark.parametrize(
    ("screenshot", "field"),
    [
        (base64.b64encode(b"%PDF-1.4 not an image").decode(), "screenshot"),
        ("@@not base64@@", "screenshot_base64"),
    ],
)
def test_a_screenshot_that_is_not_an_image_is_refused(
    coached, client_for, screenshot, field
) -> None:
    response = send(
        client_for(coached.ambassador),
        "post",
        "/api/v1/me/coach/questions",
        {"text": "Regarde", "screenshot_base64": screenshot},
    )
    assert _fields(response) == [field]
    assert not Question.objects.exists()


def test_a_screenshot_too_big_is_refused_on_the_page(coached, client_for) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    big = SimpleUploadedFile("big.png", b"\x89PNG" + b"0" * 5_000_001, content_type="image/png")
    response = client_for(coached.ambassador).post(
        "/me/coach/", {"text": "Regarde", "screenshot": big}
    )
    assert response.status_code == 200
    assert "larger than 5 MB" in response.content.decode()
    assert not Question.objects.exists()


def test_an_answer_by_someone_who_is_not_the_coach(coached, client_for) -> None:
    question = Question.objects.create(
        organisation=coached.organisation, ambassador=coached.ambassador, text="?"
    )
    for name in ["hr", "admin", "marketer"]:
        response = send(
            client_for(getattr(coached, name)),
            "post",
            f"/api/v1/coaching/questions/{question.pk}/replies",
            {"text": "Je réponds"},
        )
        assert response.status_code == 403, name
    assert not question.replies.exists()


def test_a_review_must_cover_every_item_with_a_known_verdict(coached, client_for) -> None:
    send(client_for(coached.ambassador), "post", "/api/v1/me/profile-checklist/linkedin/review")
    review_id = coached.ambassador.profile_reviews.get().pk
    coach = client_for(coached.coach)
    partial = send(
        coach,
        "post",
        f"/api/v1/coaching/reviews/{review_id}",
        {"verdicts": [{"item": "photo", "verdict": "ok"}]},
    )
    assert _fields(partial) == ["verdicts"]
    wrong = send(
        coach,
        "post",
        f"/api/v1/coaching/reviews/{review_id}",
        {"verdicts": [{"item": "photo", "verdict": "great"}]},
    )
    assert "verdicts.photo" in _fields(wrong)
    assert not coached.ambassador.profile_reviews.get().verdicts.exists()


def test_an_unknown_network_or_item(coached, client_for) -> None:
    client = client_for(coached.ambassador)
    assert _fields(send(client, "put", "/api/v1/me/profile-checklist/myspace", {"items": []})) == [
        "network"
    ]
    assert _fields(
        send(client, "put", "/api/v1/me/profile-checklist/linkedin", {"items": ["cat"]})
    ) == ["items"]
