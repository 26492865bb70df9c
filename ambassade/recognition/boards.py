"""The boards (pure reads): people and executives who chose to appear, teams by average,
and where a person stands (their band), over a rolling 30 days or the current quarter.

Who counts: the *active members* of the organisation, that is the people (not anonymised)
with an active enrolment (neither paused nor ended) in one of its programs. Analytics calls
"active" a member who shared in the period; a board also needs those who earned nothing,
so that a quiet member lowers their team's average as a busy one raises it.

Nobody appears by name without having turned on ``Profile.on_boards``; teams are compared
by average points per active member (a team of 5 and a team of 50 doing the same per
person score the same), and a team smaller than the organisation's smallest group (the
analytics setting) is not shown at all. Executives are compared among themselves only.
Everything is read in a handful of queries, whatever the number of people.
"""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ambassade.analytics import value
from ambassade.core.models import Organisation
from ambassade.people.models import Person
from ambassade.programs.models import Enrolment
from ambassade.recognition.ledger import earned_between
from ambassade.recognition.models import LedgerEntry, RecognitionSettings

PERIODS = ("30d", "quarter")
DEFAULT_PERIOD = "30d"
TOP = 50  # people shown on a board; a person beyond it still sees their own band
ON_PAR = Decimal("0.10")  # within 10 % of the team's average
BANDS = (10, 25, 50)
TEAM_SENTENCES = {
    "above": gettext_lazy("Above your team's average."),
    "on_par": gettext_lazy("On par with your team's average (within 10 %)."),
    "below": gettext_lazy("Below your team's average."),
}


@dataclass(frozen=True)
class Window:
    period: str
    start: datetime
    end: datetime


@dataclass
class Member:
    person_id: int
    name: str
    department_id: int | None
    department: str
    opted_in: bool
    executive: bool
    points: int = 0


@dataclass
class Line:
    rank: int
    name: str
    points: int
    person_id: int


@dataclass
class Team:
    rank: int
    name: str
    members: int
    average: Decimal


@dataclass
class Boards:
    window: Window
    people: list[Line]
    executives: list[Line]
    teams: list[Team]
    too_small: int  # teams not shown: fewer active members than the smallest group
    threshold: int
    opted_in: int


@dataclass
class Band:
    window: Window
    points: int
    member: bool  # an active member: bands compare members only
    percentile: int | None = None  # 10, 25 or 50 ("top N %"); 100: the second half
    team: str = ""  # "above", "on_par", "below"; "" when not compared
    team_average: Decimal | None = None

    def sentences(self) -> list[str]:
        """The band in words, for the page and the API."""
        if not self.member:
            return [
                _(
                    "Bands compare the members of a program: once you join one, you will see "
                    "where you stand."
                )
            ]
        if self.points == 0:
            return [_("No points in this period yet: one share is enough to get started.")]
        said: list[str] = []
        if self.percentile is None:
            said.append(_("Too few people to compare you with for now."))
        elif self.percentile == 100:
            said.append(_("You are in the second half: every share counts."))
        else:
            said.append(_("You are in the top %(band)d %%.") % {"band": self.percentile})
        said.extend([str(TEAM_SENTENCES[self.team])] if self.team else [])
        return said


def parse_period(raw: object) -> str:
    """The period asked for; missing means the default, anything else unknown is refused."""
    if raw in (None, ""):
        return DEFAULT_PERIOD
    if raw not in PERIODS:
        raise ValidationError(
            {"period": _("Choose the period “30d” (the last 30 days) or “quarter”.")}
        )
    return str(raw)


def window(organisation: Organisation, period: str, now: datetime | None = None) -> Window:
    """30d: the 30 days up to now. Quarter: from the start of the calendar quarter (in the
    organisation's time zone), so the board resets on 1 January, April, July, October."""
    now = now or timezone.now()
    if period == "30d":
        return Window(period, now - timedelta(days=30), now)
    try:
        zone = zoneinfo.ZoneInfo(organisation.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = zoneinfo.ZoneInfo("UTC")
    local = now.astimezone(zone)
    first_month = 3 * ((local.month - 1) // 3) + 1
    start = local.replace(month=first_month, day=1, hour=0, minute=0, second=0, microsecond=0)
    return Window(period, start, now)


def members_of(organisation: Organisation, span: Window) -> list[Member]:
    """The active members with their points earned in the window (two queries)."""
    rows = (
        Person.objects.filter(
            organisation=organisation,
            anonymised_at__isnull=True,
            enrolments__status=Enrolment.Status.ACTIVE,
            enrolments__program__organisation=organisation,
        )
        .values(
            "pk",
            "first_name",
            "last_name",
            "department_id",
            "department__name",
            "recognition__on_boards",
            "recognition__executive",
        )
        .distinct()
        .order_by("pk")
    )
    members = {
        row["pk"]: Member(
            person_id=row["pk"],
            name=f"{row['first_name']} {row['last_name']}".strip(),
            department_id=row["department_id"],
            department=row["department__name"] or "",
            opted_in=bool(row["recognition__on_boards"]),
            executive=bool(row["recognition__executive"]),
        )
        for row in rows
    }
    # The whole organisation's window in one grouped read (no list of ids in the query);
    # those who are not members any more are left out here.
    totals = (
        LedgerEntry.objects.filter(earned_between(organisation.pk, span.start, span.end))
        .values("person_id")
        .annotate(total=Sum("points"))
        .order_by()
    )
    for row in totals:
        member = members.get(row["person_id"])
        if member is not None:
            # A correction may take back more than the window earned: no debt on a board.
            member.points = max(0, row["total"] or 0)
    return list(members.values())


def _ranked(members: list[Member]) -> list[Line]:
    """Most points first; equal points share a rank (1, 2, 2, 4)."""
    ordered = sorted(members, key=lambda m: (-m.points, m.name.casefold(), m.person_id))
    lines: list[Line] = []
    for position, member in enumerate(ordered[:TOP], start=1):
        same = lines and lines[-1].points == member.points
        rank = lines[-1].rank if same else position
        lines.append(Line(rank, member.name, member.points, member.person_id))
    return lines


def _average(points: list[int]) -> Decimal:
    return (Decimal(sum(points)) / len(points)).quantize(Decimal("0.1"))


def _teams(members: list[Member], threshold: int) -> tuple[list[Team], int]:
    """Departments by average points per active member; executives and people without a
    department are in no team. Teams under the threshold are counted, not shown."""
    points: dict[int, list[int]] = {}
    names: dict[int, str] = {}
    for member in members:
        if member.executive or member.department_id is None:
            continue
        points.setdefault(member.department_id, []).append(member.points)
        names[member.department_id] = member.department
    shown = [
        (names[key], len(values), _average(values))
        for key, values in points.items()
        if len(values) >= threshold
    ]
    shown.sort(key=lambda team: (-team[2], team[0].casefold()))
    teams: list[Team] = []
    for position, (name, size, average) in enumerate(shown, start=1):
        same = teams and teams[-1].average == average
        teams.append(Team(teams[-1].rank if same else position, name, size, average))
    return teams, len(points) - len(shown)


def threshold_of(organisation: Organisation) -> int:
    return value.settings_for(organisation.pk).small_group


def boards_mode(organisation: Organisation) -> str:
    found = RecognitionSettings.objects.filter(organisation=organisation).first()
    return found.boards if found else RecognitionSettings.Boards.RANKED


def boards(organisation: Organisation, span: Window, members: list[Member] | None = None) -> Boards:
    """The three boards; only people who opted in are named. ``members``: those already
    read for this window (a page showing the band too reads them once)."""
    threshold = threshold_of(organisation)
    members = members_of(organisation, span) if members is None else members
    named = [m for m in members if m.opted_in]
    teams, too_small = _teams(members, threshold)
    return Boards(
        window=span,
        people=_ranked([m for m in named if not m.executive]),
        executives=_ranked([m for m in named if m.executive]),
        teams=teams,
        too_small=too_small,
        threshold=threshold,
        opted_in=len(named),
    )


def _percentile(mine: int, others: list[int]) -> int:
    """The smallest "top N %" band holding the person: fewer than N % of the group are
    ahead of them. 100 stands for the second half."""
    ahead = sum(1 for points in others if points > mine)
    for band in BANDS:
        if ahead * 100 < band * len(others):
            return band
    return 100


def band_of(person: Person, span: Window, members: list[Member] | None = None) -> Band:
    """Where the person stands, whether or not they opted in: among the active members
    (executives among executives) and against their team's average. A group under the
    smallest group shown is not compared, as it would tell about too few people."""
    organisation = person.organisation
    threshold = threshold_of(organisation)
    members = members_of(organisation, span) if members is None else members
    me = next((m for m in members if m.person_id == person.pk), None)
    if me is None:
        own = LedgerEntry.objects.filter(
            earned_between(organisation.pk, span.start, span.end), person=person
        ).aggregate(total=Sum("points"))["total"]
        return Band(span, max(0, own or 0), member=False)
    found = Band(span, me.points, member=True)
    peers = [m.points for m in members if m.executive == me.executive]
    if me.points > 0 and len(peers) >= threshold:
        found.percentile = _percentile(me.points, peers)
    team = [m.points for m in members if not m.executive and m.department_id == me.department_id]
    if not me.executive and me.department_id is not None and len(team) >= threshold:
        average = _average(team)
        found.team_average = average
        if me.points > average * (1 + ON_PAR):
            found.team = "above"
        elif me.points < average * (1 - ON_PAR):
            found.team = "below"
        else:
            found.team = "on_par"
    return found
