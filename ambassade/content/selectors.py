"""Read-only questions about content, asked by pages, the API and other apps."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import cast

from django.db.models import Case, Exists, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from ambassade.content import guidelines
from ambassade.content.models import (
    Category,
    Channel,
    ContentItem,
    ContentSettings,
    Disclosure,
    GlossaryTerm,
    HiddenItem,
    Kind,
    Status,
)
from ambassade.core.models import Organisation
from ambassade.people.models import EmploymentStatus, Person
from ambassade.programs.models import AmbassadorKind, Enrolment

# Lazy, so each request gets its own language; lower-case in French inside a sentence.
LANGUAGE_NAMES = {
    "fr": pgettext_lazy("language name inside a sentence", "French"),
    "en": pgettext_lazy("language name inside a sentence", "English"),
}


def content_settings(organisation: Organisation) -> ContentSettings:
    found, _created = ContentSettings.objects.get_or_create(organisation=organisation)
    return found


def allowed_hosts(organisation: Organisation) -> frozenset[str]:
    """The public hosts the organisation's admins allow on other ports. They never open
    a private address: the operator's OUTBOUND_ALLOWED_HOSTS, read by the outbound
    client itself, is the only way to an intranet host."""
    hosts = ContentSettings.objects.filter(organisation=organisation).values_list(
        "allowed_hosts", flat=True
    )
    return frozenset(
        line.strip().lower() for text in hosts for line in text.splitlines() if line.strip()
    )


def channels_of(organisation: Organisation) -> QuerySet[Channel]:
    return Channel.objects.filter(organisation=organisation)


def categories_of(organisation: Organisation) -> QuerySet[Category]:
    return Category.objects.filter(organisation=organisation)


# --- Guidelines -------------------------------------------------------------------------


def glossary(organisation: Organisation) -> list[guidelines.Term]:
    return [
        guidelines.Term(
            kind=guidelines.TermKind(term.kind),
            text=term.text,
            reason=term.reason,
            suggestion=term.suggestion,
        )
        for term in GlossaryTerm.objects.filter(organisation=organisation)
    ]


def disclosure_for(organisation: Organisation, network: str) -> str:
    found = Disclosure.objects.filter(organisation=organisation, network=network).first()
    return found.text if found else ""


def alumni_disclosure(organisation: Organisation, language: str) -> str:
    """The mention every post of an alumni ambassador carries, in the post's language
    when the organisation kept the default (docs/decisions/0039-alumni-ambassadors.md)."""
    text = (
        ContentSettings.objects.filter(organisation=organisation)
        .values_list("alumni_disclosure", flat=True)
        .first()
    )
    if text:
        return text.replace("{organisation}", organisation.name)
    with translation.override(language or None):
        return _("Former %(organisation)s employee") % {"organisation": organisation.name}


def check_message(organisation: Organisation, text: str, network: str) -> guidelines.CheckResult:
    return guidelines.check(
        text,
        glossary(organisation),
        required_disclosure=disclosure_for(organisation, network),
    )


# --- Content mix ------------------------------------------------------------------------


@dataclass(frozen=True)
class ContentMix:
    published: int
    promotional: int
    threshold: int

    @property
    def share(self) -> int:
        return round(100 * self.promotional / self.published) if self.published else 0

    @property
    def warning(self) -> bool:
        return self.published > 0 and self.share > self.threshold


def content_mix(organisation: Organisation, days: int = 30) -> ContentMix:
    since = timezone.now() - timedelta(days=days)
    recent = ContentItem.objects.filter(organisation=organisation, published_at__gte=since)
    return ContentMix(
        published=recent.count(),
        promotional=recent.filter(category__promotional=True).count(),
        threshold=content_settings(organisation).promotional_threshold,
    )


# --- The ambassador's feed --------------------------------------------------------------


@dataclass(frozen=True)
class Audience:
    """What the feed needs to know about the person, read once per page."""

    person: Person
    languages: tuple[str, ...]
    type_ids: tuple[int, ...]
    enrolled_program_ids: frozenset[int]
    # A former employee who stayed an alumni ambassador: sees only the items marked for
    # alumni of the programs they relay as alumni.
    alumni: bool = False


def audience_of(person: Person) -> Audience:
    alumni = person.employment_status == EmploymentStatus.LEFT and person.alumni
    enrolments = Enrolment.objects.filter(person=person, status=Enrolment.Status.ACTIVE)
    if alumni:
        enrolments = enrolments.filter(ambassador_type__kind=AmbassadorKind.ALUMNI)
    rows = list(enrolments.values_list("program_id", "ambassador_type_id"))
    languages = tuple(code for code in (person.languages or []) if code in LANGUAGE_NAMES)
    return Audience(
        person=person,
        languages=languages,
        type_ids=tuple(sorted({type_id for _, type_id in rows})),
        enrolled_program_ids=frozenset(program_id for program_id, _ in rows),
        alumni=alumni,
    )


def live_items(organisation: Organisation) -> QuerySet[ContentItem]:
    now = timezone.now()
    return ContentItem.objects.filter(organisation=organisation, status=Status.PUBLISHED).filter(
        Q(publish_from__isnull=True) | Q(publish_from__lte=now),
        Q(publish_until__isnull=True) | Q(publish_until__gt=now),
    )


def _targeting(audience: Audience) -> Q:
    person = audience.person
    through = ContentItem.target_departments.through
    by_department = Exists(
        through.objects.filter(
            contentitem_id=OuterRef("pk"), department_id=person.department_id or 0
        )
    )
    by_site = Exists(
        ContentItem.target_sites.through.objects.filter(
            contentitem_id=OuterRef("pk"), site_id=person.site_id or 0
        )
    )
    by_type = Exists(
        ContentItem.target_ambassador_types.through.objects.filter(
            contentitem_id=OuterRef("pk"), ambassadortype_id__in=audience.type_ids
        )
    )
    by_language = Q(pk__in=[])
    for code in audience.languages:
        by_language |= Q(target_languages__contains=f",{code},")
    return (
        (Q(targets_departments=False) | by_department)
        & (Q(targets_sites=False) | by_site)
        & (Q(targets_types=False) | by_type)
        & (Q(targets_languages=False) | by_language)
    )


def feed(
    audience: Audience, *, channel_id: int | None = None, query: str = ""
) -> QuerySet[ContentItem]:
    """Published items in their window, targeted at the person, featured first then newest.

    Of an item's translations the person sees the one in their language: a version in a
    language they do not read is left out when its group has one they do.
    """
    person = audience.person
    items = live_items(person.organisation).filter(_targeting(audience))
    if audience.alumni:
        items = items.filter(for_alumni=True, program_id__in=audience.enrolled_program_ids).exclude(
            kind=Kind.INTERNAL_NEWS
        )
    items = items.exclude(
        Exists(HiddenItem.objects.filter(person_id=person.pk, item_id=OuterRef("pk")))
    )
    if audience.languages:
        now = timezone.now()
        # Filtered by group first (its index), not by organisation: a group never spans two.
        sibling_in_their_language = Exists(
            ContentItem.objects.filter(
                group=OuterRef("group"), language__in=audience.languages, status=Status.PUBLISHED
            ).filter(
                Q(publish_from__isnull=True) | Q(publish_from__lte=now),
                Q(publish_until__isnull=True) | Q(publish_until__gt=now),
            )
        )
        items = items.exclude(~Q(language__in=audience.languages) & sibling_in_their_language)
    if channel_id:
        items = items.filter(
            Exists(
                ContentItem.channels.through.objects.filter(
                    contentitem_id=OuterRef("pk"), channel_id=channel_id
                )
            )
        )
    if query:
        items = items.filter(Q(title__icontains=query) | Q(description__icontains=query))
    return (
        items.select_related("category", "credited")
        .prefetch_related("channels", "target_departments", "target_sites")
        .order_by("-featured", "-published_at", "-id")
    )


def reason(item: ContentItem, audience: Audience) -> str:
    """The one line that says why the item is in this person's feed."""
    language = LANGUAGE_NAMES.get(item.language, item.language)
    person = audience.person
    if item.targets_departments and person.department_id:
        for department in item.target_departments.all():
            if department.pk == person.department_id:
                return _("For %(who)s, in %(language)s") % {
                    "who": department.name,
                    "language": language,
                }
    if item.targets_sites and person.site_id:
        for site in item.target_sites.all():
            if site.pk == person.site_id:
                return _("For %(who)s, in %(language)s") % {"who": site.name, "language": language}
    if item.targets_types:
        return _("For your kind of ambassador, in %(language)s") % {"language": language}
    if item.for_alumni and person.employment_status == "left":
        # An alumni's feed holds only the items marked for alumni (decisions/0039).
        return _("For the alumni, in %(language)s") % {"language": language}
    return _("For everyone, in %(language)s") % {"language": language}


def shared_networks(person: Person) -> dict[int, list[str]]:
    """{item id: names of the networks the person shared it on}, asked of sharing."""
    from ambassade.content.signals import shares_asked

    found: dict[int, list[str]] = {}
    for _receiver, answer in shares_asked.send(sender=None, person=person):
        for item_id, names in cast(dict[int, list[str]], answer).items():
            found.setdefault(item_id, []).extend(names)
    return found


def shared_item_ids(person: Person) -> set[int]:
    """Ids of the items this person already shared."""
    return set(shared_networks(person))


def shareable_first(items: QuerySet[ContentItem], audience: Audience) -> QuerySet[ContentItem]:
    """The feed's order for the person: what they can share with one tap first (featured,
    then newest), then the rest in the same order."""
    rank = Case(
        When(
            ~Q(kind=Kind.INTERNAL_NEWS) & Q(program_id__in=audience.enrolled_program_ids),
            then=Value(1),
        ),
        default=Value(0),
        output_field=IntegerField(),
    )
    return items.annotate(share_rank=rank).order_by(
        "-share_rank", "-featured", "-published_at", "-id"
    )


def why_in_feed(item: ContentItem, audience: Audience, now: datetime) -> str:
    """Why the item is there: featured, new this week, then who it is for."""
    parts = []
    if item.featured:
        parts.append(_("Featured by the communication team"))
    if item.published_at and item.published_at >= now - timedelta(days=7):
        parts.append(_("new this week"))
    parts.append(reason(item, audience))
    line = " · ".join(str(part) for part in parts)
    return line[:1].upper() + line[1:]


def why_not_shareable(item: ContentItem, paused_program_ids: set[int]) -> str:
    """Why the person cannot share an item of their feed (empty when they can)."""
    if not item.shareable:
        return _("Internal news: to read, not to share outside.")
    if item.program_id in paused_program_ids:
        return _("You can share it once you accept the new charter of “%(program)s”.") % {
            "program": item.program.name
        }
    return _("You can share it once you join the program “%(program)s”.") % {
        "program": item.program.name
    }
