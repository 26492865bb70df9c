"""Demo step: three programs with targets, a charter in two versions, enrolments of every
ambassador type, a campaign with its funnel, and one open invitation for the employee persona."""

from __future__ import annotations

import hashlib
from datetime import datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from ambassade.core.demo import DemoContext, demo_step
from ambassade.core.models import AuditEvent
from ambassade.core.roles import Role
from ambassade.people.models import EmploymentStatus, Person, RoleAssignment
from ambassade.programs import charter
from ambassade.programs.actions import ensure_default_types
from ambassade.programs.models import (
    CharterAcceptance,
    CharterVersion,
    Enrolment,
    Invitation,
    InvitationCampaign,
    KpiTarget,
    Program,
)

CHARTER_V1_FR = """<h2>Rôles et responsabilités</h2>
<p>Vous partagez ce que vous choisissez, quand vous le souhaitez, avec vos mots. L'entreprise
vous propose des contenus, une formation et un accompagnement.</p>
<h2>Objectifs</h2><p>Faire connaître nos métiers et nos produits, attirer de nouveaux talents.</p>
<h2>Contreparties</h2><p>Formation aux réseaux sociaux, coaching, reconnaissance de votre
contribution.</p>
<h2>Vos comptes restent les vôtres</h2><p>Vos comptes personnels vous appartiennent. L'entreprise
n'y publie jamais à votre place.</p>
<h2>Ce que l'entreprise voit</h2><p>Le nombre de partages et de clics par équipe. Vos chiffres
individuels seulement si vous l'acceptez.</p>
<h2>Changement de poste et départ</h2><p>Vous confirmez votre rôle après un changement de poste.
Vous pouvez quitter le programme à tout moment, en un clic.</p>"""
CHARTER_V1_EN = """<h2>Roles and responsibilities</h2>
<p>You share what you choose, when you wish, in your own words. The company offers content,
training and support.</p>
<h2>Objectives</h2><p>Make our jobs and products known, attract new talent.</p>
<h2>Counterparts</h2><p>Social media training, coaching, recognition of your contribution.</p>
<h2>Your accounts remain yours</h2><p>Your personal accounts belong to you. The company never
posts in your place.</p>
<h2>What the company sees</h2><p>The number of shares and clicks per team. Your individual
figures only if you agree.</p>
<h2>Change of position and departure</h2><p>You confirm your role after a change of position.
You may leave the program at any time, in one click.</p>"""
V2_FR = "<p>Nouveau : l'entreprise ne lit jamais vos messages privés ni vos abonnés.</p>"
V2_EN = "<p>New: the company never reads your private messages or your followers.</p>"

PROGRAMS = [
    (
        "Marque employeur Verdier",
        "Nos métiers racontés par celles et ceux qui les font.",
        ["employer_brand", "internal_engagement"],
        True,
        [("human_clicks", 12000), ("applications", 180), ("participation_rate", 35)],
    ),
    (
        "Social selling Industrie",
        "Les équipes commerciales partagent études de cas et expertise.",
        ["sales", "brand_awareness"],
        False,
        [("conversions", 60), ("unique_visitors", 8000)],
    ),
    (
        "Lancement Verdier Flow",
        "Le lancement de notre nouvelle gamme, au printemps.",
        ["brand_awareness", "sales"],
        False,
        [("shares", 2500), ("potential_reach", 400000)],
    ),
]
PERSONA_KINDS = {
    "marketing@verdier.example": "community_manager",
    "rh@verdier.example": "mission",
    "ventes@verdier.example": "mission",
    "coach@verdier.example": "supporter",
    "ambassadeur@verdier.example": "designated",
}
# The persona whose enrolment waits for the charter's second version.
CHARTER_WAITING = "coach@verdier.example"
# Shares of the other ambassadors by type (de facto representatives who asked to join).
KIND_WEIGHTS = {
    "supporter": 55,
    "mission": 25,
    "designated": 10,
    "community_manager": 2,
    "de_facto": 8,
}


def _hash(label: str) -> str:
    # Demo invitations have no link of their own: a deterministic, unusable fingerprint.
    return hashlib.sha256(f"demo:{label}".encode()).hexdigest()


def _moment(context: DemoContext, days_ago: int) -> datetime:
    day = context.today - timedelta(days=max(0, days_ago))
    return timezone.make_aware(datetime.combine(day, time(9, 30)))


class _Builder:
    """Collects rows in memory and writes them with a few bulk inserts."""

    def __init__(self, context: DemoContext, organisation: Any) -> None:
        self.context = context
        self.organisation = organisation
        self.types = {t.kind: t for t in ensure_default_types(organisation)}
        self.enrolments: list[Enrolment] = []
        self.invitations: list[Invitation] = []
        self.acceptances: list[tuple[int, int, int, datetime]] = []  # enrolment index
        self.audit: list[AuditEvent] = []

    def event(self, action: str, target: Any, label: str, after: dict[str, Any]) -> None:
        self.audit.append(
            AuditEvent(
                organisation=self.organisation,
                actor_label=label,
                action=action,
                target_type=target._meta.label_lower,
                target_id=str(target.pk),
                target_label=str(target)[:200],
                after=after,
                via="web",
            )
        )

    def enrol(
        self,
        program: Program,
        person: Person,
        kind: str,
        versions: list[CharterVersion],
        days_ago: int,
        paused: bool = False,
    ) -> None:
        started = _moment(self.context, days_ago)
        index = len(self.enrolments)
        latest = versions[-1]
        accepted = versions[-2] if paused else latest
        self.enrolments.append(
            Enrolment(
                program=program,
                person=person,
                ambassador_type=self.types[kind],
                status=Enrolment.Status.PAUSED if paused else Enrolment.Status.ACTIVE,
                accepted_version=accepted,
                individual_visibility=kind == "mission" and self.context.rng.random() < 0.6,
                started_at=started,
            )
        )
        self.invitations.append(
            Invitation(
                program=program,
                person=person,
                ambassador_type=self.types[kind],
                # De facto representatives are never invited: they asked.
                source=Invitation.Source.SELF_SERVICE
                if kind in ("de_facto", "alumni")
                else Invitation.Source.HR,
                token_hash=_hash(f"{program.pk}:{person.pk}"),
                status=Invitation.Status.ACCEPTED,
                sent_at=started - timedelta(days=2),
                opened_at=started - timedelta(days=1),
                responded_at=started,
                expires_at=started + timedelta(days=28),
            )
        )
        first = versions[0]
        first_published = first.published_at or started
        self.acceptances.append((index, first.pk, 0, max(started, first_published)))
        if not paused and latest.pk != first.pk:
            published = latest.published_at or started
            later = published + timedelta(days=self.context.rng.randint(0, 5))
            self.acceptances.append((index, latest.pk, 1, min(later, timezone.now())))

    def save(self, versions: dict[int, CharterVersion]) -> None:
        Invitation.objects.bulk_create(self.invitations, batch_size=2000)
        Enrolment.objects.bulk_create(self.enrolments, batch_size=2000)
        CharterAcceptance.objects.bulk_create(
            [
                CharterAcceptance(
                    enrolment=self.enrolments[index],
                    person=self.enrolments[index].person,
                    version=versions[version_id],
                    content_hash=versions[version_id].content_hash,
                    accepted_at=moment,
                    channel=CharterAcceptance.Channel.WEB,
                    user_agent_family=self.context.rng.choice(
                        ["Chrome", "Firefox", "Safari", "Edge"]
                    ),
                )
                for index, version_id, _, moment in self.acceptances
            ],
            batch_size=2000,
        )
        for enrolment in self.enrolments:
            self.event(
                "enrolment.accepted",
                enrolment,
                enrolment.person.full_name,
                {"ambassador_type": enrolment.ambassador_type.kind},
            )
        AuditEvent.objects.bulk_create(self.audit, batch_size=2000)


def _programs(context: DemoContext, builder: _Builder, by_email: dict[str, Person]) -> list[Any]:
    organisation = context.objects["organisation"]
    marketer, admin = by_email["marketing@verdier.example"], by_email["admin@verdier.example"]
    group = [
        by_email[e]
        for e in (
            "rh@verdier.example",
            "comms@verdier.example",
            "ventes@verdier.example",
            "coach@verdier.example",
        )
    ]
    created = []
    for index, (name, description, objectives, self_service, targets) in enumerate(PROGRAMS):
        program = Program.objects.create(
            organisation=organisation,
            name=name,
            description=description,
            objectives=objectives,
            self_service=self_service,
        )
        program.owners.set([marketer, admin])
        program.working_group.set(group)
        quarter = context.today.replace(day=1)
        KpiTarget.objects.bulk_create(
            KpiTarget(
                program=program,
                metric=metric,
                target=Decimal(value),
                period_start=quarter,
                period_end=quarter + timedelta(days=90),
            )
            for metric, value in targets
        )
        builder.event("program.created", program, marketer.full_name, {"name": name})
        v1 = CharterVersion(
            program=program,
            number=1,
            body_fr=charter.sanitise(CHARTER_V1_FR),
            body_en=charter.sanitise(CHARTER_V1_EN),
            status=CharterVersion.Status.PUBLISHED,
            created_by=marketer,
            published_at=_moment(context, context.days + 10),
        )
        v1.content_hash = charter.content_hash(v1.body_fr, v1.body_en)
        v1.save()
        versions = [v1]
        builder.event("charter.published", v1, marketer.full_name, {"number": 1})
        if index == 0:
            v2 = CharterVersion(
                program=program,
                number=2,
                body_fr=v1.body_fr + V2_FR,
                body_en=v1.body_en + V2_EN,
                change_summary="Précision : l'entreprise ne lit jamais vos messages privés.",
                status=CharterVersion.Status.PUBLISHED,
                created_by=marketer,
                published_at=_moment(context, 6),
            )
            v2.content_hash = charter.content_hash(v2.body_fr, v2.body_en)
            v2.save()
            versions.append(v2)
            builder.event("charter.published", v2, marketer.full_name, {"number": 2})
        created.append((program, versions))
    return created


@demo_step(20)
def programs_charters_and_enrolments(context: DemoContext) -> None:
    rng = context.rng
    organisation = context.objects["organisation"]
    people: list[Person] = context.objects["people"]
    builder = _Builder(context, organisation)
    by_email = {person.email: person for person in people}
    (brand, brand_versions), (selling, selling_versions), (launch, launch_versions) = _programs(
        context, builder, by_email
    )
    ambassador_ids = set(
        RoleAssignment.objects.filter(
            person__organisation=organisation, role=Role.AMBASSADOR
        ).values_list("person_id", flat=True)
    )
    kinds, weights = list(KIND_WEIGHTS), list(KIND_WEIGHTS.values())
    for person in people:
        if person.pk not in ambassador_ids:
            continue
        kind = PERSONA_KINDS.get(person.email) or rng.choices(kinds, weights)[0]
        # The coach persona has the new charter waiting, to show the banner; the printed
        # ambassador persona can share at once on first sign-in.
        paused = person.email == CHARTER_WAITING or (
            person.email not in PERSONA_KINDS and rng.random() < 0.4
        )
        days_ago = rng.randint(7, context.days + 9)
        builder.enrol(brand, person, kind, brand_versions, days_ago, paused=paused)
        # Ambassadors by mission (sales, recruiters, marketers) also sell socially.
        if kind == "mission" or person.email == "ventes@verdier.example":
            builder.enrol(
                selling, person, "mission", selling_versions, rng.randint(1, context.days)
            )
        if rng.random() < 0.08 or person.email == "marketing@verdier.example":
            builder.enrol(launch, person, kind, launch_versions, rng.randint(1, 60))
    # Someone who left and chose to stay in touch as an alumni ambassador.
    alumni = next((p for p in people if p.employment_status == EmploymentStatus.LEFT), None)
    if alumni is not None:
        builder.enrol(brand, alumni, "alumni", brand_versions, 3)
    _campaign(context, builder, selling, selling_versions, people, ambassador_ids)
    employee = by_email["salarie@verdier.example"]
    builder.invitations.append(
        Invitation(
            program=brand,
            person=employee,
            ambassador_type=builder.types["supporter"],
            source=Invitation.Source.HR,
            token_hash=_hash(f"open:{employee.pk}"),
            sent_at=_moment(context, 1),
            expires_at=_moment(context, 1) + timedelta(days=30),
        )
    )
    versions = {v.pk: v for vs in (brand_versions, selling_versions, launch_versions) for v in vs}
    builder.save(versions)
    context.progress(
        f"{len(PROGRAMS)} programs, {len(builder.enrolments)} enrolments, "
        f"{len(builder.invitations)} invitations"
    )


def _campaign(
    context: DemoContext,
    builder: _Builder,
    program: Program,
    versions: list[CharterVersion],
    people: list[Person],
    ambassador_ids: set[int],
) -> None:
    """HR's spring campaign: a funnel with every state."""
    rng = context.rng
    candidates = [
        p
        for p in people[8:]
        if p.pk not in ambassador_ids and p.employment_status == EmploymentStatus.ACTIVE
    ][:80]
    campaign = InvitationCampaign.objects.create(
        program=program,
        name="Campagne social selling",
        reminder_after_days=7,
        max_reminders=2,
        created_by=next(p for p in people if p.email == "rh@verdier.example"),
    )
    builder.event(
        "invitation_campaign.created", campaign, "Hélène Roussel", {"invited": len(candidates)}
    )
    sent = _moment(context, 20)
    roles = []
    for person in candidates:
        roll = rng.random()
        if roll < 0.3:
            builder.enrol(program, person, "mission", versions, 20 - rng.randint(0, 15))
            builder.invitations[-1].campaign = campaign
            roles.append(RoleAssignment(person=person, role=Role.AMBASSADOR))
            continue
        status = (
            Invitation.Status.OPENED
            if roll < 0.55
            else Invitation.Status.SENT
            if roll < 0.8
            else Invitation.Status.DECLINED
            if roll < 0.9
            else Invitation.Status.EXPIRED
        )
        opened = status != Invitation.Status.SENT and status != Invitation.Status.EXPIRED
        builder.invitations.append(
            Invitation(
                program=program,
                person=person,
                ambassador_type=builder.types["mission"],
                campaign=campaign,
                source=Invitation.Source.HR,
                token_hash=_hash(f"campaign:{person.pk}"),
                status=status,
                sent_at=sent,
                opened_at=sent + timedelta(days=1) if opened else None,
                responded_at=sent + timedelta(days=2)
                if status == Invitation.Status.DECLINED
                else None,
                expires_at=sent + timedelta(days=30)
                if status != Invitation.Status.EXPIRED
                else sent,
                reminders_sent=2 if status == Invitation.Status.EXPIRED else 1,
                last_reminded_at=sent + timedelta(days=7),
            )
        )
    RoleAssignment.objects.bulk_create(roles, ignore_conflicts=True)
