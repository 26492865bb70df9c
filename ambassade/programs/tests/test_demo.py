"""The demo organisation's programs: every journey has something to show."""

from __future__ import annotations

from datetime import date

import pytest

from ambassade.core import demo
from ambassade.programs.models import Enrolment, Invitation, InvitationCampaign, Program
from ambassade.programs.selectors import charter_of

pytestmark = pytest.mark.django_db


def test_the_demo_has_programs_enrolments_and_an_open_invitation() -> None:
    demo.build(people=120, days=60, seed=3, today=date(2027, 3, 1), progress=lambda _: None)
    assert Program.objects.count() == 3
    for email in ("ambassadeur", "marketing", "rh", "ventes", "coach"):
        assert Enrolment.objects.filter(person__email=f"{email}@verdier.example").exists()
    # The printed ambassador can share at once; the coach has the new charter waiting.
    persona = Enrolment.objects.get(
        person__email="ambassadeur@verdier.example", program__name="Marque employeur Verdier"
    )
    assert persona.status == Enrolment.Status.ACTIVE
    # The program's current general charter (the alumni have a charter of their own).
    assert persona.accepted_version == charter_of(persona)
    waiting = Enrolment.objects.get(
        person__email="coach@verdier.example", program__name="Marque employeur Verdier"
    )
    assert waiting.status == Enrolment.Status.PAUSED  # the banner has something to say
    assert Enrolment.objects.filter(status=Enrolment.Status.ACTIVE).count() > 5
    assert set(Enrolment.objects.values_list("ambassador_type__kind", flat=True)) >= {
        "community_manager",
        "mission",
        "designated",
        "supporter",
    }
    open_invitation = Invitation.objects.get(person__email="salarie@verdier.example")
    assert open_invitation.is_open
    campaign = InvitationCampaign.objects.get()
    assert campaign.invitations.count() > 10
