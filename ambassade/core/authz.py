"""The one place that decides who may do what.

Every page and API operation asks ``allowed(actor, "<permission>")`` (or uses the
decorators below); nothing else in the code base compares roles. An *actor* is a
person signed in through the browser, a person using a personal API token, or an
organisation token; all three are scoped to one organisation.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase

from ambassade.core.roles import CONSOLE_ROLES, Role, Scope

if TYPE_CHECKING:
    from ambassade.core.models import Organisation
    from ambassade.people.models import Person

EVERYONE = frozenset(Role) | {"employee"}
# A former employee who chose to stay an alumni ambassador signs in with this role only.
ALUMNI = "alumni"
LEARNING_MANAGERS = frozenset({Role.ADMIN, Role.HR, Role.INTERNAL_COMMS, Role.MARKETING})
RECOGNITION_MANAGERS = LEARNING_MANAGERS


@dataclass(frozen=True)
class Rule:
    roles: frozenset[str]
    scope: str


RULES: dict[str, Rule] = {
    "profile.view": Rule(EVERYONE | {ALUMNI}, Scope.PROFILE_READ),
    "console.view": Rule(CONSOLE_ROLES, Scope.PEOPLE_READ),
    "people.view": Rule(
        frozenset({Role.ADMIN, Role.HR, Role.MARKETING, Role.INTERNAL_COMMS, Role.COACH}),
        Scope.PEOPLE_READ,
    ),
    # Alumni too: the API is how their own tools reach their feed, shares and figures.
    "tokens.manage_own": Rule(EVERYONE | {ALUMNI}, Scope.TOKENS_WRITE),
    "tokens.manage_organisation": Rule(frozenset({Role.ADMIN}), Scope.TOKENS_WRITE),
    "audit.view": Rule(frozenset({Role.ADMIN}), Scope.AUDIT_READ),
    "mail.view_outbox": Rule(frozenset({Role.ADMIN}), Scope.MAIL_READ),
    # People management (people app): HR and admins write, the readers above only read.
    "people.manage": Rule(frozenset({Role.ADMIN, Role.HR}), Scope.PEOPLE_WRITE),
    "people.import": Rule(frozenset({Role.ADMIN, Role.HR}), Scope.PEOPLE_IMPORT),
    "roles.manage": Rule(frozenset({Role.ADMIN}), Scope.ROLES_WRITE),
    # HR only: an admin without the HR role sees neither notes nor candidates.
    "hr.notes": Rule(frozenset({Role.HR}), Scope.HR_NOTES),
    "candidates.view": Rule(frozenset({Role.HR}), Scope.HR_NOTES),
    "self_assessment.fill": Rule(EVERYONE, Scope.PROFILE_WRITE),
    "personal_data.export_own": Rule(EVERYONE | {ALUMNI}, Scope.PROFILE_READ),
    "personal_data.request_erasure": Rule(EVERYONE | {ALUMNI}, Scope.PROFILE_WRITE),
    "alumni.choose": Rule(EVERYONE | {ALUMNI}, Scope.PROFILE_WRITE),
    # Alumni ambassadors (docs/decisions/0039-alumni-ambassadors.md): an alumni chooses to
    # appear in the alumni directory, which opted-in alumni, HR and internal communications
    # read; HR and admins end the alumni offer of someone.
    "alumni.directory_own": Rule(frozenset({ALUMNI}), Scope.PROFILE_WRITE),
    "alumni.directory": Rule(frozenset({Role.HR, Role.INTERNAL_COMMS}), Scope.PEOPLE_READ),
    "alumni.end_offer": Rule(frozenset({Role.ADMIN, Role.HR}), Scope.PEOPLE_WRITE),
    "personal_data.manage": Rule(frozenset({Role.ADMIN}), Scope.PERSONAL_DATA),
    "organisation.settings": Rule(frozenset({Role.ADMIN}), Scope.ORGANISATION_WRITE),
    # Outbound webhooks (webhooks app): where the organisation's events are sent, and
    # their signing secrets; an organisation setting, so the admins' only.
    "webhooks.manage": Rule(frozenset({Role.ADMIN}), Scope.ORGANISATION_WRITE),
    "identity.manage": Rule(frozenset({Role.ADMIN}), Scope.ORGANISATION_WRITE),
    # Accounts: one's own sessions; an admin removes a person's second factor (lost phone).
    "sessions.view_own": Rule(EVERYONE | {ALUMNI}, Scope.PROFILE_READ),
    "sessions.manage_own": Rule(EVERYONE | {ALUMNI}, Scope.PROFILE_WRITE),
    "two_factor.reset": Rule(frozenset({Role.ADMIN}), Scope.PEOPLE_WRITE),
    # Ambassador programs (docs/roles.md): marketing runs them, HR creates and runs those
    # whose goal is the employer brand (see PROGRAM_RULES), the working group reads them.
    "programs.view": Rule(CONSOLE_ROLES, Scope.PROGRAMS_READ),
    "programs.manage": Rule(frozenset({Role.ADMIN, Role.MARKETING, Role.HR}), Scope.PROGRAMS_WRITE),
    "charter.manage": Rule(
        frozenset({Role.ADMIN, Role.MARKETING, Role.HR, Role.INTERNAL_COMMS}), Scope.PROGRAMS_WRITE
    ),
    "invitations.manage": Rule(frozenset({Role.ADMIN, Role.HR}), Scope.PROGRAMS_WRITE),
    # Anyone may invite their own direct reports; the action checks the reporting line.
    "invitations.invite_reports": Rule(EVERYONE, Scope.PROGRAMS_WRITE),
    # Audiences (people/audiences.py): those who invite or target content choose groups of
    # people and save them as segments; the scope is the one their jobs already hold.
    "audiences.manage": Rule(
        frozenset({Role.ADMIN, Role.HR, Role.MARKETING, Role.INTERNAL_COMMS}), Scope.PROGRAMS_WRITE
    ),
    "ambassador_types.manage": Rule(frozenset({Role.ADMIN, Role.HR}), Scope.PROGRAMS_WRITE),
    "enrolment.view_own": Rule(EVERYONE | {ALUMNI}, Scope.PROGRAMS_READ),
    "enrolment.manage_own": Rule(EVERYONE | {ALUMNI}, Scope.ENROLMENT_WRITE),
    # Tracked links (tracking app): admins set them up, marketing reads the figures, and
    # a career site or CRM reports conversions with an organisation token.
    "links.view": Rule(frozenset({Role.ADMIN, Role.MARKETING}), Scope.LINKS_READ),
    "tracking.settings": Rule(frozenset({Role.ADMIN}), Scope.ORGANISATION_WRITE),
    "conversions.report": Rule(frozenset({Role.ADMIN}), Scope.CONVERSIONS_WRITE),
    # Content hub: the studio is marketing's, internal comms' and admins'; who approves an
    # item is decided per program (content.policies); the feed is everyone's.
    "content.view": Rule(
        frozenset({Role.ADMIN, Role.MARKETING, Role.INTERNAL_COMMS}), Scope.CONTENT_READ
    ),
    "content.edit": Rule(
        frozenset({Role.ADMIN, Role.MARKETING, Role.INTERNAL_COMMS}), Scope.CONTENT_WRITE
    ),
    "content.review": Rule(CONSOLE_ROLES, Scope.CONTENT_REVIEW),
    "content.policies": Rule(frozenset({Role.ADMIN, Role.MARKETING}), Scope.CONTENT_WRITE),
    # The promotional threshold and the hosts that previews may read: marketing's, who
    # produces the content, as well as the admins'.
    "content.settings": Rule(frozenset({Role.ADMIN, Role.MARKETING}), Scope.CONTENT_WRITE),
    "guidelines.manage": Rule(
        frozenset({Role.ADMIN, Role.MARKETING, Role.INTERNAL_COMMS}), Scope.CONTENT_WRITE
    ),
    "guidelines.check": Rule(EVERYONE, Scope.CONTENT_READ),
    "suggestions.submit": Rule(frozenset({Role.AMBASSADOR}), Scope.CONTENT_SUGGEST),
    "suggestions.moderate": Rule(
        frozenset({Role.ADMIN, Role.MARKETING, Role.INTERNAL_COMMS}), Scope.CONTENT_WRITE
    ),
    "feed.view": Rule(EVERYONE | {ALUMNI}, Scope.CONTENT_READ),
    # Sharing: each person connects their own accounts and shares (the action also asks
    # programs.may_share); the pause switch is for a crisis; admins set the rules.
    "sharing.view_own": Rule(EVERYONE | {ALUMNI}, Scope.SHARING_READ),
    "sharing.accounts": Rule(EVERYONE | {ALUMNI}, Scope.SHARING_WRITE),
    "sharing.share": Rule(EVERYONE | {ALUMNI}, Scope.SHARING_WRITE),
    "sharing.pause": Rule(
        frozenset({Role.ADMIN, Role.MARKETING, Role.INTERNAL_COMMS}), Scope.SHARING_MANAGE
    ),
    "sharing.settings": Rule(frozenset({Role.ADMIN}), Scope.ORGANISATION_WRITE),
    # Autopilot (autopilot app): one's own, opt-in; its bounds are the admins'.
    "autopilot.view_own": Rule(EVERYONE, Scope.SHARING_READ),
    "autopilot.use": Rule(EVERYONE, Scope.SHARING_WRITE),
    "autopilot.settings": Rule(frozenset({Role.ADMIN}), Scope.ORGANISATION_WRITE),
    # Crisis mode (crisis app): those who hold the pause switch declare and end a crisis,
    # with the same scope; everyone signed in reads the current crisis.
    "crisis.manage": Rule(
        frozenset({Role.ADMIN, Role.MARKETING, Role.INTERNAL_COMMS}), Scope.SHARING_MANAGE
    ),
    "crisis.view": Rule(EVERYONE | {ALUMNI}, Scope.PROFILE_READ),
    # Analytics: the working group reads program aggregates; everyone reads their own
    # figures and the definitions ("how we count").
    "analytics.view": Rule(CONSOLE_ROLES, Scope.ANALYTICS_READ),
    "analytics.view_own": Rule(EVERYONE | {ALUMNI}, Scope.ANALYTICS_READ),
    "analytics.settings": Rule(frozenset({Role.ADMIN, Role.MARKETING}), Scope.ANALYTICS_WRITE),
    # Qualitative contributions (talks, articles, events, training) and the review report.
    "contributions.manage_own": Rule(EVERYONE | {ALUMNI}, Scope.CONTRIBUTIONS_WRITE),
    "contributions.report_own": Rule(EVERYONE | {ALUMNI}, Scope.ANALYTICS_READ),
    "contributions.report": Rule(frozenset({Role.ADMIN, Role.HR}), Scope.ANALYTICS_READ),
    # Web push: each person turns notifications on or off on their own devices.
    "push.manage_own": Rule(EVERYONE | {ALUMNI}, Scope.PROFILE_WRITE),
    # A program's Slack and Teams channels (chat_channels app): admins on every program,
    # the program managers' roles on the programs they own (PROGRAM_RULES).
    "chat_channels.manage": Rule(
        frozenset({Role.ADMIN, Role.MARKETING, Role.HR}), Scope.PROGRAMS_WRITE
    ),
    # Notifications: everyone reads their own and chooses what they receive; admins and
    # internal communications see which kinds are noisy.
    "notifications.view_own": Rule(EVERYONE | {ALUMNI}, Scope.PROFILE_READ),
    "notifications.manage_own": Rule(EVERYONE | {ALUMNI}, Scope.PROFILE_WRITE),
    "notifications.report": Rule(
        frozenset({Role.ADMIN, Role.INTERNAL_COMMS}), Scope.ANALYTICS_READ
    ),
    # Problem reports (incidents app): everyone reports a situation and follows their own;
    # who sees and handles one report is decided by may_see_report / may_handle_report
    # (the reporter, their coach, internal communications and admins; the program's owners
    # once it is escalated). Internal communications and admins set the response targets.
    "incidents.report": Rule(EVERYONE, Scope.SHARING_WRITE),
    "incidents.view": Rule(EVERYONE, Scope.SHARING_READ),
    "incidents.handle": Rule(EVERYONE, Scope.SHARING_WRITE),
    "incidents.triage": Rule(frozenset({Role.ADMIN, Role.INTERNAL_COMMS}), Scope.SHARING_READ),
    "incidents.settings": Rule(frozenset({Role.ADMIN, Role.INTERNAL_COMMS}), Scope.SHARING_MANAGE),
    # Provisioning by an identity provider (provisioning app, SCIM 2.0): admins make its
    # tokens and choose what its groups are; HR and admins read what it did.
    "provisioning.manage": Rule(frozenset({Role.ADMIN}), Scope.ORGANISATION_WRITE),
    "provisioning.report": Rule(frozenset({Role.ADMIN, Role.HR}), Scope.PEOPLE_READ),
    # The e-mail digest: each person chooses their own rhythm (digests app).
    "digest.manage_own": Rule(EVERYONE, Scope.PROFILE_WRITE),
    "digest.view_own": Rule(EVERYONE, Scope.PROFILE_READ),
    # Training (learning app): HR, internal communications and marketing write the modules;
    # the progress report is theirs on everyone, and the other console roles' on the
    # people of the programs they own (learning.progress); everyone takes the modules.
    "learning.manage": Rule(LEARNING_MANAGERS, Scope.LEARNING_WRITE),
    "learning.view": Rule(CONSOLE_ROLES, Scope.ANALYTICS_READ),
    "learning.take": Rule(EVERYONE | {ALUMNI}, Scope.LEARNING_TAKE),
    # Coaching (coaching app): HR and admins assign coaches; a coach answers the threads
    # and reviews of their own ambassadors only (coaching/access.py decides which); the
    # overview shows counts and answer times, never what a question says, to those who
    # run the programs (admins, HR, marketing).
    "coaching.assign": Rule(frozenset({Role.ADMIN, Role.HR}), Scope.PEOPLE_WRITE),
    "coaching.coach": Rule(frozenset({Role.COACH}), Scope.COACHING_WRITE),
    "coaching.ask": Rule(frozenset({Role.AMBASSADOR}), Scope.COACHING_WRITE),
    "coaching.overview": Rule(
        frozenset({Role.ADMIN, Role.HR, Role.MARKETING}), Scope.ANALYTICS_READ
    ),
    # The explanations of the profile checklist, in the organisation's words.
    "coaching.checklist": Rule(
        frozenset({Role.ADMIN, Role.HR, Role.INTERNAL_COMMS}), Scope.PROGRAMS_WRITE
    ),
    # Field reports (field app): everyone enrolled files them; the owners of a queue (the
    # role a kind is routed to, field/routing.py decides which reports) triage theirs and
    # read the figures; admins route the kinds to the queues.
    "field.report": Rule(EVERYONE, Scope.FIELD_WRITE),
    "field.triage": Rule(
        frozenset(
            {Role.ADMIN, Role.MARKETING, Role.HR, Role.INTERNAL_COMMS, Role.SALES_MANAGEMENT}
        ),
        Scope.FIELD_TRIAGE,
    ),
    "field.configure": Rule(frozenset({Role.ADMIN}), Scope.ORGANISATION_WRITE),
    # Delegated drafts (delegation app): anyone names a colleague who writes posts for
    # them, and approves or refuses each draft; the actions check which side one is on.
    "delegation.view_own": Rule(EVERYONE, Scope.SHARING_READ),
    "delegation.manage_own": Rule(EVERYONE, Scope.SHARING_WRITE),
    # Recognition (recognition app): everyone reads their own points and badges, the
    # challenges open to them and the boards they may see, and chooses to appear on boards
    # and requests rewards; the working group's marketing, HR and internal communications
    # set the rules, campaigns, challenges, badges and rewards; HR and admins correct a
    # ledger (fraud) and fulfil rewards; the console reads campaigns and the calendar.
    "recognition.view_own": Rule(EVERYONE | {ALUMNI}, Scope.RECOGNITION_READ),
    "recognition.manage_own": Rule(EVERYONE | {ALUMNI}, Scope.RECOGNITION_WRITE),
    "recognition.view": Rule(CONSOLE_ROLES, Scope.RECOGNITION_READ),
    "recognition.manage": Rule(RECOGNITION_MANAGERS, Scope.RECOGNITION_MANAGE),
    "recognition.correct": Rule(frozenset({Role.ADMIN, Role.HR}), Scope.RECOGNITION_MANAGE),
    "recognition.fulfil": Rule(
        frozenset({Role.ADMIN, Role.HR, Role.INTERNAL_COMMS}), Scope.RECOGNITION_MANAGE
    ),
    # Referrals (referrals app): everyone who reads the feed refers candidates for its job
    # offers and follows their own referrals; HR and admins read each offer's referrals
    # (names and addresses of confirmed candidates only) and erase one on request.
    "referrals.refer": Rule(EVERYONE, Scope.REFERRALS_WRITE),
    "referrals.manage": Rule(frozenset({Role.ADMIN, Role.HR}), Scope.REFERRALS_MANAGE),
}


# Object-level rules: a permission that some roles hold on every program of the
# organisation, and the others only on the programs they own or whose goal is the
# employer brand (HR's programs). Asked through allowed_on_program().
EMPLOYER_BRAND = "employer_brand"
PROGRAM_RULES: dict[str, frozenset[str]] = {
    "programs.manage": frozenset({Role.ADMIN, Role.MARKETING}),
    "chat_channels.manage": frozenset({Role.ADMIN}),
}


@dataclass(frozen=True)
class Actor:
    organisation: Organisation
    person: Person | None
    roles: frozenset[str]
    # None: a browser session, bounded by roles only. A set: an API token's scopes.
    scopes: frozenset[str] | None = None
    via: str = "web"
    token_id: int | None = field(default=None)
    # The token's name and prefix, for the audit log ("" for a browser session).
    token_label: str = ""

    @property
    def label(self) -> str:
        if self.person is not None:
            return self.person.full_name
        return f"API token #{self.token_id}"


def scopes_for_roles(roles: frozenset[str]) -> frozenset[str]:
    """The scopes a token may hold for a person with these roles: those of the rules
    the roles open. A token never holds more, at creation or at any use."""
    return frozenset(rule.scope for rule in RULES.values() if rule.roles & roles)


def allowed(actor: Actor | None, permission: str) -> bool:
    if actor is None:
        return False
    rule = RULES[permission]  # a KeyError here is a typo in the code, not a user error
    if not (actor.roles & rule.roles):
        return False
    return actor.scopes is None or rule.scope in actor.scopes


def allowed_on_program(actor: Actor | None, permission: str, program: Any) -> bool:
    """``allowed()`` for one program: of the actor's organisation, and for a permission
    of PROGRAM_RULES, held on every program or on this one (owned, or employer brand)."""
    if actor is None or not allowed(actor, permission):
        return False
    if program.organisation_id != actor.organisation.pk:
        return False
    everywhere = PROGRAM_RULES.get(permission)
    if everywhere is None or actor.roles & everywhere:
        return True
    if EMPLOYER_BRAND in (program.objectives or []):
        return True
    return actor.person is not None and program.owners.filter(pk=actor.person.pk).exists()


def _report_role(actor: Actor, report: Any) -> str:
    """How the actor stands to a problem report: "reporter", "coach", "triage" (internal
    communications, admins), "owner" (of its program, once escalated) or ""."""
    if report.organisation_id != actor.organisation.pk:
        return ""
    person_id = actor.person.pk if actor.person is not None else None
    if person_id is not None and person_id == report.reporter_id:
        return "reporter"
    if person_id is not None and person_id == report.coach_id:
        return "coach"
    if allowed(actor, "incidents.triage"):
        return "triage"
    escalated = report.escalated_at is not None
    if person_id is not None and escalated and person_id in report.owner_ids():
        return "owner"
    return ""


def may_see_report(actor: Actor | None, report: Any) -> bool:
    """The reporter, their coach, internal communications, admins; the program's owners
    once the report is escalated. Nobody of another organisation."""
    return (
        actor is not None and allowed(actor, "incidents.view") and bool(_report_role(actor, report))
    )


def may_handle_report(actor: Actor | None, report: Any) -> bool:
    """Acknowledge, resolve, reopen: those who see it, except the reporter themselves."""
    if actor is None or not allowed(actor, "incidents.handle"):
        return False
    return _report_role(actor, report) in {"coach", "triage", "owner"}


def objectives_allowed(actor: Actor, objectives: list[str]) -> bool:
    """Whether the actor may give a program these objectives: the roles of PROGRAM_RULES
    any, the others (HR) only a program whose goals include the employer brand."""
    if actor.roles & PROGRAM_RULES["programs.manage"]:
        return True
    return EMPLOYER_BRAND in objectives


def actor_for_person(person: Person, *, via: str = "web") -> Actor:
    return Actor(organisation=person.organisation, person=person, roles=person.role_set, via=via)


def require(
    permission: str,
) -> Callable[[Callable[..., HttpResponseBase]], Callable[..., HttpResponseBase]]:
    """View decorator: signed in, member of the current organisation, and allowed."""

    def decorator(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not request.user.is_authenticated:
                from django.contrib.auth.views import redirect_to_login

                return redirect_to_login(request.get_full_path())
            actor = getattr(request, "actor", None)
            if actor is None:
                # Signed in but not a member of any organisation here.
                raise Http404
            if not allowed(actor, permission):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
