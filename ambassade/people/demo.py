"""Demo step: the Verdier group, its departments, sites, people, managers and roles."""

from __future__ import annotations

import unicodedata
from datetime import timedelta

from ambassade.accounts.models import User
from ambassade.core.demo import DEMO_PASSWORD, DemoContext, demo_step
from ambassade.core.models import Organisation
from ambassade.core.roles import Role
from ambassade.core.signals import organisation_created
from ambassade.people.models import Department, EmploymentStatus, Person, RoleAssignment, Site

DEPARTMENTS = {
    "Marketing": [
        "Chargée de marketing",
        "Chef de produit",
        "Responsable marque",
        "Content manager",
    ],
    "RH": [
        "Chargé de recrutement",
        "Responsable formation",
        "HR Business Partner",
        "Talent acquisition",
    ],
    "Communication interne": [
        "Chargée de communication interne",
        "Rédacteur",
        "Responsable événements",
    ],
    "Ventes": ["Ingénieur commercial", "Account manager", "Key account manager", "Sales engineer"],
    "R&D": ["Ingénieure R&D", "Data scientist", "Chef de projet R&D", "Software engineer"],
    "Production": [
        "Technicien de production",
        "Responsable qualité",
        "Chef d'atelier",
        "Opératrice",
    ],
    "Finance": ["Contrôleur de gestion", "Comptable", "Financial analyst"],
    "Juridique": ["Juriste", "Compliance officer"],
}
# Weight of each department in the headcount: production and sales are the largest.
DEPARTMENT_WEIGHTS = [8, 6, 3, 18, 14, 40, 7, 4]
SITES = [
    ("Lyon (siège)", "FR", ["fr"]),
    ("Paris", "FR", ["fr", "en"]),
    ("Nantes", "FR", ["fr"]),
    ("Bruxelles", "BE", ["fr", "en"]),
    ("Montréal", "CA", ["fr", "en"]),
    ("Dublin", "IE", ["en"]),
]
SITE_WEIGHTS = [35, 20, 15, 10, 10, 10]
FIRST_NAMES = [
    "Camille",
    "Léa",
    "Manon",
    "Chloé",
    "Inès",
    "Sarah",
    "Julie",
    "Émilie",
    "Nora",
    "Claire",
    "Lucas",
    "Hugo",
    "Thomas",
    "Nicolas",
    "Julien",
    "Mehdi",
    "Antoine",
    "Maxime",
    "Paul",
    "Louis",
    "Aoife",
    "Siobhan",
    "Emma",
    "Olivia",
    "Grace",
    "Liam",
    "Conor",
    "Noah",
    "James",
    "Ethan",
    "Fatou",
    "Yasmine",
    "Amina",
    "Karim",
    "Samir",
    "Hélène",
    "Gaëlle",
    "Rémi",
    "Loïc",
    "Anaïs",
]
LAST_NAMES = [
    "Martin",
    "Bernard",
    "Dubois",
    "Thomas",
    "Robert",
    "Richard",
    "Petit",
    "Durand",
    "Leroy",
    "Moreau",
    "Simon",
    "Laurent",
    "Lefèvre",
    "Michel",
    "Garcia",
    "David",
    "Bertrand",
    "Roux",
    "Vincent",
    "Fournier",
    "Morel",
    "Girard",
    "André",
    "Mercier",
    "Dupont",
    "Lambert",
    "Bonnet",
    "François",
    "Martinez",
    "Legrand",
    "Gauthier",
    "Murphy",
    "Kelly",
    "O'Brien",
    "Byrne",
    "Tremblay",
    "Gagnon",
    "Roy",
    "Côté",
    "Bouchard",
    "Diallo",
    "Benali",
    "Nguyen",
    "Peeters",
    "Janssens",
]

# The personas printed by `make run`: one per role, plus an employee who is not enrolled.
PERSONAS = [
    (
        "admin@verdier.example",
        "Alice",
        "Admin",
        "Juridique",
        "Directrice des opérations digitales",
        [Role.ADMIN],
        "organisation admin",
    ),
    (
        "marketing@verdier.example",
        "Marc",
        "Lemoine",
        "Marketing",
        "Responsable marque employeur",
        [Role.MARKETING, Role.AMBASSADOR],
        "marketing",
    ),
    (
        "rh@verdier.example",
        "Hélène",
        "Roussel",
        "RH",
        "HR Business Partner",
        [Role.HR, Role.AMBASSADOR],
        "HR",
    ),
    (
        "comms@verdier.example",
        "Inès",
        "Caron",
        "Communication interne",
        "Responsable communication interne",
        [Role.INTERNAL_COMMS],
        "internal communications",
    ),
    (
        "ventes@verdier.example",
        "Samuel",
        "Faure",
        "Ventes",
        "Directeur commercial",
        [Role.SALES_MANAGEMENT, Role.AMBASSADOR],
        "sales management",
    ),
    (
        "coach@verdier.example",
        "Claire",
        "Besson",
        "RH",
        "Coach réseaux sociaux",
        [Role.COACH, Role.AMBASSADOR],
        "coach",
    ),
    (
        "ambassadeur@verdier.example",
        "Lucas",
        "Perrin",
        "R&D",
        "Ingénieur R&D",
        [Role.AMBASSADOR],
        "ambassador",
    ),
    (
        "salarie@verdier.example",
        "Nora",
        "Vidal",
        "Production",
        "Technicienne qualité",
        [],
        "employee, not enrolled",
    ),
]
DEMO_LOGINS = [(email, label) for email, *_, label in PERSONAS]


def _ascii(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if c.isalnum()).lower()


@demo_step(10)
def organisation_and_people(context: DemoContext) -> None:
    rng = context.rng
    organisation = Organisation.objects.create(
        name="Groupe Verdier",
        slug="verdier",
        default_language="fr",
        languages=["fr", "en"],
        time_zone="Europe/Paris",
    )
    # The higher apps' defaults arrive as for an organisation made by `ambassade setup`.
    organisation_created.send(sender=Organisation, organisation=organisation, actor=None)
    context.objects["organisation"] = organisation
    departments = {
        name: Department.objects.create(organisation=organisation, name=name)
        for name in DEPARTMENTS
    }
    sites = [
        Site.objects.create(organisation=organisation, name=name, country=country)
        for name, country, _ in SITES
    ]
    site_languages = {
        site.pk: languages for site, (_, _, languages) in zip(sites, SITES, strict=True)
    }
    department_names = list(DEPARTMENTS)

    people: list[Person] = []
    used_emails: set[str] = set()
    for email, first, last, department, title, _, _ in PERSONAS:
        used_emails.add(email)
        people.append(
            Person(
                organisation=organisation,
                first_name=first,
                last_name=last,
                email=email,
                job_title=title,
                department=departments[department],
                site=sites[0],
                languages=["fr", "en"],
                start_date=context.today - timedelta(days=rng.randint(400, 4000)),
            )
        )
    for index in range(context.people - len(PERSONAS)):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        email = f"{_ascii(first)}.{_ascii(last)}@verdier.example"
        if email in used_emails:
            email = f"{_ascii(first)}.{_ascii(last)}.{index}@verdier.example"
        used_emails.add(email)
        department = rng.choices(department_names, DEPARTMENT_WEIGHTS)[0]
        site = rng.choices(sites, SITE_WEIGHTS)[0]
        languages = list(site_languages[site.pk])
        if "en" not in languages and rng.random() < 0.35:
            languages.append("en")
        start = context.today - timedelta(days=rng.randint(30, 6000))
        status, end = EmploymentStatus.ACTIVE, None
        roll = rng.random()
        if roll < 0.03:
            status = EmploymentStatus.ON_LEAVE
        elif roll < 0.07:
            # Left during the demo period, so the lifecycle has history to show.
            status = EmploymentStatus.LEFT
            end = context.today - timedelta(days=rng.randint(1, context.days))
            start = min(start, end - timedelta(days=90))
        people.append(
            Person(
                organisation=organisation,
                first_name=first,
                last_name=last,
                email=email,
                job_title=rng.choice(DEPARTMENTS[department]),
                department=departments[department],
                site=site,
                languages=languages,
                employment_status=status,
                start_date=start,
                end_date=end,
            )
        )
    Person.objects.bulk_create(people, batch_size=2000)
    context.progress(f"{len(people)} people")
    saved = list(Person.objects.filter(organisation=organisation).order_by("id"))

    # About one person in twelve manages the others of their department.
    by_department: dict[int | None, list[Person]] = {}
    for person in saved:
        by_department.setdefault(person.department_id, []).append(person)
    changed = []
    for members in by_department.values():
        managers = members[: max(1, len(members) // 12)]
        for person in members:
            if person not in managers:
                person.manager = managers[rng.randrange(len(managers))]
                changed.append(person)
    Person.objects.bulk_update(changed, ["manager"], batch_size=2000)

    by_email = {person.email: person for person in saved[: len(PERSONAS)]}
    template_user = User(email="template@verdier.example")
    template_user.set_password(DEMO_PASSWORD)  # hash once, reuse for every persona
    roles: list[RoleAssignment] = []
    for email, first, last, _, _, persona_roles, _ in PERSONAS:
        user = User.objects.create(
            email=email,
            display_name=f"{first} {last}",
            password=template_user.password,
            language="",
        )
        person = by_email[email]
        person.user = user
        person.save(update_fields=["user"])
        roles.extend(RoleAssignment(person=person, role=role) for role in persona_roles)
    # Beyond the personas, a share of the staff holds the ambassador role (no log-in in the demo).
    for person in saved[len(PERSONAS) :]:
        if person.employment_status == EmploymentStatus.ACTIVE and rng.random() < 0.18:
            roles.append(RoleAssignment(person=person, role=Role.AMBASSADOR))
    RoleAssignment.objects.bulk_create(roles, batch_size=2000)
    context.objects["people"] = saved
    context.logins.extend(DEMO_LOGINS)


# The lifecycle step (11) lives in its own module; importing it registers the step.
from ambassade.people import demo_lifecycle  # noqa: E402, F401
