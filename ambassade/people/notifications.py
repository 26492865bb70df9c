"""The messages the people app sends. Each is queued on commit, in the reader's language."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from ambassade.core import display
from ambassade.core.roles import Role
from ambassade.people.models import EmploymentStatus, Person


def absolute(url_name: str, *args: object) -> str:
    return settings.BASE_URL.rstrip("/") + reverse(url_name, args=args)


def _language(person: Person) -> str:
    user = person.user
    return (user.language if user is not None and user.language else "") or (
        person.organisation.default_language
    )


def queue(
    person_or_org_slug: str,
    subject: str,
    body: str,
    to: list[str],
    action_url: str = "",
    action_label: str = "",
) -> None:
    """Call it in the reader's language: the mail's HTML part is made in that language."""
    from ambassade.people.tasks import send_mail

    if not to:
        return
    language = translation.get_language()
    transaction.on_commit(
        lambda: send_mail.enqueue(
            organisation_slug=person_or_org_slug,
            subject=subject,
            body=body,
            to=to,
            action_url=action_url,
            action_label=action_label,
            language=language,
        )
    )


def hr_people(person: Person) -> list[Person]:
    return list(
        Person.objects.filter(
            organisation_id=person.organisation_id,
            role_assignments__role=Role.HR,
            anonymised_at__isnull=True,
        )
        .exclude(employment_status=EmploymentStatus.LEFT)
        .select_related("user", "organisation")
        .distinct()
    )


def admins(person: Person) -> list[Person]:
    return list(
        Person.objects.filter(
            organisation_id=person.organisation_id,
            role_assignments__role=Role.ADMIN,
            anonymised_at__isnull=True,
        )
        .exclude(employment_status=EmploymentStatus.LEFT)
        .select_related("user", "organisation")
        .distinct()
    )


def account_invitation(person: Person, link: str) -> None:
    with translation.override(_language(person)):
        subject = _("%(organisation)s invites you to Ambassade") % {
            "organisation": person.organisation.name
        }
        body = _(
            "Hello %(name)s,\n\n"
            "%(organisation)s uses Ambassade for its ambassador programs. Choose a password "
            "to sign in with this link (valid for 14 days, usable once):\n\n%(link)s\n\n"
            "Joining a program stays your choice: signing in commits you to nothing."
        ) % {"name": person.first_name, "organisation": person.organisation.name, "link": link}
        queue(
            person.organisation.slug,
            subject,
            body,
            [person.email],
            action_url=link,
            action_label=_("Choose my password"),
        )


def alumni_space_closed(person: Person) -> None:
    """Neutral on purpose: the reason HR gave stays in the audit log."""
    if not person.email:
        return
    with translation.override(_language(person)):
        subject = _("Your alumni ambassador space is closed")
        body = _(
            "Hello %(name)s,\n\n"
            "Your alumni ambassador space at %(organisation)s is closed: you no longer "
            "share on its behalf, and the posts you had scheduled will not be published. "
            "Thank you for everything you shared with us, and all the best for what comes "
            "next."
        ) % {"name": person.first_name, "organisation": person.organisation.name}
        queue(person.organisation.slug, subject, body, [person.email])


def position_changed(
    person: Person,
    before: dict[str, object],
    after: dict[str, object],
    author: Person | None = None,
) -> None:
    def lines() -> str:
        labels = {
            "job_title": _("Job title"),
            "department": _("Department"),
            "site": _("Site"),
            "manager": _("Manager"),
        }
        return "\n".join(
            f"- {labels.get(name, name)}: {before[name] or '—'} → {after[name] or '—'}"
            for name in sorted(after)
        )

    with translation.override(_language(person)):
        subject = _("Your position was updated")
        body = _(
            "Hello %(name)s,\n\nHR recorded a change of your position:\n\n%(lines)s\n\n"
            "If you are an ambassador, your programs and feed follow your new position."
        ) % {"name": person.first_name, "lines": lines()}
        queue(person.organisation.slug, subject, body, [person.email])
    for reader in hr_people(person):
        if reader.pk == person.pk or (author is not None and reader.pk == author.pk):
            continue  # they already know: it is about them, or they made the change
        with translation.override(_language(reader)):
            subject = _("Position change: %(name)s") % {"name": person.full_name}
            body = _("%(name)s's position changed:\n\n%(lines)s\n\n%(link)s") % {
                "name": person.full_name,
                "lines": lines(),
                "link": absolute("people:person", person.pk),
            }
            queue(person.organisation.slug, subject, body, [reader.email])


def departure_notice(person: Person) -> None:
    with translation.override(_language(person)):
        subject = _("Before you leave %(organisation)s") % {
            "organisation": person.organisation.name
        }
        body = _(
            "Hello %(name)s,\n\nYour last day is recorded as %(date)s. Before then:\n\n"
            "1. Download a copy of your data in Ambassade: %(export)s\n\n"
            "2. Decide whether you would like to stay an alumni ambassador, sharing news of "
            "%(organisation)s from time to time if you wish. It is entirely your choice: "
            "%(alumni)s\n\n"
            "Without an answer, your access ends on your last day and your data is "
            "anonymised after the retention period."
        ) % {
            "name": person.first_name,
            "date": display.long_date(person.end_date),
            "organisation": person.organisation.name,
            "export": absolute("people:my_data"),
            "alumni": absolute("people:alumni"),
        }
        queue(
            person.organisation.slug,
            subject,
            body,
            [person.email],
            action_url=absolute("people:my_data"),
            action_label=_("Download a copy of my data"),
        )


def erasure_requested(person: Person) -> None:
    for reader in admins(person):
        with translation.override(_language(reader)):
            subject = _("Erasure request from %(name)s") % {"name": person.full_name}
            body = _(
                "%(name)s asks for their personal data to be erased. Review and erase it from "
                "their page:\n\n%(link)s"
            ) % {"name": person.full_name, "link": absolute("people:erase", person.pk)}
            queue(
                person.organisation.slug,
                subject,
                body,
                [reader.email],
                action_url=absolute("people:erase", person.pk),
                action_label=_("Review the request"),
            )
