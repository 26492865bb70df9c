"""The delegation pages through HTTP: naming a delegate, writing a draft, the principal's
approval (as is or edited) and refusal, ending a delegation; nothing is published before
the principal approves."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ambassade.core.models import AuditEvent
from ambassade.delegation.models import Delegation, Draft, DraftStatus
from ambassade.notifications.models import Notification
from ambassade.sharing.models import Share, ShareTarget
from ambassade.testing.factories import PersonFactory

pytestmark = pytest.mark.django_db

TEXT = "Fier de nos vingt nouveaux postes à Lyon : une équipe que j'ai vue grandir, venez !"


def _write(client, delegation, item, account, text=TEXT, **extra):
    return client.post(
        f"/me/writing-for/{delegation.pk}/new",
        {"item": item.pk, "text": text, "accounts": [account.pk], **extra},
    )


def test_the_principal_names_a_delegate_who_sees_whom_they_write_for(persona, client_for) -> None:
    principal = client_for(persona.ambassador)
    answer = principal.post("/me/delegates/", {"email": "EMPLOYEE@example.com"})
    assert answer.status_code == 302
    delegation = Delegation.objects.get()
    assert (delegation.principal, delegation.delegate) == (persona.ambassador, persona.employee)
    page = principal.get("/me/delegates/").content.decode()
    assert persona.employee.full_name in page and "End this delegation" in page
    mine = client_for(persona.employee).get("/me/writing-for/").content.decode()
    assert persona.ambassador.full_name in mine
    assert f"/me/writing-for/{delegation.pk}/new" in mine
    assert AuditEvent.objects.filter(action="delegation.granted").count() == 1


def test_nobody_outside_the_organisation_nor_oneself_is_a_delegate(persona, client_for) -> None:
    principal = client_for(persona.ambassador)
    for email in ("outsider@example.com", "ambassador@example.com", "nobody@example.com"):
        page = principal.post("/me/delegates/", {"email": email})
        assert page.status_code == 200
        assert "Choose a colleague of your organisation" in page.content.decode()
    assert not Delegation.objects.exists()


def test_a_draft_never_becomes_a_post_before_approval_then_posts_as_the_principal(
    persona, client_for, delegation, item, account, fake, run_events
) -> None:
    delegate = client_for(persona.employee)
    form = delegate.get(f"/me/writing-for/{delegation.pk}/new").content.decode()
    assert "@alice@fake" in form and "Fake network" in form
    assert "SUPER-SECRET" not in form  # the account's token never reaches the delegate
    answer = run_events(lambda: _write(delegate, delegation, item, account))
    assert answer.status_code == 302, answer.content
    draft = Draft.objects.get()
    assert draft.status == DraftStatus.PENDING
    assert not Share.objects.exists() and not ShareTarget.objects.exists()
    notice = Notification.objects.get(person=persona.ambassador, kind="delegation_draft")
    assert notice.url == f"/me/drafts/{draft.pk}/"

    principal = client_for(persona.ambassador)
    page = principal.get(f"/me/drafts/{draft.pk}/").content.decode()
    assert TEXT[:30] in page and "Approve and post" in page
    # The delegate cannot approve their own draft.
    assert delegate.post(f"/me/drafts/{draft.pk}/", {"decision": "approve"}).status_code == 403
    assert not ShareTarget.objects.exists()

    done = run_events(
        lambda: principal.post(f"/me/drafts/{draft.pk}/", {"decision": "approve", "text": TEXT})
    )
    assert done.status_code == 302, done.content
    draft.refresh_from_db()
    assert draft.status == DraftStatus.APPROVED and not draft.edited
    share = Share.objects.get()
    assert share.person == persona.ambassador and draft.share == share
    assert ShareTarget.objects.get().account == account
    assert fake.posted[0].text.startswith(TEXT[:40])
    assert Notification.objects.filter(person=persona.employee, kind="delegation_outcome")
    outcome = delegate.get(f"/me/drafts/{draft.pk}/").content.decode()
    assert "Approved" in outcome


def test_the_principal_edits_before_approving(
    persona, client_for, delegation, item, account
) -> None:
    _write(client_for(persona.employee), delegation, item, account)
    draft = Draft.objects.get()
    mine = "Vingt postes à Lyon, dans l'équipe que je dirige : écrivez-moi si ça vous parle."
    client_for(persona.ambassador).post(
        f"/me/drafts/{draft.pk}/", {"decision": "approve", "text": mine}
    )
    draft.refresh_from_db()
    assert draft.edited and draft.text == mine
    assert Share.objects.get().message == mine


def test_the_principal_refuses_with_a_word(
    persona, client_for, delegation, item, account, run_events
) -> None:
    _write(client_for(persona.employee), delegation, item, account)
    draft = Draft.objects.get()
    run_events(
        lambda: client_for(persona.ambassador).post(
            f"/me/drafts/{draft.pk}/", {"decision": "refuse", "note": "Trop formel, pas moi."}
        )
    )
    draft.refresh_from_db()
    assert draft.status == DraftStatus.REFUSED and draft.note == "Trop formel, pas moi."
    assert not ShareTarget.objects.exists()
    page = client_for(persona.employee).get(f"/me/drafts/{draft.pk}/").content.decode()
    assert "Trop formel, pas moi." in page and "Refused" in page
    # Decided once: a second decision is refused with the reason.
    again = client_for(persona.ambassador).post(
        f"/me/drafts/{draft.pk}/", {"decision": "approve"}, follow=True
    )
    assert "no longer waiting for you" in again.content.decode()


def test_sharing_rules_still_apply_at_approval(
    persona, client_for, delegation, item, account
) -> None:
    """A draft copied from the suggestion is refused as sharing would refuse the principal."""
    copied = item.messages.first().text_to_share
    _write(client_for(persona.employee), delegation, item, account, text=copied)
    draft = Draft.objects.get()
    page = client_for(persona.ambassador).post(f"/me/drafts/{draft.pk}/", {"decision": "approve"})
    assert page.status_code == 200
    assert "make it your own" in page.content.decode()
    draft.refresh_from_db()
    assert draft.status == DraftStatus.PENDING and not ShareTarget.objects.exists()


def test_ending_withdraws_pending_drafts_and_the_delegate_can_no_longer_draft(
    persona, client_for, delegation, item, account
) -> None:
    delegate = client_for(persona.employee)
    _write(delegate, delegation, item, account)
    principal = client_for(persona.ambassador)
    assert principal.post(f"/me/delegations/{delegation.pk}/end").status_code == 302
    draft = Draft.objects.get()
    assert draft.status == DraftStatus.WITHDRAWN
    assert delegate.get(f"/me/writing-for/{delegation.pk}/new").status_code == 404
    assert _write(delegate, delegation, item, account).status_code == 404
    assert Draft.objects.count() == 1
    late = principal.post(f"/me/drafts/{draft.pk}/", {"decision": "approve"}, follow=True)
    assert "no longer waiting for you" in late.content.decode()
    assert not ShareTarget.objects.exists()
    page = principal.get("/me/delegates/").content.decode()
    assert persona.employee.full_name in page and "Wrote for you from" in page
    assert AuditEvent.objects.filter(action="delegation.ended").count() == 1


def test_the_delegate_ends_it_too_and_strangers_cannot(persona, client_for, delegation) -> None:
    assert client_for(persona.coach).post(f"/me/delegations/{delegation.pk}/end").status_code == 404
    assert (
        client_for(persona.employee).post(f"/me/delegations/{delegation.pk}/end").status_code == 302
    )
    delegation.refresh_from_db()
    assert delegation.ended_by == persona.employee


def test_a_draft_is_read_by_its_two_sides_only(
    persona, client_for, delegation, item, account
) -> None:
    _write(client_for(persona.employee), delegation, item, account)
    draft = Draft.objects.get()
    for stranger in (persona.coach, persona.admin, persona.outsider):
        assert client_for(stranger).get(f"/me/drafts/{draft.pk}/").status_code == 404


def test_the_delegates_page_reads_in_a_fixed_number_of_queries(
    persona, client_for, delegation, item, account
) -> None:
    delegate = client_for(persona.employee)
    _write(delegate, delegation, item, account)
    principal = client_for(persona.ambassador)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert principal.get("/me/delegates/").status_code == 200
        return len(queries)

    before = count()
    for index in range(3):
        other: Any = PersonFactory(organisation=persona.organisation, with_user=True)
        more = Delegation.objects.create(
            organisation=persona.organisation, principal=persona.ambassador, delegate=other
        )
        Draft.objects.create(
            organisation=persona.organisation, delegation=more, item=item, text=f"n° {index}"
        ).accounts.set([account])
    assert count() == before
