"""Demo step 11: the people lifecycle around the Verdier group (after step 10).

Self-assessments and HR notes for HR's candidates page, upcoming departures (one already
notified), a former employee who became an alumni ambassador, one anonymised long ago,
an applied CSV import, and the audit rows of all that. Bulk writes only, so that
``ambassade demo-data --people 10000`` stays fast.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone

from ambassade.core.demo import DemoContext, demo_step
from ambassade.core.models import AuditEvent, Organisation
from ambassade.core.roles import Role
from ambassade.people.models import (
    EmploymentStatus,
    HrNote,
    ImportStatus,
    PeopleImport,
    Person,
    RoleAssignment,
    SelfAssessment,
)

NOTES = [
    "Très à l'aise à l'oral lors de la journée portes ouvertes.",
    "A proposé spontanément de relayer les offres de son équipe.",
    "Souhaite une formation LinkedIn avant de se lancer.",
    "Intervenante appréciée au forum de l'école d'ingénieurs.",
    "Préfère attendre la fin de son projet avant de s'engager.",
]
NETWORKS = ["linkedin", "x", "instagram", "mastodon", "bluesky", "youtube"]


def _moment(context: DemoContext, days_ago: int) -> datetime:
    day = context.today - timedelta(days=days_ago)
    return timezone.make_aware(datetime.combine(day, time(10, 0)))


def _event(
    organisation: Organisation,
    action: str,
    person: Person,
    actor_label: str,
    after: dict | None = None,
    before: dict | None = None,
) -> AuditEvent:
    return AuditEvent(
        organisation=organisation,
        actor_label=actor_label,
        action=action,
        target_type="people.person",
        target_id=str(person.pk),
        target_label=person.full_name,
        before=before,
        after=after,
        via="web" if actor_label != "system" else "system",
    )


@demo_step(11)
def people_lifecycle(context: DemoContext) -> None:
    rng = context.rng
    organisation: Organisation = context.objects["organisation"]
    people: list[Person] = context.objects["people"]
    by_email = {person.email: person for person in people}
    hr = by_email["rh@verdier.example"]
    ambassadors = set(
        RoleAssignment.objects.filter(
            person__organisation=organisation, role=Role.AMBASSADOR
        ).values_list("person_id", flat=True)
    )
    active = [p for p in people if p.employment_status == EmploymentStatus.ACTIVE]
    events: list[tuple[AuditEvent, datetime]] = []

    # Self-assessments: a few percent of the staff, mostly not ambassadors yet.
    candidates = [by_email["salarie@verdier.example"]] + [
        p for p in active[8:] if rng.random() < (0.02 if p.pk in ambassadors else 0.07)
    ]
    answers = []
    for person in candidates:
        motivation = rng.choices([1, 2, 3, 4, 5], [1, 2, 4, 5, 3])[0]
        answers.append(
            SelfAssessment(
                person=person,
                social_comfort=rng.choices([1, 2, 3, 4, 5], [1, 3, 4, 4, 2])[0],
                motivation=motivation,
                willingness_to_learn=max(1, min(5, motivation + rng.choice([-1, 0, 0, 1]))),
                networks=sorted(rng.sample(NETWORKS, rng.randint(1, 3))),
                comment=rng.choice(["", "", "Je parle volontiers de mon métier.", ""]),
            )
        )
    SelfAssessment.objects.bulk_create(answers, batch_size=2000)
    notes = [
        HrNote(person=person, author=hr, author_label=hr.full_name, text=rng.choice(NOTES))
        for person in candidates[: max(3, len(candidates) // 5)]
    ]
    HrNote.objects.bulk_create(notes, batch_size=2000)
    for note in notes:
        events.append(
            (_event(organisation, "hr_note.added", note.person, hr.full_name), _moment(context, 20))
        )

    # Upcoming departures: within the notice period (one already notified) and later.
    leaving = [p for p in active[8:] if p.pk not in ambassadors][:5]
    for index, person in enumerate(leaving):
        person.end_date = context.today + timedelta(days=[3, 9, 12, 25, 40][index])
        if index == 0:
            person.departure_notice_sent_at = _moment(context, 11)
    Person.objects.bulk_update(leaving, ["end_date", "departure_notice_sent_at"])

    # Former employees: one alumni ambassador, one anonymised long ago.
    former = [
        p for p in people if p.employment_status == EmploymentStatus.LEFT and p.end_date is not None
    ]
    if len(former) >= 2:
        alumni, erased = former[0], former[1]
        alumni.alumni = True
        assert alumni.end_date is not None
        alumni.alumni_since = _moment(context, (context.today - alumni.end_date).days + 3)
        alumni.alumni_answered_at = alumni.alumni_since
        events.append(
            (
                _event(
                    organisation,
                    "person.alumni_chosen",
                    alumni,
                    alumni.full_name,
                    before={"alumni": False},
                    after={"alumni": True},
                ),
                alumni.alumni_since,
            )
        )
        erased.end_date = context.today - timedelta(days=500)
        erased.start_date = min(erased.start_date or erased.end_date, erased.end_date)
        erased.first_name, erased.last_name = "", "Former employee"
        erased.email = f"former-{erased.pk}@anonymised.invalid"
        erased.job_title, erased.languages, erased.manager = "", [], None
        erased.anonymised_at = _moment(context, 500 - 365)
        Person.objects.filter(manager=erased).update(manager=None)
        Person.objects.bulk_update(
            [alumni, erased],
            [
                "alumni",
                "alumni_since",
                "alumni_answered_at",
                "end_date",
                "start_date",
                "first_name",
                "last_name",
                "email",
                "job_title",
                "languages",
                "manager",
                "anonymised_at",
            ],
        )
        events.append(
            (
                _event(
                    organisation, "person.anonymised", erased, "system", {"reason": "retention"}
                ),
                erased.anonymised_at,
            )
        )
    for person in former:
        if person.end_date is not None:
            events.append(
                (
                    _event(
                        organisation,
                        "person.departed",
                        person,
                        "system",
                        {"end_date": person.end_date.isoformat(), "alumni": person.alumni},
                    ),
                    _moment(context, (context.today - person.end_date).days),
                )
            )

    # One applied import: HR loaded last month's arrivals from the HR information system.
    arrivals = sorted(active[8:], key=lambda p: p.start_date or context.today)[-12:]
    history = PeopleImport.objects.create(
        organisation=organisation,
        created_by=hr,
        created_by_label=hr.full_name,
        filename="arrivees-sirh.csv",
        status=ImportStatus.APPLIED,
        created=len(arrivals),
        updated=3,
        unchanged=140,
        invalid=1,
        only_valid=True,
        plan=[{"line": 17, "action": "error", "errors": ["Unknown site “Lille”."]}],
        applied_at=_moment(context, 30),
    )
    PeopleImport.objects.filter(pk=history.pk).update(created_at=_moment(context, 30))
    for person in arrivals:
        events.append(
            (_event(organisation, "person.created", person, hr.full_name), _moment(context, 30))
        )
    created = AuditEvent.objects.bulk_create([event for event, _ in events], batch_size=2000)
    for event, (_, moment) in zip(created, events, strict=True):
        event.created_at = moment
    AuditEvent.objects.bulk_update(created, ["created_at"], batch_size=2000)
    context.progress(
        f"{len(answers)} self-assessments, {len(notes)} HR notes, "
        f"{len(leaving)} upcoming departures"
    )
