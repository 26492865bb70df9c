"""The month's highlights for internal communications: what they may reuse in their own
newsletter, naming only the people who chose to appear by name.

"The month's most clicked personal posts" are the posts published during the month
(through Ambassade or declared through a share link) whose message was the author's own
(below the organisation's similarity threshold, as the composer measures it), ranked by
the human clicks their tracked link received since (bots, previews, self-clicks and
floods are not human clicks). Only the posts of people who opted in to appear by name
(recognition profile, off by default) are listed.

The month's new badges are those earned during the month by people who opted in to
appear by name and show their badges; the completed challenges are those whose target was
reached during the month, with the number of people rewarded (no names).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime

from django.core.exceptions import ValidationError
from django.db.models import Count, Sum
from django.utils.translation import gettext as _

from ambassade.core.models import Organisation
from ambassade.recognition.models import BadgeAward, Challenge
from ambassade.sharing.models import ShareTarget, TargetStatus
from ambassade.sharing.selectors import settings_of
from ambassade.tracking.models import DailyLinkStats

TOP_POSTS = 10
MONTH = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True)
class Month:
    first: date  # the month's first day
    next: date  # the next month's first day

    @property
    def label(self) -> str:
        return self.first.strftime("%Y-%m")

    def bounds(self) -> tuple[datetime, datetime]:
        start = datetime(self.first.year, self.first.month, 1, tzinfo=UTC)
        end = datetime(self.next.year, self.next.month, 1, tzinfo=UTC)
        return start, end


def month_of(value: str | None, today: date) -> Month:
    """The month written YYYY-MM (the current one when empty); a clear error otherwise."""
    if not value:
        first = today.replace(day=1)
    else:
        found = MONTH.match(value.strip())
        if not found or not 1 <= int(found.group(2)) <= 12 or int(found.group(1)) < 2000:
            raise ValidationError(
                _("Give the month as YYYY-MM, such as %(example)s.")
                % {"example": today.strftime("%Y-%m")},
                code="month",
            )
        first = date(int(found.group(1)), int(found.group(2)), 1)
    following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return Month(first, following)


@dataclass(frozen=True)
class PostHighlight:
    person: str
    department: str
    item: str
    network: str
    message: str
    url: str
    published_at: datetime
    human_clicks: int


@dataclass(frozen=True)
class BadgeHighlight:
    person: str
    badge: str
    awarded_at: datetime


@dataclass(frozen=True)
class ChallengeHighlight:
    name: str
    program: str
    completed_at: datetime
    people_rewarded: int


@dataclass(frozen=True)
class Highlights:
    month: Month
    posts: list[PostHighlight]
    badges: list[BadgeHighlight]
    challenges: list[ChallengeHighlight]


def build(organisation: Organisation, month: Month) -> Highlights:
    start, end = month.bounds()
    threshold = settings_of(organisation).similarity_threshold
    targets = list(
        ShareTarget.objects.filter(
            organisation=organisation,
            status__in=[TargetStatus.PUBLISHED, TargetStatus.DECLARED],
            tracked_link__isnull=False,
            share__similarity__lt=threshold,
            share__person__recognition__on_boards=True,
            share__person__anonymised_at__isnull=True,
        )
        .filter(
            # A declared post has no publication time of its own: its share's time stands.
            **{"share__created_at__gte": start, "share__created_at__lt": end}
        )
        .select_related("share__person__department", "share__item")
    )
    clicks: dict[int | None, int] = dict(
        DailyLinkStats.objects.filter(link_id__in=[target.tracked_link_id for target in targets])
        .values("link_id")
        .annotate(total=Sum("human_clicks"))
        .values_list("link_id", "total")
    )
    ranked = sorted(
        (target for target in targets if clicks.get(target.tracked_link_id)),
        key=lambda target: (-clicks[target.tracked_link_id], target.pk),
    )[:TOP_POSTS]
    posts = [
        PostHighlight(
            person=target.share.person.full_name,
            department=target.share.person.department.name
            if target.share.person.department
            else "",
            item=target.share.item.title,
            network=target.network,
            message=target.share.message,
            url=target.remote_url,
            published_at=target.published_at or target.share.created_at,
            human_clicks=clicks[target.tracked_link_id],
        )
        for target in ranked
    ]
    return Highlights(
        month=month,
        posts=posts,
        badges=_badges(organisation, start, end),
        challenges=_challenges(organisation, start, end),
    )


def _badges(organisation: Organisation, start: datetime, end: datetime) -> list[BadgeHighlight]:
    awards = (
        BadgeAward.objects.filter(
            badge__organisation=organisation,
            awarded_at__gte=start,
            awarded_at__lt=end,
            person__recognition__on_boards=True,
            person__recognition__show_badges=True,
            person__anonymised_at__isnull=True,
        )
        .select_related("badge", "person")
        .order_by("awarded_at", "pk")
    )
    return [BadgeHighlight(a.person.full_name, a.badge.name, a.awarded_at) for a in awards]


def _challenges(
    organisation: Organisation, start: datetime, end: datetime
) -> list[ChallengeHighlight]:
    completed = (
        Challenge.objects.filter(
            program__organisation=organisation, completed_at__gte=start, completed_at__lt=end
        )
        .select_related("program")
        .annotate(rewarded=Count("completions"))
        .order_by("completed_at", "pk")
    )
    return [
        ChallengeHighlight(c.name, c.program.name, c.completed_at, c.rewarded)
        for c in completed
        if c.completed_at is not None
    ]
