"""The "Report a problem" link on each published post of "My posts"."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from ambassade.sharing.models import ShareTarget, TargetStatus
from ambassade.sharing.post_hooks import PostLink

REPORTABLE = (TargetStatus.PUBLISHED, TargetStatus.DECLARED, TargetStatus.DELETED)


def report_link(target: ShareTarget) -> PostLink | None:
    if target.status not in REPORTABLE:
        return None
    return PostLink(label=_("Report a problem"), url=f"{reverse('incidents:new')}?post={target.pk}")
