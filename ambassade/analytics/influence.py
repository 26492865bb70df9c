"""The influence indicator: what a person's sharing and contributions achieve, not their audience.

Visibility is not influence: follower counts and potential reach never enter it. Five
parts, each a raw value turned into a score from 0 to 100 by a cap (the value that earns
100, so that one outstanding month cannot outweigh everything else); the overall figure is
the plain mean of the five scores. It is shown to the person and in their contribution
report, never published as a ranking.

Reads the daily rollup (``DailyShareStats``, summed), the person's own shares (for the
similarity of their messages), their logged contributions and accepted suggestions;
never raw clicks.

Messages whose similarity was never measured (``Share.similarity`` null, e.g. posts made
before the check existed) are left out of personalisation: neither counted as personal
nor as copies, since we do not know.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.db.models import Q
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ambassade.analytics.figures import SUMS, derived
from ambassade.analytics.models import DailyShareStats
from ambassade.content.models import Suggestion
from ambassade.contributions.models import Contribution
from ambassade.programs.models import Enrolment, Program
from ambassade.sharing.models import Share
from ambassade.sharing.selectors import settings_of

# The caps: the raw value that earns a score of 100. Chosen for people who share on the
# side of their job, from the demo's and the seeds' orders of magnitude:
# - a personal account's post typically gathers a handful of reactions; 20 per post on
#   average is a very good year, whatever the size of the audience;
ENGAGEMENT_PER_POST_FOR_FULL_SCORE = 20
# - sharing in three weeks out of four is steady: holidays and busy weeks cost nothing;
ACTIVE_WEEKS_SHARE_FOR_FULL_SCORE = 0.75
# - four messages out of five written in one's own words (under the copy threshold);
PERSONAL_MESSAGES_SHARE_FOR_FULL_SCORE = 0.8
# - one talk, article, event, training or accepted suggestion every two months;
CONTRIBUTIONS_PER_YEAR_FOR_FULL_SCORE = 6
# - one conversion (application, lead, sign-up) a month.
CONVERSIONS_PER_YEAR_FOR_FULL_SCORE = 12
# The yearly caps are prorated to the period, but never below one: a single contribution
# in a short period earns the full score, half of one cannot be asked for.


@dataclass(frozen=True)
class Part:
    key: str
    label: str
    value: float  # the raw value (a ratio is given as a percentage)
    display: str  # the raw value in words, with what it was computed from
    score: int  # 0-100
    definition: str


@dataclass(frozen=True)
class Influence:
    program: Program
    start: date
    end: date
    parts: list[Part]

    @property
    def overall(self) -> int:
        return round(sum(part.score for part in self.parts) / len(self.parts))


def _score(value: float, cap: float) -> int:
    if cap <= 0:
        return 0
    return round(min(value / cap, 1.0) * 100)


def _prorated(per_year: int, start: date, end: date) -> float:
    return max(1.0, per_year * ((end - start).days + 1) / 365)


def _weeks(start: date, end: date) -> int:
    """Spans of 7 days from the first day; a shorter last span counts as a week."""
    return (end - start).days // 7 + 1


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    # Days are UTC days, as everywhere in the figures.
    return (
        datetime.combine(start, time(0), tzinfo=UTC),
        datetime.combine(end + timedelta(days=1), time(0), tzinfo=UTC),
    )


def _engagement(totals: dict[str, int]) -> Part:
    posts = totals["shares_published"]
    per_post = round(totals["engagement"] / posts, 1) if posts else 0.0
    return Part(
        key="engagement_per_post",
        label=_("Engagement per post"),
        value=per_post,
        display=ngettext(
            "%(value)s reactions per post, over %(posts)d post",
            "%(value)s reactions per post, over %(posts)d posts",
            posts,
        )
        % {"value": number_format(per_post, 1), "posts": posts},
        score=_score(per_post, ENGAGEMENT_PER_POST_FOR_FULL_SCORE),
        definition=_(
            "Likes, reposts and replies on the posts published through Ambassade in this "
            "program, divided by the number of those posts; %(cap)d per post or more scores "
            "100. Shares declared through a link have no engagement figures and are left out."
        )
        % {"cap": ENGAGEMENT_PER_POST_FOR_FULL_SCORE},
    )


def _steadiness(rows: Any, start: date, end: date) -> Part:
    days = (
        rows.filter(Q(shares_published__gt=0) | Q(shares_declared__gt=0))
        .values_list("day", flat=True)
        .distinct()
        .order_by()
    )
    active = len({(day - start).days // 7 for day in days})
    weeks = _weeks(start, end)
    ratio = active / weeks
    return Part(
        key="steadiness",
        label=_("Steadiness"),
        value=round(ratio * 100, 1),
        display=_("%(active)d of %(weeks)d weeks with a share")
        % {"active": active, "weeks": weeks},
        score=_score(ratio, ACTIVE_WEEKS_SHARE_FOR_FULL_SCORE),
        definition=_(
            "Weeks of the period (spans of 7 days from its first day) with at least one share, "
            "divided by the number of weeks; sharing in %(cap)d %% of the weeks or more scores "
            "100, so holidays and busy weeks are not held against anyone."
        )
        % {"cap": round(ACTIVE_WEEKS_SHARE_FOR_FULL_SCORE * 100)},
    )


def _personalisation(person: Any, program: Program, start: date, end: date) -> Part:
    threshold = settings_of(person.organisation).similarity_threshold
    since, until = _bounds(start, end)
    similarities = [
        similarity
        for similarity in Share.objects.filter(
            organisation_id=person.organisation_id,
            person=person,
            item__program=program,
            created_at__gte=since,
            created_at__lt=until,
        ).values_list("similarity", flat=True)
        if similarity is not None
    ]
    personal = sum(1 for similarity in similarities if similarity < threshold)
    ratio = personal / len(similarities) if similarities else 0.0
    return Part(
        key="personalisation",
        label=_("Personalisation"),
        value=round(ratio * 100, 1),
        display=(
            _("%(personal)d of %(messages)d measured messages personalised")
            % {"personal": personal, "messages": len(similarities)}
            if similarities
            else _("no measured message in the period")
        ),
        score=_score(ratio, PERSONAL_MESSAGES_SHARE_FOR_FULL_SCORE),
        definition=_(
            "Messages of the period on this program's content that are less than "
            "%(threshold)d %% similar to a suggested message or to a colleague's (the "
            "organisation's copy threshold), divided by the messages whose similarity was "
            "measured; messages never measured are left out. %(cap)d %% or more scores 100."
        )
        % {
            "threshold": threshold,
            "cap": round(PERSONAL_MESSAGES_SHARE_FOR_FULL_SCORE * 100),
        },
    )


def _contributions(person: Any, program: Program, start: date, end: date) -> Part:
    logged = (
        Contribution.objects.filter(person=person, occurred_on__range=(start, end))
        .filter(Q(program=program) | Q(program__isnull=True))
        .count()
    )
    since, until = _bounds(start, end)
    accepted = (
        Suggestion.objects.filter(
            author=person,
            state=Suggestion.State.ACCEPTED,
            moderated_at__gte=since,
            moderated_at__lt=until,
        )
        .filter(Q(item__program=program) | Q(item__isnull=True))
        .count()
    )
    total = logged + accepted
    return Part(
        key="contributions",
        label=_("Own contributions"),
        value=total,
        display=_("%(logged)d logged, %(accepted)d suggestions accepted")
        % {"logged": logged, "accepted": accepted},
        score=_score(total, _prorated(CONTRIBUTIONS_PER_YEAR_FOR_FULL_SCORE, start, end)),
        definition=_(
            "Contributions logged (talks, articles, events, training, mentoring) dated in the "
            "period, for this program or none in particular, plus content suggestions accepted "
            "in the period. %(cap)d a year, in proportion to the length of the period, scores "
            "100."
        )
        % {"cap": CONTRIBUTIONS_PER_YEAR_FOR_FULL_SCORE},
    )


def _conversions(totals: dict[str, int], start: date, end: date) -> Part:
    conversions = totals["conversions"]
    return Part(
        key="conversions",
        label=_("Conversions"),
        value=conversions,
        display=ngettext("%(count)d conversion", "%(count)d conversions", conversions)
        % {"count": conversions},
        score=_score(conversions, _prorated(CONVERSIONS_PER_YEAR_FOR_FULL_SCORE, start, end)),
        definition=_(
            "Applications, leads and sign-ups reported for the person's tracked links in this "
            "program during the period. %(cap)d a year, in proportion to the length of the "
            "period, scores 100."
        )
        % {"cap": CONVERSIONS_PER_YEAR_FOR_FULL_SCORE},
    )


def influence(person: Any, program: Program, start: date, end: date) -> Influence:
    """The person's indicator in one program over [start, end] (UTC days, both included)."""
    rows = DailyShareStats.objects.filter(
        organisation_id=person.organisation_id,
        person=person,
        program=program,
        day__range=(start, end),
    )
    totals = derived(rows.aggregate(**SUMS))
    parts = [
        _engagement(totals),
        _steadiness(rows, start, end),
        _personalisation(person, program, start, end),
        _contributions(person, program, start, end),
        _conversions(totals, start, end),
    ]
    return Influence(program=program, start=start, end=end, parts=parts)


def influences_of(person: Any, start: date, end: date) -> list[Influence]:
    """One indicator per program the person is currently enrolled in."""
    enrolments = (
        Enrolment.objects.filter(
            person=person,
            program__organisation_id=person.organisation_id,
            status__in=(Enrolment.Status.ACTIVE, Enrolment.Status.PAUSED),
        )
        .select_related("program")
        .order_by("program__name", "pk")
    )
    return [influence(person, enrolment.program, start, end) for enrolment in enrolments]
