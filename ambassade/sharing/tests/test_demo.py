"""The demo organisation shares: accounts with unusable secrets, posts in every state."""

from __future__ import annotations

from datetime import date

import pytest

from ambassade.content.models import ContentSettings
from ambassade.core import demo
from ambassade.sharing.models import ShareTarget, SharingSettings, SocialAccount, TargetStatus

pytestmark = pytest.mark.django_db


def test_the_demo_has_accounts_and_posts_in_every_state() -> None:
    demo.build(people=120, days=60, seed=3, today=date(2027, 3, 1), progress=lambda _: None)
    account = SocialAccount.objects.first()
    assert account is not None and account.credentials.secrets["demo"].startswith("DEMO")
    states = set(ShareTarget.objects.values_list("status", flat=True))
    assert {TargetStatus.PUBLISHED, TargetStatus.SCHEDULED, TargetStatus.FAILED} <= states
    assert not ShareTarget.objects.filter(tracked_link__isnull=True).exists()
    target = ShareTarget.objects.select_related("tracked_link").first()
    assert target.tracked_link.share_target_id == target.pk
    # The demo organisation starts like one made by `ambassade setup` (organisation_created).
    organisation = account.person.organisation
    assert SharingSettings.objects.filter(organisation=organisation).exists()
    assert ContentSettings.objects.filter(organisation=organisation).exists()
    assert organisation.languages == ["fr", "en"]
