"""The alumni space through HTTP: the pages an alumni ambassador opens, their feed of
items marked for alumni only, and sharing only under the alumni charter, with the
alumni disclosure on the post (docs/decisions/0039-alumni-ambassadors.md)."""

from __future__ import annotations

import pytest
from django.test import Client

from ambassade.alumni.tests.conftest import make_item, publish_charter
from ambassade.content.models import ContentSettings, Kind
from ambassade.programs.models import Enrolment
from ambassade.sharing.models import ShareTarget, SocialAccount
from ambassade.sharing.networks.base import Credentials
from ambassade.sharing.tests.conftest import PERSONAL

pytestmark = pytest.mark.django_db

ALUMNI_PAGES = [
    "/feed/",
    "/me/",
    "/me/home/",
    "/me/programs/",
    "/me/accounts/",
    "/me/posts/",
    "/me/schedule/",
    "/me/figures/",
    "/me/alumni/",
    "/me/alumni/directory/",
    "/me/tokens/",
]


@pytest.mark.parametrize("path", ALUMNI_PAGES)
def test_the_alumni_opens_their_space(alumni, client_for, path) -> None:
    assert client_for(alumni).get(path).status_code == 200


def test_the_phone_bar_and_my_space_only_link_to_pages_they_open(alumni, client_for) -> None:
    client = client_for(alumni)
    page = client.get("/me/").content.decode()
    for link in ["/feed/", "/me/posts/", "/me/figures/", "/me/accounts/", "/me/programs/"]:
        assert f'href="{link}"' in page
    assert 'href="/console/' not in page
    assert 'href="/me/suggest/' not in page


def _token(client: Client, scopes: list[str]) -> Client:
    secret = client.post(
        "/api/v1/tokens", {"name": "phone", "scopes": scopes}, content_type="application/json"
    ).json()["secret"]
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def test_the_feed_shows_only_published_items_marked_for_alumni(
    persona, program, alumni, client_for
) -> None:
    make_item(persona, program, "Portes ouvertes anciens", for_alumni=True)
    make_item(persona, program, "Nouvelle usine à Lyon")
    make_item(persona, program, "Note interne", kind=Kind.INTERNAL_NEWS, for_alumni=True, url="")
    make_item(persona, program, "Brouillon anciens", for_alumni=True, status="draft")
    page = client_for(alumni).get("/feed/").content.decode()
    assert "Portes ouvertes anciens" in page
    assert "For the alumni, in French" in page  # why the item is in their feed
    for hidden in ["Nouvelle usine à Lyon", "Note interne", "Brouillon anciens"]:
        assert hidden not in page
    api = _token(client_for(alumni), ["content:read"])
    titles = [row["title"] for row in api.get("/api/v1/feed").json()["items"]]
    assert titles == ["Portes ouvertes anciens"]
    # Employees still see every item of their feed.
    employee_page = client_for(persona.employee).get("/feed/").content.decode()
    assert "Nouvelle usine à Lyon" in employee_page


def test_not_enrolled_as_alumni_means_an_empty_feed(persona, program, alumni, client_for) -> None:
    make_item(persona, program, "Portes ouvertes anciens", for_alumni=True)
    Enrolment.objects.filter(person=alumni).update(status=Enrolment.Status.ENDED)
    assert "Portes ouvertes anciens" not in client_for(alumni).get("/feed/").content.decode()


@pytest.fixture
def alumni_account(alumni, fake) -> SocialAccount:
    found = SocialAccount(
        organisation=alumni.organisation,
        person=alumni,
        network="fakenet",
        remote_id="fake-9",
        handle="@ines@fake",
    )
    found.store(Credentials(secrets={"token": "tok-alumni"}))
    found.save()
    return found


def _share(api: Client, item_id: int, account_id: int):
    return api.post(
        "/api/v1/sharing/shares",
        {"item_id": item_id, "message": PERSONAL, "targets": [{"account_id": account_id}]},
        content_type="application/json",
    )


def test_an_alumni_post_carries_the_alumni_disclosure(
    persona, program, alumni, alumni_account, fake, client_for, django_capture_on_commit_callbacks
) -> None:
    item = make_item(persona, program, "Portes ouvertes anciens", for_alumni=True)
    api = _token(client_for(alumni), ["sharing:write", "sharing:read"])
    with django_capture_on_commit_callbacks(execute=True):
        answer = _share(api, item.pk, alumni_account.pk)
    assert answer.status_code == 201, answer.content
    assert ShareTarget.objects.get().status == "published"
    # In the item's language (French here), as the organisation kept the default.
    assert fake.posted[-1].text.endswith("Ancien·ne de Acme")
    assert PERSONAL in fake.posted[-1].text


def test_the_organisation_words_its_alumni_disclosure(
    persona, program, alumni, alumni_account, fake, client_for, django_capture_on_commit_callbacks
) -> None:
    ContentSettings.objects.update_or_create(
        organisation=persona.organisation,
        defaults={"alumni_disclosure": "#AncienAcme de {organisation}"},
    )
    item = make_item(persona, program, "Portes ouvertes anciens", for_alumni=True)
    api = _token(client_for(alumni), ["sharing:write"])
    with django_capture_on_commit_callbacks(execute=True):
        assert _share(api, item.pk, alumni_account.pk).status_code == 201
    assert fake.posted[-1].text.endswith("#AncienAcme de Acme")


def test_no_post_without_the_current_alumni_charter(
    persona, program, alumni, alumni_account, fake, client_for, general_charter
) -> None:
    item = make_item(persona, program, "Portes ouvertes anciens", for_alumni=True)
    # Accepted the general charter only: refused.
    Enrolment.objects.filter(person=alumni).update(accepted_version=general_charter)
    api = _token(client_for(alumni), ["sharing:write"])
    refused = _share(api, item.pk, alumni_account.pk)
    assert refused.status_code in {403, 422}, refused.content
    assert not ShareTarget.objects.exists()
    assert not fake.posted


def test_a_new_alumni_charter_pauses_the_alumni_not_the_employees(
    persona, program, alumni, client_for, general_charter
) -> None:
    from ambassade.programs.models import AmbassadorType

    supporter, _ = AmbassadorType.objects.get_or_create(
        organisation=persona.organisation, kind="supporter"
    )
    employee = Enrolment.objects.create(
        program=program,
        person=persona.ambassador,
        ambassador_type=supporter,
        accepted_version=general_charter,
    )
    hr = client_for(persona.hr)
    draft = hr.post(
        f"/console/programs/{program.pk}/charter/",
        {
            "ambassador_kind": "alumni",
            "body_fr": "## Charte des anciens\n\nTexte.",
            "body_en": "## Alumni charter\n\nText.",
            "change_summary": "Nouvelle version pour les anciens.",
        },
    )
    assert draft.status_code == 302, draft.content
    version = program.charter_versions.order_by("-number").first()
    assert version.ambassador_kind == "alumni"
    hr.post(f"/console/programs/{program.pk}/charter/{version.pk}/publish")
    version.refresh_from_db()
    assert version.is_published
    assert Enrolment.objects.get(person=alumni).status == Enrolment.Status.PAUSED
    employee.refresh_from_db()
    assert employee.status == Enrolment.Status.ACTIVE
    # The alumni reads and accepts the new alumni version, not the general one.
    enrolment = Enrolment.objects.get(person=alumni)
    page = client_for(alumni).get(f"/me/enrolments/{enrolment.pk}/charter/")
    assert "Alumni charter" in page.content.decode() or "Charte des anciens" in (
        page.content.decode()
    )


def test_the_alumni_leaves_a_program_in_one_step(persona, program, alumni, client_for) -> None:
    enrolment = Enrolment.objects.get(person=alumni)
    client = client_for(alumni)
    assert client.get(f"/me/enrolments/{enrolment.pk}/leave").status_code == 200
    answer = client.post(
        f"/me/enrolments/{enrolment.pk}/leave",
        {"history": "attributed", "disconnect_accounts": ""},
    )
    assert answer.status_code == 302
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.ENDED


def test_alumni_charter_is_for_alumni_only(program) -> None:
    # A kind without a charter of its own accepts the general one.
    publish_charter(program)
    from ambassade.programs.selectors import published_charter

    assert published_charter(program, "supporter").ambassador_kind == ""
    assert published_charter(program, "alumni") is None


def test_hr_invites_an_alumni_who_accepts_the_alumni_charter(
    persona, program, alumni, alumni_charter, client_for
) -> None:
    from ambassade.programs.models import Invitation, Program

    other = Program.objects.create(
        organisation=persona.organisation, name="Salons", open_to_alumni=True
    )
    publish_charter(other)
    own_charter = publish_charter(other, "alumni")
    closed = Program.objects.create(organisation=persona.organisation, name="Ventes")
    publish_charter(closed)
    hr = client_for(persona.hr)
    for target in (other, closed):
        hr.post(
            f"/console/programs/{target.pk}/invitations/",
            {
                "recipients": "emails",
                "emails": alumni.email,
                "ambassador_type": alumni_charter.program.enrolments.get().ambassador_type_id,
                "reminder_after_days": 7,
                "max_reminders": 2,
            },
        )
    # Only the program open to alumni invites them.
    invitation = Invitation.objects.get(person=alumni)
    assert invitation.program == other
    client = client_for(alumni)
    page = client.get(f"/me/invitations/{invitation.pk}/").content.decode()
    assert "Charter alumni" in page or "Charte alumni" in page
    client.post(f"/me/invitations/{invitation.pk}/", {"accept_charter": "on"})
    enrolment = Enrolment.objects.get(person=alumni, program=other)
    assert enrolment.accepted_version == own_charter


def test_every_link_of_their_pages_opens(alumni, client_for) -> None:
    import re

    client = client_for(alumni)
    seen: set[str] = set()
    for page in ["/me/", "/me/home/", "/feed/", "/me/alumni/directory/"]:
        html = client.get(page).content.decode()
        for href in re.findall(r'href="(/[^"#?]*)', html):
            if href.startswith(("/static/", "/accounts/logout")) or href in seen:
                continue
            seen.add(href)
            assert client.get(href).status_code in {200, 302}, f"{page} links to {href}"
    assert "/me/figures/" in seen and "/me/accounts/" in seen
