"""The pages: the ambassador asks and reads the answer, the coach answers and reviews, HR
assigns by group and one by one, who may post the assignment forms, the first step."""

from __future__ import annotations

import pytest

from ambassade.coaching.models import CoachAssignment, CoachCapacity, ProfileReview, Question
from ambassade.coaching.tests.conftest import png
from ambassade.core.roles import Role
from ambassade.notifications.models import Notification
from ambassade.people.first_steps import first_steps
from ambassade.testing.factories import DepartmentFactory, PersonFactory

pytestmark = pytest.mark.django_db
PERSONAS = ["admin", "marketer", "hr", "comms", "sales", "coach", "ambassador", "employee"]


def test_the_ambassador_asks_on_the_page_and_the_coach_answers_on_theirs(
    coached, client_for, run_events
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    ambassador = client_for(coached.ambassador)
    page = ambassador.get("/me/coach/").content.decode()
    assert coached.coach.full_name in page
    shot = SimpleUploadedFile("shot.png", png(), content_type="image/png")
    sent = run_events(
        lambda: ambassador.post("/me/coach/", {"text": "Comment répondre ?", "screenshot": shot})
    )
    question = Question.objects.get()
    assert sent["Location"] == f"/me/coach/questions/{question.pk}/"
    assert question.screenshot.endswith(".jpg")  # re-encoded
    coach = client_for(coached.coach)
    bell = coach.get("/console/notifications/").content.decode()
    assert coached.ambassador.full_name in bell
    listing = coach.get("/console/coaching/").content.decode()
    assert "Comment répondre ?" in listing
    run_events(
        lambda: coach.post(f"/console/coaching/questions/{question.pk}/", {"text": "En privé."})
    )
    assert Notification.objects.filter(person=coached.ambassador, kind="coaching_answer").exists()
    thread = ambassador.get(f"/me/coach/questions/{question.pk}/").content.decode()
    assert "En privé." in thread
    closed = ambassador.post(f"/coaching/questions/{question.pk}/close")
    assert closed["Location"] == f"/me/coach/questions/{question.pk}/"
    question.refresh_from_db()
    assert question.status == Question.Status.CLOSED


def test_an_ambassador_without_a_coach_reads_so(persona, client_for) -> None:
    page = client_for(persona.ambassador).get("/me/coach/").content.decode()
    assert "You have no coach yet." in page
    assert 'enctype="multipart/form-data"' not in page


def test_a_coach_who_leaves_leaves_their_ambassadors_without_one(coached, client_for) -> None:
    coached.coach.employment_status = "left"
    coached.coach.save()
    assert (
        "You have no coach yet."
        in client_for(coached.ambassador).get("/me/coach/").content.decode()
    )
    page = client_for(coached.hr).get("/console/coaching/assignments/").content.decode()
    assert "1 ambassador without a coach" in page


def test_hr_assigns_a_group_and_one_person_on_the_page(persona, client_for) -> None:
    sales = DepartmentFactory(organisation=persona.organisation, name="Ventes")
    people = [
        PersonFactory(organisation=persona.organisation, department=sales, roles=[Role.AMBASSADOR])
        for _ in range(2)
    ]
    hr = client_for(persona.hr)
    done = hr.post(
        "/console/coaching/assignments/",
        {"assign_group": "1", "group-coach": persona.coach.pk, "group-department": [sales.pk]},
    )
    assert done.status_code == 302
    assert CoachAssignment.objects.filter(coach=persona.coach).count() == 2
    CoachCapacity.objects.create(organisation=persona.organisation, coach=persona.coach, capacity=2)
    refused = hr.post(
        "/console/coaching/assignments/",
        {"assign_one": "1", "one-coach": persona.coach.pk, "one-ambassador": persona.ambassador.pk},
    )
    assert refused.status_code == 200
    assert "past their capacity" in refused.content.decode()
    assert not CoachAssignment.objects.filter(ambassador=persona.ambassador).exists()
    assert {a.ambassador_id for a in CoachAssignment.objects.all()} == {p.pk for p in people}


def test_only_hr_and_admins_post_assignments_and_capacities(coached, client_for) -> None:
    url = f"/console/coaching/assignments/{coached.ambassador.pk}/remove"
    for name in PERSONAS:
        client = client_for(getattr(coached, name))
        capacity = client.post(
            f"/console/coaching/coaches/{coached.coach.pk}/capacity", {"capacity": 9}
        )
        assert capacity.status_code == (302 if name in {"admin", "hr"} else 403), name
        if name not in {"admin", "hr"}:
            assert client.post(url).status_code == 403, name
    assert CoachCapacity.objects.get(coach=coached.coach).capacity == 9
    assert CoachAssignment.objects.exists()
    assert client_for(coached.outsider).post(url).status_code == 404  # another organisation's
    assert client_for(coached.hr).post(url).status_code == 302
    assert not CoachAssignment.objects.exists()


def test_the_checklist_counts_for_the_first_step_and_the_coach_reviews_it(
    coached, client_for
) -> None:
    from ambassade.coaching.checklist import ITEMS

    ambassador = client_for(coached.ambassador)
    saved = ambassador.post(
        "/me/profile-checklist/",
        {"network": "linkedin", "items": list(ITEMS), "ask_review": "1"},
    )
    assert saved["Location"] == "/me/profile-checklist/#network-linkedin"
    review = ProfileReview.objects.get()
    from ambassade.coaching.receivers import profile_step

    assert profile_step(None, coached.ambassador)[0].done
    steps = first_steps(coached.ambassador)
    assert all(step.url != "/me/profile-checklist/" or step.done for step in steps)
    coach = client_for(coached.coach)
    assert coached.ambassador.full_name in coach.get("/console/coaching/").content.decode()
    form = {f"verdict_{code}": "ok" for code in ITEMS} | {"comment_photo": "Très bien."}
    assert coach.post(f"/console/coaching/reviews/{review.pk}/", form).status_code == 302
    page = ambassador.get("/me/profile-checklist/").content.decode()
    assert "Très bien." in page
