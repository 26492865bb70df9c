"""Background work of the programs: the mails, and the hourly reminders and expiry."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from ambassade.core import display, mail
from ambassade.core.periodic import every
from ambassade.core.roles import Role


def _language(person: Any) -> str:
    user_language = person.user.language if person.user_id else ""
    return user_language or person.organisation.default_language or "en"


def _time_zone(person: Any) -> str:
    return (person.user.time_zone if person.user_id else "") or person.organisation.time_zone


def _link(path: str) -> str:
    return settings.BASE_URL.rstrip("/") + path


@task()
def send_invitation_mail(invitation_id: int, reminder: bool = False) -> int:
    from ambassade.programs.actions import issue_link

    issued = issue_link(invitation_id)
    if issued is None:
        return 0
    invitation, token = issued
    person, program = invitation.person, invitation.program
    with translation.override(_language(person)):
        link = _link(reverse("programs:invitation_link", args=[token]))
        subject = (
            _("Reminder: your invitation to “%(program)s”")
            if reminder
            else _("You are invited to join “%(program)s”")
        ) % {"program": program.name}
        body = _(
            "Hello %(name)s,\n\n"
            "You are invited to join the ambassador program “%(program)s” of %(organisation)s.\n"
            "Joining is voluntary: read the charter, then accept or decline. Declining has no "
            "consequence.\n\n"
            "Open your invitation: %(link)s\n"
            "If you have no account yet, this link lets you choose your password first.\n\n"
            "The invitation is valid until %(expires)s."
        ) % {
            "name": person.first_name,
            "program": program.name,
            "organisation": program.organisation.name,
            "link": link,
            "expires": display.long_date(invitation.expires_at, _time_zone(person)),
        }
    return mail.send(
        organisation_slug=program.organisation.slug,
        subject=subject,
        body=body,
        to=[person.email],
        action_url=link,
        language=_language(person),
    )


@task()
def send_renewal_request_mail(invitation_id: int) -> int:
    """Tells whoever sent the invitation (or HR, when they cannot be reached) that the
    invitee asked for a new link."""
    from ambassade.people.models import Person
    from ambassade.programs.models import Invitation

    invitation = (
        Invitation.objects.select_related("person", "program__organisation", "invited_by__user")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None:
        return 0
    person, program = invitation.person, invitation.program
    organisation = program.organisation
    inviter = invitation.invited_by
    if inviter is not None and inviter.employment_status != "left" and inviter.email:
        recipients, language = [inviter.email], _language(inviter)
    else:
        recipients = list(
            Person.objects.filter(organisation=organisation, role_assignments__role=Role.HR)
            .exclude(employment_status="left")
            .values_list("email", flat=True)
            .distinct()
        )
        language = organisation.default_language or "en"
    if not recipients:
        return 0
    with translation.override(language):
        link = _link(reverse("programs:invitations", args=[program.pk]))
        subject = _("%(person)s asks for a new invitation link") % {"person": person.full_name}
        body = _(
            "%(person)s (%(email)s) opened their invitation to “%(program)s”, but its link "
            "had expired or was already used, and asks for a new one.\n\n"
            "Send a new invitation from the program's invitations page: %(link)s"
        ) % {
            "person": person.full_name,
            "email": person.email,
            "program": program.name,
            "link": link,
        }
    return mail.send(
        organisation_slug=organisation.slug,
        subject=subject,
        body=body,
        to=recipients,
        action_url=link,
        language=language,
    )


@task()
def send_reacceptance_mail(enrolment_ids: list[int]) -> int:
    from ambassade.programs.models import Enrolment

    sent = 0
    enrolments = Enrolment.objects.filter(
        pk__in=enrolment_ids, status=Enrolment.Status.PAUSED
    ).select_related("person__user", "program__organisation")
    for enrolment in enrolments:
        person, program = enrolment.person, enrolment.program
        with translation.override(_language(person)):
            link = _link(reverse("programs:reaccept", args=[enrolment.pk]))
            subject = _("The charter of “%(program)s” has changed") % {"program": program.name}
            body = _(
                "Hello %(name)s,\n\n"
                "A new version of the charter of “%(program)s” is published. Until you read "
                "and accept it, sharing for this program is paused.\n\n"
                "Read what changed and accept it: %(link)s\n\n"
                "You may also leave the program from the same page."
            ) % {"name": person.first_name, "program": program.name, "link": link}
        sent += mail.send(
            organisation_slug=program.organisation.slug,
            subject=subject,
            body=body,
            to=[person.email],
            action_url=link,
            language=_language(person),
        )
    return sent


@task()
def send_review_mail(enrolment_id: int) -> int:
    """Tells the person (and HR) that their new position may call for another type."""
    from ambassade.people.models import Person
    from ambassade.programs.models import Enrolment

    enrolment = (
        Enrolment.objects.select_related(
            "person__user", "program__organisation", "ambassador_type", "suggested_type"
        )
        .filter(pk=enrolment_id, review_requested_at__isnull=False)
        .first()
    )
    if enrolment is None:
        return 0
    person, program = enrolment.person, enrolment.program
    organisation = program.organisation
    with translation.override(_language(person)):
        link = _link(reverse("programs:review", args=[enrolment.pk]))
        subject = _("Your role in “%(program)s” after your change of position") % {
            "program": program.name
        }
        body = _(
            "Hello %(name)s,\n\n"
            "Your position changed (%(reason)s). Nothing changes in the program until you "
            "confirm: keep your current ambassador type or take the suggested one.\n\n"
            "Confirm here: %(link)s"
        ) % {"name": person.first_name, "reason": enrolment.review_reason, "link": link}
    sent = mail.send(
        organisation_slug=organisation.slug,
        subject=subject,
        body=body,
        to=[person.email],
        action_url=link,
        language=_language(person),
    )
    hr = list(
        Person.objects.filter(organisation=organisation, role_assignments__role=Role.HR)
        .exclude(employment_status="left")
        .values_list("email", flat=True)
    )
    if hr:
        with translation.override(organisation.default_language or "en"):
            sent += mail.send(
                organisation_slug=organisation.slug,
                subject=_("Ambassador type to review: %(person)s") % {"person": person.full_name},
                body=_(
                    "%(person)s changed position (%(reason)s) and is enrolled in “%(program)s”. "
                    "They have been asked to confirm their ambassador type."
                )
                % {
                    "person": person.full_name,
                    "reason": enrolment.review_reason,
                    "program": program.name,
                },
                to=hr,
            )
    return sent


@every(hours=1)
@task()
def remind_and_expire_invitations() -> dict[str, int]:
    from ambassade.programs import actions

    expired = actions.expire_invitations()
    reminded = actions.send_due_reminders()
    return {"expired": expired, "reminded": reminded}
