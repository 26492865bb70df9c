"""Demo alumni space (after programs and content, before sharing): the employer-brand
program is open to alumni and has an alumni charter, which the demo's alumni ambassador
accepted; a few of its items are marked for alumni; the alumni appears in the directory
and signs in as alumni@verdier.example."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Max
from django.utils import timezone

from ambassade.accounts.models import User
from ambassade.alumni.models import DirectoryEntry
from ambassade.content.models import ContentItem, Kind, Status
from ambassade.core.demo import DEMO_PASSWORD, DemoContext, demo_step
from ambassade.people.models import EmploymentStatus, Person
from ambassade.programs import charter
from ambassade.programs.models import (
    AmbassadorKind,
    CharterAcceptance,
    CharterVersion,
    Enrolment,
)

LOGIN = "alumni@verdier.example"
CHARTER_FR = """## Charte des ambassadeurs alumni

- Je partage en mon nom, comme ancien·ne de l'entreprise : chaque publication le dit.
- Je ne parle ni de mon employeur actuel ni d'informations internes.
- Je peux arrêter à tout moment, en un clic, depuis mon espace."""
CHARTER_EN = """## Alumni ambassador charter

- I share in my own name, as a former employee: every post says so.
- I speak neither for my current employer nor about internal information.
- I may stop at any time, in one click, from my space."""


@demo_step(36)
def alumni_space(context: DemoContext) -> None:
    organisation = context.objects["organisation"]
    alumni = Person.objects.filter(
        organisation=organisation,
        employment_status=EmploymentStatus.LEFT,
        alumni=True,
        anonymised_at__isnull=True,
    ).first()
    enrolment = (
        Enrolment.objects.filter(person=alumni, ambassador_type__kind=AmbassadorKind.ALUMNI)
        .select_related("program")
        .first()
    )
    if alumni is None or enrolment is None:
        return
    program = enrolment.program
    program.open_to_alumni = True
    program.save(update_fields=["open_to_alumni"])
    body_fr, body_en = charter.render(CHARTER_FR), charter.render(CHARTER_EN)
    latest = program.charter_versions.aggregate(n=Max("number"))["n"] or 0
    published = timezone.now() - timedelta(days=10)
    version = CharterVersion.objects.create(
        program=program,
        number=latest + 1,
        ambassador_kind=AmbassadorKind.ALUMNI,
        body_fr=body_fr,
        body_en=body_en,
        source_fr=CHARTER_FR,
        source_en=CHARTER_EN,
        status=CharterVersion.Status.PUBLISHED,
        published_at=published,
        content_hash=charter.content_hash(body_fr, body_en),
    )
    enrolment.accepted_version = version
    enrolment.status = Enrolment.Status.ACTIVE
    enrolment.save(update_fields=["accepted_version", "status"])
    CharterAcceptance.objects.create(
        enrolment=enrolment,
        person=alumni,
        version=version,
        content_hash=version.content_hash,
        accepted_at=published + timedelta(days=1),
        channel=CharterAcceptance.Channel.WEB,
    )
    live = (
        ContentItem.objects.filter(program=program, status=Status.PUBLISHED)
        .exclude(kind=Kind.INTERNAL_NEWS)
        .order_by("-published_at")
        .values_list("pk", flat=True)[:5]
    )
    marked = ContentItem.objects.filter(pk__in=list(live)).update(for_alumni=True)
    if alumni.user is None:
        alumni.email = LOGIN
        user = User(email=LOGIN, display_name=alumni.full_name, language="")
        user.set_password(DEMO_PASSWORD)
        user.save()
        alumni.user = user
        alumni.save(update_fields=["email", "user"])
        context.logins.append((LOGIN, "Alumni ambassador"))
    DirectoryEntry.objects.update_or_create(
        person=alumni,
        defaults={
            "organisation": organisation,
            "listed": True,
            "current_role": "Consultante indépendante",
        },
    )
    context.progress(f"alumni space: {alumni.full_name}, {marked} items for alumni")
