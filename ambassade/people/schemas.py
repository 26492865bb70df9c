"""API schemas shared by the people app's routers."""

from __future__ import annotations

from datetime import date

from ninja import Schema

from ambassade.people.models import Person


class PersonOut(Schema):
    id: int
    first_name: str
    last_name: str
    email: str
    job_title: str
    department: str | None
    site: str | None
    languages: list[str]
    manager_id: int | None
    employment_status: str
    start_date: date | None
    end_date: date | None
    alumni: bool
    membership: str
    anonymised: bool

    @staticmethod
    def resolve_department(person: Person) -> str | None:
        return person.department.name if person.department else None

    @staticmethod
    def resolve_site(person: Person) -> str | None:
        return person.site.name if person.site else None

    @staticmethod
    def resolve_anonymised(person: Person) -> bool:
        return person.anonymised_at is not None
