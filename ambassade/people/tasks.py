"""Background work of the people app: mail, departures, retention, stale import previews."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from ambassade.core import mail
from ambassade.core.batch import each
from ambassade.core.models import Organisation
from ambassade.core.periodic import every


@task()
def send_mail(
    organisation_slug: str,
    subject: str,
    body: str,
    to: list[str],
    action_url: str = "",
    action_label: str = "",
    language: str = "",
) -> int:
    """Queued by actions on commit, so a rolled-back change never sends its message."""
    return mail.send(
        organisation_slug=organisation_slug,
        subject=subject,
        body=body,
        to=to,
        action_url=action_url,
        action_label=action_label,
        language=language,
    )


@every(hours=1)
@task()
def process_departures() -> dict[str, int]:
    """Sends the departure notice ahead of the end date, then processes reached end dates."""
    from ambassade.people import actions
    from ambassade.people.models import EmploymentStatus, Person

    today = timezone.localdate()
    current = Person.objects.filter(anonymised_at__isnull=True).exclude(
        employment_status=EmploymentStatus.LEFT
    )
    notices = 0
    for organisation in Organisation.objects.all():
        due_soon = current.filter(
            organisation=organisation,
            end_date__gt=today,
            end_date__lte=today + timedelta(days=organisation.departure_notice_days),
            departure_notice_sent_at__isnull=True,
        ).select_related("organisation", "user")
        notices += each(
            "people.departure_notice",
            due_soon.iterator(chunk_size=500),
            actions.send_departure_notice,
        ).done
    reached = current.filter(end_date__lte=today).select_related("organisation", "user")
    departed = each(
        "people.process_departures",
        reached.iterator(chunk_size=500),
        lambda person: actions.process_departure(person, actor=None),
    ).done
    return {"notices": notices, "departed": departed}


@every(days=1)
@task()
def anonymise_after_retention() -> dict[str, int]:
    """Anonymises former employees (not alumni) once the organisation's retention ends."""
    from ambassade.people import actions
    from ambassade.people.models import EmploymentStatus, Person

    today = timezone.localdate()
    count = 0
    for organisation in Organisation.objects.all():
        cutoff = today - timedelta(days=organisation.retention_days_after_departure)
        expired = Person.objects.filter(
            organisation=organisation,
            employment_status=EmploymentStatus.LEFT,
            alumni=False,
            anonymised_at__isnull=True,
            end_date__lt=cutoff,
        ).select_related("organisation", "user")
        count += each(
            "people.anonymise_after_retention",
            expired.iterator(chunk_size=500),
            lambda person: actions.anonymise_person(None, person, reason="retention"),
        ).done
    return {"anonymised": count}


@every(hours=1)
@task()
def discard_stale_import_previews() -> dict[str, int]:
    """An import preview holds personal data: it is dropped after a day if never applied."""
    from ambassade.people.models import ImportStatus, PeopleImport

    cutoff = timezone.now() - timedelta(days=1)
    stale = PeopleImport.objects.filter(status=ImportStatus.PREVIEW, created_at__lt=cutoff)
    count = stale.update(status=ImportStatus.DISCARDED, rows=[], plan=[])
    return {"discarded": count}
