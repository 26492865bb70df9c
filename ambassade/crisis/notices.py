"""What the crisis tells people: everyone at its start and end, and the authors whose
posts were returned or cancelled. Each notice is written in its reader's language."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ambassade.core.roles import CONSOLE_ROLES
from ambassade.notifications import kinds
from ambassade.notifications.actions import language_of, notify
from ambassade.people.models import Person
from ambassade.programs.models import Enrolment

if TYPE_CHECKING:
    from ambassade.crisis.models import Crisis
    from ambassade.sharing.models import ShareTarget

CRISIS = "crisis"
POSTS_SETTLED = "crisis_posts"

DEFAULT_TO_DO = gettext_lazy(
    "Read this notice and the crisis page. Send questions from journalists or customers "
    "to the spokespeople. Check your scheduled posts in My posts."
)
DEFAULT_NOT_TO_DO = gettext_lazy(
    "Do not post, comment or share about the organisation until the crisis ends. Do not "
    "answer questions about the crisis yourself."
)


def register_kinds() -> None:
    every_channel = frozenset({kinds.IN_APP, kinds.EMAIL, kinds.PUSH})
    kinds.register(
        kinds.Kind(
            CRISIS,
            gettext_lazy("Crisis"),
            gettext_lazy("Your organisation starts or ends a crisis: what to do, what not to do."),
            gettext_lazy("You get this because your organisation declared a crisis."),
            urgent=True,
            defaults=every_channel,
            console_defaults=every_channel,
        )
    )
    kinds.register(
        kinds.Kind(
            POSTS_SETTLED,
            gettext_lazy("My posts during a crisis"),
            gettext_lazy("Your scheduled posts were returned to you or cancelled by a crisis."),
            gettext_lazy("You get this because a crisis stopped posts of yours."),
            urgent=True,
            defaults=every_channel,
            console_defaults=every_channel,
        )
    )


def to_do(crisis: Crisis) -> str:
    return crisis.to_do or str(DEFAULT_TO_DO)


def not_to_do(crisis: Crisis) -> str:
    return crisis.not_to_do or str(DEFAULT_NOT_TO_DO)


def everyone(organisation_id: int) -> QuerySet[Person]:
    """Every enrolled ambassador and every console person who is still here."""
    enrolled = Enrolment.objects.filter(
        program__organisation_id=organisation_id, status=Enrolment.Status.ACTIVE
    ).values("person_id")
    return (
        Person.objects.filter(organisation_id=organisation_id, anonymised_at__isnull=True)
        .exclude(employment_status="left")
        .filter(Q(pk__in=enrolled) | Q(role_assignments__role__in=CONSOLE_ROLES))
        .distinct()
        .select_related("user", "organisation")
        .prefetch_related("role_assignments")
        .order_by("pk")
    )


def tell_everyone(crisis: Crisis, *, started: bool, event_id: int) -> int:
    """The notice of the start or of the end; returns how many people got it."""
    url = reverse("crisis:current")
    sent = 0
    for person in everyone(crisis.organisation_id):
        with translation.override(language_of(person)):
            if started:
                title = _("Crisis: %(name)s") % {"name": crisis.name}
                body = "\n\n".join(
                    [
                        crisis.description,
                        _("What to do: %(text)s") % {"text": to_do(crisis)},
                        _("What not to do: %(text)s") % {"text": not_to_do(crisis)},
                        _("Sharing is closed until the crisis ends."),
                    ]
                )
            else:
                title = _("The crisis is over: %(name)s") % {"name": crisis.name}
                body = _("Sharing is open again. Check My posts: some may wait for you.")
            if notify(person, CRISIS, title=title, body=body, url=url, event_id=event_id):
                sent += 1
    return sent


def tell_authors(targets: list[ShareTarget], crisis: Crisis, *, returned: bool) -> int:
    """One notice per author whose posts the crisis returned or cancelled."""
    by_author: dict[int, list[ShareTarget]] = defaultdict(list)
    for target in targets:
        by_author[target.share.person_id].append(target)
    url = reverse("sharing:posts")
    for found in by_author.values():
        person = found[0].share.person
        with translation.override(language_of(person)):
            titles = ", ".join(sorted({f"“{target.share.item.title}”" for target in found}))
            if returned:
                title = _("Your posts are back with you")
                body = _(
                    "Because of the crisis “%(name)s”, %(count)d of your posts were not "
                    "published: %(titles)s. Nothing will publish them now: schedule them "
                    "again or cancel them in My posts."
                )
            else:
                title = _("Your posts are cancelled")
                body = _(
                    "Because of the crisis “%(name)s”, %(count)d of your posts were "
                    "cancelled: %(titles)s."
                )
            notify(
                person,
                POSTS_SETTLED,
                title=title,
                body=body % {"name": crisis.name, "count": len(found), "titles": titles},
                url=url,
                event_id=None,
            )
    return len(by_author)


def held_reason(crisis: Crisis) -> str:
    """The pause's reason, which authors read next to their held posts."""
    return _("Crisis: %(name)s") % {"name": crisis.name}


def returned_reason(crisis: Crisis) -> str:
    return _("Returned to you because of the crisis “%(name)s”.") % {"name": crisis.name}


def cancelled_reason(crisis: Crisis) -> str:
    return _("Cancelled because of the crisis “%(name)s”.") % {"name": crisis.name}
