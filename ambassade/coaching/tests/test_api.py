"""/api/v1 coaching operations, each through HTTP: assignments, my coach, questions and
their threads, the profile checklist and reviews, the overview, the explanations."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ambassade.coaching.models import CoachAssignment, Question
from ambassade.coaching.tests.conftest import png, send
from ambassade.core.models import AuditEvent, DomainEvent
from ambassade.core.roles import Role
from ambassade.notifications.models import Notification
from ambassade.testing.factories import DepartmentFactory, PersonFactory

pytestmark = pytest.mark.django_db


def test_hr_assigns_one_lists_and_unassigns(persona, client_for) -> None:
    hr = client_for(persona.hr)
    created = send(
        hr,
        "post",
        "/api/v1/coaching/assignments",
        {"ambassador_id": persona.ambassador.pk, "coach_id": persona.coach.pk},
    )
    assert created.status_code == 201, created.content
    assert created.json()["coach_name"] == persona.coach.full_name
    listed = hr.get("/api/v1/coaching/assignments").json()
    assert [row["ambassador_id"] for row in listed["items"]] == [persona.ambassador.pk]
    assert hr.get("/api/v1/coaching/unassigned").json()["count"] == 0
    assert hr.delete(f"/api/v1/coaching/assignments/{persona.ambassador.pk}").status_code == 204
    unassigned = hr.get("/api/v1/coaching/unassigned").json()
    assert [row["id"] for row in unassigned["items"]] == [persona.ambassador.pk]
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"coaching.assigned", "coaching.unassigned"} <= actions


def test_hr_assigns_a_department_at_once_within_capacity(persona, client_for) -> None:
    sales = DepartmentFactory(organisation=persona.organisation, name="Ventes")
    people = [
        PersonFactory(organisation=persona.organisation, department=sales, roles=[Role.AMBASSADOR])
        for _ in range(3)
    ]
    PersonFactory(organisation=persona.organisation, department=sales)  # no ambassador role
    hr = client_for(persona.hr)
    capacity = send(
        hr, "put", f"/api/v1/coaching/coaches/{persona.coach.pk}/capacity", {"capacity": 3}
    )
    assert capacity.json()["capacity"] == 3
    done = send(
        hr,
        "post",
        "/api/v1/coaching/assignments/by-audience",
        {"coach_id": persona.coach.pk, "audience": {"department": [str(sales.pk)]}},
    )
    assert done.status_code == 200, done.content
    assert done.json() == {"assigned": 3}
    assert set(CoachAssignment.objects.values_list("ambassador_id", flat=True)) == {
        person.pk for person in people
    }


def test_the_ambassador_asks_the_coach_answers_and_each_is_told(
    coached, client_for, run_events
) -> None:
    ambassador = client_for(coached.ambassador)
    coach = client_for(coached.coach)
    assert ambassador.get("/api/v1/me/coach").json()["coach"]["id"] == coached.coach.pk
    asked = run_events(
        lambda: send(
            ambassador,
            "post",
            "/api/v1/me/coach/questions",
            {
                "text": "Puis-je partager l'article du salon ?",
                "screenshot_base64": base64.b64encode(png()).decode(),
            },
        )
    )
    assert asked.status_code == 201, asked.content
    question = asked.json()
    assert question["has_screenshot"] is True
    assert ambassador.get(question["screenshot_url"])["Content-Type"] == "image/jpeg"
    told = Notification.objects.get(person=coached.coach, kind="coaching_question")
    assert told.url == f"/console/coaching/questions/{question['id']}/"
    assert "Puis-je" not in told.title + told.body  # the notice says who, not what

    threads = coach.get("/api/v1/coaching/questions").json()
    assert [row["id"] for row in threads["items"]] == [question["id"]]
    answered = run_events(
        lambda: send(
            coach,
            "post",
            f"/api/v1/coaching/questions/{question['id']}/replies",
            {"text": "Oui, avec ton avis en une phrase."},
        )
    )
    assert answered.status_code == 201, answered.content
    assert Notification.objects.filter(person=coached.ambassador, kind="coaching_answer").exists()
    names = list(DomainEvent.objects.order_by("id").values_list("name", flat=True))
    assert names == ["coaching.question_asked", "coaching.question_answered"]

    thread = ambassador.get(f"/api/v1/coaching/questions/{question['id']}").json()
    assert [reply["text"] for reply in thread["replies"]] == ["Oui, avec ton avis en une phrase."]
    assert thread["first_answered_at"] is not None
    mine = ambassador.get("/api/v1/me/coach/questions").json()
    assert mine["items"][0]["id"] == question["id"]

    closed = send(ambassador, "post", f"/api/v1/coaching/questions/{question['id']}/close")
    assert closed.json()["status"] == "closed"
    again = send(
        coach, "post", f"/api/v1/coaching/questions/{question['id']}/replies", {"text": "x"}
    )
    assert again.status_code == 422


def test_the_checklist_is_ticked_reviewed_item_by_item_and_read_back(coached, client_for) -> None:
    ambassador = client_for(coached.ambassador)
    coach = client_for(coached.coach)
    ticked = send(
        ambassador, "put", "/api/v1/me/profile-checklist/linkedin", {"items": ["photo", "headline"]}
    )
    assert ticked.status_code == 200, ticked.content
    linkedin = next(row for row in ticked.json() if row["network"] == "linkedin")
    assert [line["item"] for line in linkedin["items"] if line["done"]] == ["photo", "headline"]
    asked = send(ambassador, "post", "/api/v1/me/profile-checklist/linkedin/review")
    assert asked.status_code == 201
    review_id = asked.json()["id"]
    waiting = coach.get("/api/v1/coaching/reviews").json()
    assert [row["id"] for row in waiting["items"]] == [review_id]
    assert coach.get(f"/api/v1/coaching/reviews/{review_id}").json()["status"] == "requested"
    verdicts = [
        {"item": code, "verdict": "ok", "comment": ""}
        for code in ["photo", "employer", "summary", "separation", "privacy"]
    ] + [{"item": "headline", "verdict": "improve", "comment": "Dis ce que tu apportes."}]
    given = send(coach, "post", f"/api/v1/coaching/reviews/{review_id}", {"verdicts": verdicts})
    assert given.status_code == 200, given.content
    assert given.json()["status"] == "done"
    read = ambassador.get("/api/v1/me/profile-checklist").json()
    headline = next(
        line
        for line in next(row for row in read if row["network"] == "linkedin")["items"]
        if line["item"] == "headline"
    )
    assert (headline["verdict"], headline["comment"]) == ("improve", "Dis ce que tu apportes.")


def test_the_overview_gives_counts_and_times(coached, client_for) -> None:
    Question.objects.create(
        organisation=coached.organisation, ambassador=coached.ambassador, text="?"
    )
    body = client_for(coached.hr).get("/api/v1/coaching/overview").json()
    assert body["questions_asked"] == 1 and body["open_questions"] == 1
    row = next(row for row in body["coaches"] if row["coach_id"] == coached.coach.pk)
    assert (row["ambassadors"], row["open_questions"], row["median_first_answer_seconds"]) == (
        1,
        1,
        None,
    )


def test_comms_writes_the_organisations_explanation(persona, client_for) -> None:
    comms = client_for(persona.comms)
    saved = send(
        comms,
        "put",
        "/api/v1/coaching/checklist/explanations/linkedin",
        {"texts": {"employer": "Écrivez « Groupe Verdier » et liez la page."}},
    )
    assert saved.status_code == 200, saved.content
    employer = next(
        row for row in saved.json() if row["network"] == "linkedin" and row["item"] == "employer"
    )
    assert employer["text"].startswith("Écrivez")
    listed = client_for(persona.ambassador).get("/api/v1/me/profile-checklist").json()
    line = next(
        line
        for line in next(row for row in listed if row["network"] == "linkedin")["items"]
        if line["item"] == "employer"
    )
    assert line["explanation"].startswith("Écrivez")


def test_the_coachs_list_of_threads_takes_the_same_queries_for_many(coached, client_for) -> None:
    coach = client_for(coached.coach)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert coach.get("/api/v1/coaching/questions").status_code == 200
        return len(captured)

    Question.objects.create(
        organisation=coached.organisation, ambassador=coached.ambassador, text="1"
    )
    few = queries()
    for number in range(8):
        other: Any = PersonFactory(organisation=coached.organisation, roles=[Role.AMBASSADOR])
        CoachAssignment.objects.create(
            organisation=coached.organisation, coach=coached.coach, ambassador=other
        )
        Question.objects.create(
            organisation=coached.organisation, ambassador=other, text=str(number)
        )
    assert queries() == few
