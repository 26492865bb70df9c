"""What every page's navigation needs: the sidebar entries this person may open."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ambassade.core import brand
from ambassade.core.authz import allowed

# (permission, url name, label, space). The sidebar shows only what the roles allow.
NAVIGATION = [
    ("console.view", "console:overview", _("Overview"), "console"),
    ("people.view", "people:directory", _("People"), "console"),
    ("candidates.view", "people:candidates", _("Candidates"), "console"),
    ("programs.view", "programs:list", _("Programs"), "console"),
    ("programs.view", "programs:ambassador_types", _("Ambassador types"), "console"),
    ("content.view", "content:studio", _("Content"), "console"),
    ("content.review", "content:review", _("Content review"), "console"),
    ("links.view", "tracking:links", _("Tracked links"), "console"),
    ("analytics.view", "analytics:index", _("Figures"), "console"),
    ("audit.view", "console:audit", _("Audit log"), "console"),
    ("mail.view_outbox", "console:outbox", _("Mail outbox"), "console"),
    ("organisation.settings", "console:settings", _("Organisation settings"), "console"),
    ("sharing.pause", "sharing:console", _("Sharing"), "console"),
    ("crisis.manage", "crisis:console", _("Crisis"), "console"),
    ("autopilot.settings", "autopilot:console", _("Autopilot"), "console"),
    ("notifications.report", "notifications:report", _("Notifications"), "console"),
    ("learning.view", "learning:index", _("Training"), "console"),
    ("recognition.view", "recognition:campaign_list", _("Campaigns"), "console"),
    ("recognition.view", "recognition:console", _("Recognition"), "console"),
    ("console.view", "incidents:console", _("Problem reports"), "console"),
    ("field.triage", "field:queue", _("Field reports"), "console"),
    ("coaching.coach", "coaching:coach_home", _("My ambassadors"), "console"),
    ("coaching.overview", "coaching:overview", _("Coaching"), "console"),
    ("coaching.checklist", "coaching:explanations", _("Profile checklist"), "console"),
    ("provisioning.report", "provisioning:report", _("Provisioning"), "console"),
    ("recognition.fulfil", "recognition:rewards_queue", _("Reward requests"), "console"),
    ("referrals.manage", "referrals:offers", _("Referrals"), "console"),
    ("alumni.directory", "alumni:directory", _("Alumni directory"), "console"),
    # The ambassador's bottom bar: at most five short words, so that it fits a 320 px phone
    # in French and English; the rest (My programs, My accounts...) is linked from "Me".
    ("profile.view", "people:home", pgettext_lazy("bottom bar", "Home"), "ambassador"),
    ("feed.view", "content:feed", pgettext_lazy("bottom bar", "Feed"), "ambassador"),
    ("sharing.view_own", "sharing:posts", pgettext_lazy("bottom bar", "My posts"), "ambassador"),
    (
        "analytics.view_own",
        "analytics:mine",
        pgettext_lazy("bottom bar", "My figures"),
        "ambassador",
    ),
    ("profile.view", "people:me", pgettext_lazy("bottom bar", "Me"), "ambassador"),
]


# Pages reached from a bottom-bar entry light that entry up.
SECTION_OF = {
    "programs:mine": "people:me",
    "programs:reaccept": "people:me",
    "programs:leave": "people:me",
    "sharing:accounts": "people:me",
    "sharing:connect": "people:me",
    "sharing:schedule": "sharing:posts",
    "sharing:composer": "content:feed",
    "content:suggest": "content:feed",
    "analytics:how_we_count": "analytics:mine",
    "people:tokens": "people:me",
    "people:self_assessment": "people:me",
    "people:alumni": "people:me",
    "alumni:mine": "people:me",
    "alumni:end_offer": "people:directory",
    "programs:review": "people:me",
    "programs:invitation": "people:home",
    "contributions:mine": "people:me",
    "recognition:mine": "people:me",
    "recognition:rules": "recognition:console",
    "recognition:person_points": "recognition:console",
    "push:device": "people:me",
    "notifications:list": "people:home",
    "notifications:preferences": "people:me",
    "learning:path": "people:me",
    "learning:module": "people:me",
    "learning:attempt": "people:me",
    "recognition:badges": "people:me",
    "recognition:badges_of_person": "people:me",
    "recognition:console_badges": "recognition:console",
    "recognition:badge_new": "recognition:console",
    "recognition:badge_edit": "recognition:console",
    "recognition:highlights": "recognition:console",
    "recognition:challenge_mine": "people:me",
    "recognition:calendar": "recognition:campaign_list",
    "recognition:campaign": "recognition:campaign_list",
    "recognition:challenge_new": "recognition:campaign_list",
    "recognition:challenge_edit": "recognition:campaign_list",
    "incidents:mine": "people:me",
    "incidents:new": "people:me",
    "incidents:mine_detail": "people:me",
    "sharing:delete": "sharing:posts",
    "coaching:mine": "people:me",
    "coaching:thread": "people:me",
    "coaching:checklist": "people:me",
    "field:mine": "people:me",
    "field:new": "people:me",
    "field:mine_detail": "people:me",
    "field:detail": "field:queue",
    "field:figures": "field:queue",
    "field:routing": "field:queue",
    "delegation:delegates": "people:me",
    "delegation:writing_for": "people:me",
    "delegation:write": "people:me",
    "delegation:draft": "people:me",
    "crisis:current": "people:home",
    "provisioning:console": "provisioning:report",
    "recognition:boards": "people:me",
    "recognition:console_boards": "recognition:console",
    "recognition:console_boards_setting": "recognition:console",
    "recognition:console_boards_executive": "recognition:console",
    "recognition:rewards": "people:me",
    "recognition:rewards_request": "people:me",
    "recognition:console_rewards": "recognition:console",
    "recognition:rewards_edit": "recognition:console",
    "recognition:draws": "people:me",
    "recognition:draw_verification": "people:me",
    "recognition:console_draws": "recognition:console",
    "recognition:draw_edit": "recognition:console",
    "referrals:mine": "people:me",
    "referrals:refer": "content:feed",
    "referrals:offer": "referrals:offers",
    "autopilot:mine": "people:me",
    "autopilot:edit": "people:me",
}


def navigation(request: HttpRequest) -> dict[str, Any]:
    actor = getattr(request, "actor", None)
    if actor is None:
        return {"nav_console": [], "nav_ambassador": [], "current_person": None}
    entries: dict[str, list[dict[str, Any]]] = {"console": [], "ambassador": []}
    for permission, url_name, label, space in NAVIGATION:
        if allowed(actor, permission):
            url = reverse(url_name)
            match = request.resolver_match
            active = (
                match is not None and SECTION_OF.get(match.view_name, match.view_name) == url_name
            )
            entries[space].append({"url": url, "label": label, "active": active})
    return {
        "nav_console": entries["console"],
        "nav_ambassador": entries["ambassador"],
        "current_person": actor.person,
        "current_organisation": actor.organisation,
        # The brand colour of primary actions, in both spaces (core/brand.py).
        "brand_stylesheet": brand_stylesheet(actor.organisation.brand_colour),
    }


def brand_stylesheet(colour: str) -> str:
    try:
        readable = brand.contrast_with_white(colour) >= brand.MINIMUM_CONTRAST
    except ValueError:
        readable = False
    # A colour saved before the contrast check keeps the default stylesheet.
    return reverse("brand_css", args=[brand.url_part(colour)]) if readable else ""
