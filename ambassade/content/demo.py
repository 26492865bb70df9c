"""Demo step: channels, guidelines, sources, the inbox, suggestions and ~2 items a person.

Everything is inserted with bulk_create so that ``--people 10000`` (about 20,000 items)
stays within a minute or two. Images are drawn locally with Pillow; nothing is fetched.
"""

from __future__ import annotations

import io
from datetime import datetime, time, timedelta

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw

from ambassade.content import images
from ambassade.content.actions._common import DEFAULT_REVIEWER_ROLES
from ambassade.content.models import (
    Category,
    Channel,
    ContentItem,
    CurationEntry,
    Disclosure,
    GlossaryTerm,
    Kind,
    ProgramContentPolicy,
    Source,
    Status,
    SuggestedMessage,
    Suggestion,
)
from ambassade.core.demo import DemoContext, demo_step
from ambassade.core.models import Organisation
from ambassade.people.models import Department, Person
from ambassade.programs.models import Program

CHANNELS = [
    ("Recrutement", (29, 63, 143)),
    ("Vie de l'entreprise", (27, 110, 58)),
    ("Expertise", (90, 60, 140)),
    ("Produits", (160, 90, 0)),
    ("RSE", (20, 120, 120)),
    ("Événements", (170, 40, 60)),
]
CATEGORIES = [("Actualité", False), ("Offre commerciale", True), ("Marque employeur", False)]
TITLES = {
    "fr": {
        "Recrutement": ["Nous recrutons {n} techniciens à {site}", "Rejoignez l'équipe {dep}"],
        "Vie de l'entreprise": ["Une journée avec l'équipe {dep}", "Nos nouveaux locaux à {site}"],
        "Expertise": ["Maintenance prédictive : retour d'expérience n°{n}", "Qualité : {n} leçons"],
        "Produits": ["La gamme Verdier {n} arrive", "Nouveau capteur V{n}"],
        "RSE": ["Bilan carbone : -{n} % en un an", "{n} arbres plantés à {site}"],
        "Événements": ["Retrouvez-nous au salon Industrie {n}", "Portes ouvertes à {site}"],
    },
    "en": {
        "Recrutement": ["We are hiring {n} engineers in {site}", "Join the {dep} team"],
        "Vie de l'entreprise": ["A day with the {dep} team", "Our new offices in {site}"],
        "Expertise": ["Predictive maintenance: lesson {n}", "Quality: {n} lessons learnt"],
        "Produits": ["Meet the Verdier {n} range", "New V{n} sensor"],
        "RSE": ["Carbon footprint down {n}% in a year", "{n} trees planted in {site}"],
        "Événements": ["Meet us at Industry Expo {n}", "Open day in {site}"],
    },
}
MESSAGES = {
    "fr": "Fier de partager cette nouvelle de nos équipes. Qu'en pensez-vous ?",
    "en": "Proud to share this news from our teams. What do you think?",
}
KINDS = {
    "Recrutement": Kind.JOB,
    "Événements": Kind.EVENT,
    "Expertise": Kind.EXPERTISE,
}


def _image(colour: tuple[int, int, int], label: str) -> str:
    picture = Image.new("RGB", (1200, 630), colour)
    draw = ImageDraw.Draw(picture)
    for step in range(0, 1200, 60):
        draw.line([(step, 630), (step + 300, 0)], fill=tuple(min(255, c + 25) for c in colour))
    draw.text((60, 540), label, fill=(255, 255, 255))
    output = io.BytesIO()
    picture.save(output, "PNG")
    return images.store(output.getvalue(), folder="content/demo").name


def _guidelines(organisation: Organisation) -> None:
    GlossaryTerm.objects.bulk_create(
        [
            GlossaryTerm(
                organisation=organisation,
                kind="confidential",
                text="Projet Hélios",
                reason="Nom de code du futur site, confidentiel jusqu'à l'annonce.",
            ),
            GlossaryTerm(
                organisation=organisation,
                kind="banned",
                text="leader mondial",
                reason="Allégation non vérifiable.",
            ),
            GlossaryTerm(
                organisation=organisation,
                kind="banned",
                text="garanti sans défaut",
                reason="Promesse interdite par le service juridique.",
            ),
            GlossaryTerm(
                organisation=organisation,
                kind="preferred",
                text="collaborateurs",
                suggestion="salariés",
            ),
            GlossaryTerm(
                organisation=organisation,
                kind="preferred",
                text="best-in-class",
                suggestion="reconnu",
            ),
        ]
    )
    Disclosure.objects.bulk_create(
        [
            Disclosure(organisation=organisation, network="linkedin", text="#SalariéVerdier"),
            Disclosure(organisation=organisation, network="x", text="#salarié"),
            Disclosure(organisation=organisation, network="bluesky", text="#salarié"),
            Disclosure(organisation=organisation, network="mastodon", text="#salarié"),
        ]
    )


@demo_step(30)
def content_hub(context: DemoContext) -> None:
    rng = context.rng
    organisation = context.objects["organisation"]
    people: list[Person] = context.objects["people"]
    programs = list(Program.objects.filter(organisation=organisation, status="active"))
    if not programs:
        programs = [Program.objects.create(organisation=organisation, name="Ambassadeurs")]
    for program in programs:
        ProgramContentPolicy.objects.get_or_create(
            program=program, defaults={"reviewer_roles": list(DEFAULT_REVIEWER_ROLES)}
        )
    channels = Channel.objects.bulk_create(
        [Channel(organisation=organisation, name=name) for name, _ in CHANNELS]
    )
    categories = Category.objects.bulk_create(
        [Category(organisation=organisation, name=n, promotional=p) for n, p in CATEGORIES]
    )
    _guidelines(organisation)
    pictures = [_image(colour, name) for name, colour in CHANNELS]
    departments = list(Department.objects.filter(organisation=organisation))
    site_names = ["Lyon", "Paris", "Nantes", "Bruxelles", "Montréal", "Dublin"]
    by_email = {person.email: person for person in people[:20]}
    author = by_email.get("marketing@verdier.example", people[0])

    total = min(2 * context.people, 50_000)
    now = timezone.now()
    items: list[ContentItem] = []
    for index in range(total):
        channel_index = rng.randrange(len(channels))
        channel_name = CHANNELS[channel_index][0]
        language = "fr" if rng.random() < 0.7 else "en"
        template = rng.choice(TITLES[language][channel_name])
        department = rng.choice(departments) if departments else None
        title = template.format(
            n=rng.randint(2, 40),
            site=rng.choice(site_names),
            dep=department.name if department else "R&D",
        )
        days_ago = rng.randint(0, context.days - 1)
        published = now - timedelta(days=days_ago, minutes=rng.randint(0, 1440))
        status = Status.PUBLISHED
        until = None
        if days_ago > 90 and rng.random() < 0.3:
            status, until = Status.EXPIRED, published + timedelta(days=30)
        elif index % 97 == 0:
            status = Status.SUBMITTED
        elif index % 89 == 0:
            status = Status.DRAFT
        kind = KINDS.get(channel_name, Kind.ARTICLE)
        if channel_name == "Vie de l'entreprise" and rng.random() < 0.25:
            kind = Kind.INTERNAL_NEWS
        event_day = (published + timedelta(days=20)).date()
        items.append(
            ContentItem(
                organisation=organisation,
                program=programs[index % len(programs)],
                kind=kind,
                status=status,
                title=title,
                description=title + (" — en savoir plus." if language == "fr" else " — read more."),
                url=f"https://www.verdier.example/news/{index}" if kind == Kind.ARTICLE else "",
                canonical_url=f"https://www.verdier.example/news/{index}"
                if kind == Kind.ARTICLE
                else "",
                site_name="Verdier",
                image=pictures[channel_index],
                image_alt=channel_name,
                preview_status="ready" if kind == Kind.ARTICLE else "none",
                job_site=rng.choice(site_names) if kind == Kind.JOB else "",
                contract_type="CDI" if kind == Kind.JOB else "",
                apply_url="https://careers.verdier.example/apply" if kind == Kind.JOB else "",
                event_start=timezone.make_aware(datetime.combine(event_day, time(9, 30)))
                if kind == Kind.EVENT
                else None,
                event_place=rng.choice(site_names) if kind == Kind.EVENT else "",
                body=f"<p>{title}</p>" if kind in {Kind.EXPERTISE, Kind.INTERNAL_NEWS} else "",
                language=language,
                category=categories[1] if rng.random() < 0.15 else categories[0],
                targets_departments=department is not None and rng.random() < 0.2,
                publish_until=until,
                featured=rng.random() < 0.02,
                author=author,
                published_at=published if status in {Status.PUBLISHED, Status.EXPIRED} else None,
            )
        )
    # One French item in twenty-five has its English translation, in the same group.
    translations = []
    for original in items[::25]:
        if original.language != "fr" or original.kind == Kind.INTERNAL_NEWS:
            continue
        copy = ContentItem(
            **{
                field.attname: getattr(original, field.attname)
                for field in ContentItem._meta.concrete_fields
                if field.attname != "id"
            }
        )
        copy.language = "en"
        copy.title = f"{original.title} (English version)"
        copy.description = "The English version of this item."
        translations.append(copy)
    items.extend(translations)
    created = ContentItem.objects.bulk_create(items, batch_size=2000)
    context.progress(f"{len(created)} content items")
    channel_links = []
    department_links = []
    messages = []
    for index, item in enumerate(created):
        channel_links.append(
            ContentItem.channels.through(
                contentitem_id=item.pk, channel_id=channels[index % len(channels)].pk
            )
        )
        if item.targets_departments and departments:
            department_links.append(
                ContentItem.target_departments.through(
                    contentitem_id=item.pk, department_id=departments[index % len(departments)].pk
                )
            )
        if item.kind != Kind.INTERNAL_NEWS:
            messages.append(
                SuggestedMessage(item=item, language=item.language, text=MESSAGES[item.language])
            )
    # The channel of each item is the one its title was drawn for.
    for link, item in zip(channel_links, created, strict=True):
        link.channel_id = next(c.pk for c in channels if c.name == item.image_alt)
    ContentItem.channels.through.objects.bulk_create(channel_links, batch_size=5000)
    ContentItem.target_departments.through.objects.bulk_create(department_links, batch_size=5000)
    SuggestedMessage.objects.bulk_create(messages, batch_size=5000)

    sources = Source.objects.bulk_create(
        [
            Source(
                organisation=organisation,
                url="https://blog.verdier.example/feed.xml",
                title="Blog Verdier",
                channel=channels[2],
                program=programs[0],
            ),
            Source(
                organisation=organisation,
                url="https://careers.verdier.example/jobs.rss",
                title="Offres d'emploi",
                channel=channels[0],
                program=programs[0],
                trusted=True,
            ),
            Source(
                organisation=organisation,
                url="https://news.verdier.example/atom.xml",
                title="Salle de presse",
                channel=channels[3],
                program=programs[0],
                failures=4,
                failing_since=now - timedelta(days=4),
                # Written as the poller writes it: in the organisation's language.
                last_error=_unreachable(organisation, "news.verdier.example"),
            ),
        ]
    )
    CurationEntry.objects.bulk_create(
        [
            CurationEntry(
                organisation=organisation,
                source=sources[index % 2],
                url=f"https://blog.verdier.example/posts/{index}",
                title=title,
                summary="Un article du blog à relayer." if index % 2 else "A post worth sharing.",
                published=now - timedelta(hours=index * 7),
            )
            for index, title in enumerate(
                [
                    "Comment nous formons nos apprentis",
                    "Inside our Dublin lab",
                    "La maintenance prédictive expliquée",
                    "Why we publish our carbon figures",
                    "Trois métiers méconnus de l'usine",
                ]
            )
        ]
    )
    ambassadors = [p for p in people[20:400] if p.employment_status == "active"][:8]
    Suggestion.objects.bulk_create(
        [
            Suggestion(
                organisation=organisation,
                author=person,
                url=f"https://www.lemonde.example/industrie/{index}" if index % 2 else "",
                text="" if index % 2 else "Notre équipe a fini le chantier en avance !",
                note="À partager ?",
            )
            for index, person in enumerate(ambassadors)
        ]
    )


def _unreachable(organisation: Organisation, host: str) -> str:
    with translation.override(organisation.default_language or "en"):
        return _("%(host)s could not be reached (%(error)s).") % {
            "host": host,
            "error": "ConnectError",
        }
