"""A question is read by the ambassador who asked and their coach, nobody else: HR and
admins see that threads exist and how fast they are answered, never what they say; another
coach can neither read nor answer; the screenshot is theirs only too."""

from __future__ import annotations

import pytest

from ambassade.coaching import actions
from ambassade.coaching.models import CoachAssignment, Question
from ambassade.coaching.tests.conftest import png, send
from ambassade.core.authz import actor_for_person

pytestmark = pytest.mark.django_db
SECRET = "Mon manager a commenté mon post, je ne sais pas quoi répondre"


@pytest.fixture
def asked(coached) -> Question:
    question = actions.ask(actor_for_person(coached.ambassador), SECRET, png())
    actions.reply(actor_for_person(coached.coach), question.pk, "Réponds-lui en privé d'abord.")
    return question


HR_PAGES = ["/console/coaching/overview/", "/console/coaching/assignments/", "/console/audit/"]
HR_API = [
    "/api/v1/coaching/overview",
    "/api/v1/coaching/assignments",
    "/api/v1/coaching/unassigned",
    "/api/v1/audit",
]


@pytest.mark.parametrize("name", ["hr", "admin"])
def test_hr_and_admins_see_figures_never_the_text(asked, client_for, name) -> None:
    client = client_for(asked.organisation.people.get(email=f"{name}@example.com"))
    for url in HR_PAGES + HR_API:
        response = client.get(url)
        if response.status_code == 403:
            continue  # HR has no audit log
        assert response.status_code == 200, url
        body = response.content.decode()
        assert "Mon manager" not in body and "en privé" not in body, url
    overview = client.get("/api/v1/coaching/overview").json()
    assert overview["questions_asked"] == 1
    assert overview["coaches"][0]["median_first_answer_seconds"] is not None
    for url in [
        f"/api/v1/coaching/questions/{asked.pk}",
        f"/console/coaching/questions/{asked.pk}/",
        f"/me/coach/questions/{asked.pk}/",
        f"/coaching/questions/{asked.pk}/screenshot",
    ]:
        assert client.get(url).status_code in {403, 404}, url


def test_another_coach_can_neither_read_nor_answer_nor_close(
    asked, other_coach, client_for
) -> None:
    client = client_for(other_coach)
    assert client.get("/api/v1/coaching/questions").json()["count"] == 0
    assert client.get(f"/api/v1/coaching/questions/{asked.pk}").status_code == 404
    assert client.get(f"/console/coaching/questions/{asked.pk}/").status_code == 404
    assert client.get(f"/coaching/questions/{asked.pk}/screenshot").status_code == 404
    answer = send(client, "post", f"/api/v1/coaching/questions/{asked.pk}/replies", {"text": "Moi"})
    assert answer.status_code == 404
    assert (
        client.post(f"/console/coaching/questions/{asked.pk}/", {"text": "Moi"}).status_code == 404
    )
    assert send(client, "post", f"/api/v1/coaching/questions/{asked.pk}/close").status_code == 404
    asked.refresh_from_db()
    assert asked.status == Question.Status.OPEN and asked.replies.count() == 1


def test_another_ambassador_cannot_read_it(asked, client_for) -> None:
    from ambassade.core.roles import Role
    from ambassade.testing.factories import PersonFactory

    someone = PersonFactory(
        organisation=asked.organisation, roles=[Role.AMBASSADOR], with_user=True
    )
    client = client_for(someone)
    assert client.get(f"/api/v1/coaching/questions/{asked.pk}").status_code == 404
    assert client.get(f"/me/coach/questions/{asked.pk}/").status_code == 404


def test_a_reassigned_ambassadors_threads_follow_them(asked, other_coach, client_for) -> None:
    CoachAssignment.objects.filter(ambassador=asked.ambassador).update(coach=other_coach)
    assert client_for(other_coach).get(f"/api/v1/coaching/questions/{asked.pk}").status_code == 200
    former = asked.organisation.people.get(email="coach@example.com")
    assert client_for(former).get(f"/api/v1/coaching/questions/{asked.pk}").status_code == 404
