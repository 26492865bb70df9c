"""What field reports know about a person: the reports they filed.

Erasure deletes the person's reports (their photos with them); an answer they wrote on
someone else's report stays, without their name (answered_by is emptied).
"""

from __future__ import annotations

from typing import Any

from django.core.files.storage import default_storage
from django.db import transaction

from ambassade.core.personal_data import anonymiser, exporter
from ambassade.field.models import FieldReport
from ambassade.people.models import Person


def _time(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


@exporter("field_reports")
def export_field_reports(person: Person) -> list[dict[str, Any]]:
    return [
        {
            "kind": report.kind,
            "text": report.text,
            "link": report.link,
            "has_photo": bool(report.photo),
            "may_contact": report.may_contact,
            "personal_data": report.personal_data,
            "status": report.status,
            "filed_at": _time(report.filed_at),
            "answer": report.answer,
            "answered_at": _time(report.answered_at),
            "closed_at": _time(report.closed_at),
            "converted_value": str(report.value) if report.value is not None else None,
            "currency": report.currency,
        }
        for report in FieldReport.objects.filter(reporter=person).order_by("filed_at", "pk")
    ]


@anonymiser
def forget_field_reports(person: Person) -> None:
    reports = FieldReport.objects.filter(reporter=person)
    photos = [name for name in reports.values_list("photo", flat=True) if name]
    reports.delete()
    FieldReport.objects.filter(answered_by=person).update(answered_by=None)
    for name in photos:
        transaction.on_commit(lambda name=name: default_storage.delete(name))  # type: ignore[misc]
