"""Every write of field reports: one transaction, an audit row, the events.

Audit rows name a report by its number and kind only: what it says may hold a customer's
name, and the audit log keeps rows longer than the report keeps its text.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ambassade.content import images
from ambassade.core import audit, events
from ambassade.core.authz import Actor, allowed
from ambassade.core.batch import each
from ambassade.core.inputs import MAX_TEXT, web_address, written_text
from ambassade.field import routing
from ambassade.field.models import (
    CLOSED,
    OWNER_ROLES,
    FieldReport,
    FieldSettings,
    ReportKind,
    ReportStatus,
    Route,
)
from ambassade.people.models import Department
from ambassade.programs.models import Enrolment, Program
from ambassade.tracking import actions as tracking
from ambassade.tracking.models import ConversionKind

MAX_PHOTO_BYTES = images.MAX_IMAGE_BYTES
MAX_VALUE = Decimal("999999999999.99")
SETTING_LIMITS = {"answer_days": (1, 60), "retention_days": (1, 3650)}


def settings_of(organisation_id: int) -> FieldSettings:
    found = FieldSettings.objects.filter(organisation_id=organisation_id).first()
    return found or FieldSettings(organisation_id=organisation_id)


def home_program(person_id: int, organisation_id: int) -> Program | None:
    enrolment = (
        Enrolment.objects.filter(
            person_id=person_id,
            status=Enrolment.Status.ACTIVE,
            program__organisation_id=organisation_id,
            program__status=Program.Status.ACTIVE,
        )
        .select_related("program")
        .order_by("started_at", "pk")
        .first()
    )
    return enrolment.program if enrolment is not None else None


def file_report(
    actor: Actor,
    *,
    kind: Any,
    text: Any,
    link: Any = "",
    photo: bytes | None = None,
    may_contact: bool = False,
    personal_data: bool = False,
) -> FieldReport:
    """Files a report; it goes to the queue its kind is routed to, whose owners are told."""
    if not allowed(actor, "field.report") or actor.person is None:
        raise PermissionDenied
    person = actor.person
    if kind not in ReportKind.values:
        raise ValidationError({"kind": _("Choose what you are reporting.")})
    body = written_text(text, "text", _("Say what you saw or heard."))
    address = web_address(link)
    stored = ""
    if photo:
        if len(photo) > MAX_PHOTO_BYTES:
            raise ValidationError({"photo": _("The photo is larger than %(mb)s MB.") % {"mb": 8}})
        try:
            stored = images.store(photo, folder=f"field/{person.organisation_id}").name
        except images.ImageError as error:
            raise ValidationError({"photo": error.message}) from None
    try:
        with transaction.atomic():
            queue = routing.route_for(actor.organisation, kind)
            report = FieldReport.objects.create(
                organisation=actor.organisation,
                reporter=person,
                program=home_program(person.pk, actor.organisation.pk),
                kind=kind,
                text=body,
                link=address,
                photo=stored,
                may_contact=bool(may_contact),
                personal_data=bool(personal_data),
                owner_role=queue.role,
                department=queue.department,
            )
            audit.record(
                "field.report_filed", organisation=actor.organisation, actor=actor, target=report
            )
            events.record(
                "field.report_filed",
                actor.organisation,
                report_id=report.pk,
                kind=kind,
                person_id=person.pk,
            )
    except Exception:
        if stored:  # nothing half-written: the photo goes with the rolled-back report
            default_storage.delete(stored)
        raise
    return report


def report_to_triage(actor: Actor, report_id: int) -> FieldReport:
    """A report of one of the actor's queues, locked; another's is as unknown as none."""
    report = (
        FieldReport.objects.select_for_update(of=("self",))
        .filter(organisation=actor.organisation, pk=report_id)
        .first()
    )
    if report is None or not routing.may_triage(actor, report):
        if report is not None and allowed(actor, "field.triage"):
            raise PermissionDenied
        raise Http404
    return report


def triage(actor: Actor, report_id: int, *, status: Any, answer: Any = "") -> FieldReport:
    """Sets the status and, with it, the answer the reporter reads. Closing (useful, not
    pursued, already reported) needs an answer: the reporter is owed one."""
    if status not in ReportStatus.values or status == ReportStatus.NEW:
        raise ValidationError({"status": _("Choose the report's new status.")})
    answer_text = (answer if isinstance(answer, str) else "").strip()
    if len(answer_text) > MAX_TEXT:
        raise ValidationError({"answer": _("Write at most 5,000 characters.")})
    if status in CLOSED and not answer_text:
        raise ValidationError({"answer": _("Tell the reporter why, in a few words.")})
    with transaction.atomic():
        report = report_to_triage(actor, report_id)
        if report.erased_at is not None:
            raise ValidationError({"status": _("This report's content was erased.")})
        before = {"status": report.status}
        now = timezone.now()
        report.status = status
        if answer_text:
            report.answer, report.answered_at, report.answered_by = answer_text, now, actor.person
        report.closed_at = now if status in CLOSED else None
        report.save()
        audit.record(
            "field.report_triaged",
            organisation=actor.organisation,
            actor=actor,
            target=report,
            before=before,
            after={"status": status, "answered": bool(answer_text)},
        )
        if answer_text or status in CLOSED:
            events.record(
                "field.report_answered",
                actor.organisation,
                report_id=report.pk,
                status=status,
                person_id=report.reporter_id,
            )
        if status == ReportStatus.USEFUL and before["status"] != ReportStatus.USEFUL:
            events.record(
                "field.report_accepted",
                actor.organisation,
                report_id=report.pk,
                kind=report.kind,
                person_id=report.reporter_id,
                program_id=report.program_id,
            )
    return report


def _amount(value: Any) -> Decimal:
    try:
        amount = Decimal(str(value).strip()) if value not in (None, "") else None
    except (InvalidOperation, ValueError):
        amount = None
    if amount is None or not amount.is_finite() or amount < 0 or amount > MAX_VALUE:
        raise ValidationError({"value": _("Give the value as a positive amount, such as 1200.")})
    return amount.quantize(Decimal("0.01"))


def convert(actor: Actor, report_id: int, *, value: Any, currency: Any) -> FieldReport:
    """Records a lead as converted, with its value, as a conversion of the reporter's own
    tracked link: the program's figures count it. Once per report."""
    amount = _amount(value)
    code = (currency if isinstance(currency, str) else "").strip().upper()
    if len(code) != 3 or not code.isascii() or not code.isalpha():
        raise ValidationError({"currency": _("Give the currency as a three-letter code (EUR).")})
    with transaction.atomic():
        report = report_to_triage(actor, report_id)
        if not report.is_lead:
            raise ValidationError({"value": _("Only a sales or partnership lead converts.")})
        if report.converted_at is not None:
            raise ValidationError({"value": _("This lead is already recorded as converted.")})
        if report.reporter_id is None:
            raise ValidationError({"value": _("The reporter's data was erased.")})
        record_conversion(report, amount, code, timezone.now())
        audit.record(
            "field.lead_converted",
            organisation=actor.organisation,
            actor=actor,
            target=report,
            after={"value": str(amount), "currency": code},
        )
    return report


def record_conversion(report: FieldReport, amount: Decimal, currency: str, when: datetime) -> None:
    """The lead's conversion, reported on a tracked link of the reporter's own (network
    "field", their program) so that the program's figures count it like any other."""
    link = tracking.create_link(
        organisation=report.organisation,
        url=settings.BASE_URL.rstrip("/") + reverse("field:mine_detail", args=[report.pk]),
        network="field",
        person=report.reporter,
        campaign=f"field report {report.pk}",
        program_id=report.program_id,
    )
    tracking.report_conversion(
        organisation=report.organisation,
        reference=link.code,
        kind=ConversionKind.LEAD,
        idempotency_key=f"field-report-{report.pk}",
        value=amount,
        currency=currency,
        occurred_at=when,
        source="field",
    )
    report.converted_at, report.value, report.currency = when, amount, currency
    report.tracked_link_code = link.code
    report.save(update_fields=["converted_at", "value", "currency", "tracked_link_code"])


def set_route(actor: Actor, kind: Any, *, role: Any, department_id: Any = None) -> Route:
    if not allowed(actor, "field.configure"):
        raise PermissionDenied
    if kind not in ReportKind.values:
        raise ValidationError({"kind": _("Choose a kind of report.")})
    if role not in OWNER_ROLES:
        raise ValidationError({"role": _("Choose one of the roles that own a queue.")})
    department = None
    if department_id not in (None, ""):
        department = Department.objects.filter(
            organisation=actor.organisation,
            pk=department_id if isinstance(department_id, int) else 0,
        ).first()
        if department is None:
            raise ValidationError({"department_id": _("Choose a department of yours.")})
    with transaction.atomic():
        before = routing.route_for(actor.organisation, kind)
        route, _created = Route.objects.update_or_create(
            organisation=actor.organisation,
            kind=kind,
            defaults={"role": role, "department": department},
        )
        audit.record(
            "field.route_changed",
            organisation=actor.organisation,
            actor=actor,
            target=route,
            before={
                "role": before.role,
                "department": before.department.name if before.department else None,
            },
            after={
                "kind": kind,
                "role": role,
                "department": department.name if department else None,
            },
        )
    return route


def update_settings(actor: Actor, values: dict[str, Any]) -> FieldSettings:
    if not allowed(actor, "field.configure"):
        raise PermissionDenied
    errors = {}
    for name, value in values.items():
        low, high = SETTING_LIMITS[name]
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            errors[name] = _("Give a whole number from %(low)s to %(high)s.") % {
                "low": low,
                "high": high,
            }
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        row, _created = FieldSettings.objects.get_or_create(organisation=actor.organisation)
        before = {name: getattr(row, name) for name in values}
        for name, value in values.items():
            setattr(row, name, value)
        row.save()
        audit.record(
            "field.settings_changed",
            organisation=actor.organisation,
            actor=actor,
            target=actor.organisation,
            before=before,
            after=dict(values),
        )
    return row


def erase_expired(now: Any = None) -> int:
    """Erases the text, link, photo and answer of the closed reports flagged as holding
    personal data, once their organisation's retention period after closing is over.
    One report that fails is logged and the others are still erased (core/batch.py)."""
    moment = now or timezone.now()
    due: list[FieldReport] = []
    candidates = FieldReport.objects.filter(
        personal_data=True, erased_at__isnull=True, closed_at__isnull=False
    ).values_list("organisation_id", flat=True)
    for organisation_id in sorted(set(candidates)):
        days = settings_of(organisation_id).retention_days
        due.extend(
            FieldReport.objects.filter(
                organisation_id=organisation_id,
                personal_data=True,
                erased_at__isnull=True,
                closed_at__lte=moment - timedelta(days=days),
            ).select_related("organisation")
        )
    return each("field.erase_expired", due, lambda report: erase_content(report, moment)).done


def erase_content(report: FieldReport, moment: Any = None) -> int:
    with transaction.atomic():
        photo = report.photo
        updated = FieldReport.objects.filter(pk=report.pk, erased_at__isnull=True).update(
            text="", link="", photo="", answer="", erased_at=moment or timezone.now()
        )
        if updated:
            audit.record(
                "field.report_erased", organisation=report.organisation, actor=None, target=report
            )
        if photo:
            transaction.on_commit(lambda: default_storage.delete(photo))
    return updated
