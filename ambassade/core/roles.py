"""The roles of the cross-department working group, and the API scopes."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Organisation admin")
    MARKETING = "marketing", _("Marketing")
    HR = "hr", _("Human resources")
    INTERNAL_COMMS = "internal_comms", _("Internal communications")
    SALES_MANAGEMENT = "sales_management", _("Sales management")
    COACH = "coach", _("Coach")
    AMBASSADOR = "ambassador", _("Ambassador")


# Roles that open the program console (everyone but a plain ambassador).
CONSOLE_ROLES = frozenset(
    {
        Role.ADMIN,
        Role.MARKETING,
        Role.HR,
        Role.INTERNAL_COMMS,
        Role.SALES_MANAGEMENT,
        Role.COACH,
    }
)


class Scope(models.TextChoices):
    """What an API token may do; a token never exceeds its owner's roles."""

    PROFILE_READ = "profile:read", _("Read my profile")
    PEOPLE_READ = "people:read", _("Read the people directory")
    TOKENS_WRITE = "tokens:write", _("Create and revoke API tokens")
    AUDIT_READ = "audit:read", _("Read the audit log")
    MAIL_READ = "mail:read", _("Read the mail outbox")
    PROFILE_WRITE = "profile:write", _("Change my profile and my answers")
    PEOPLE_WRITE = "people:write", _("Create and change people, departments and sites")
    PEOPLE_IMPORT = "people:import", _("Import people from CSV")
    ROLES_WRITE = "roles:write", _("Assign and remove roles")
    HR_NOTES = "hr:notes", _("Read and write HR notes and candidates")
    PERSONAL_DATA = "personal_data:manage", _("Export and erase a person's data")
    ORGANISATION_WRITE = "organisation:write", _("Change the organisation settings")
    PROGRAMS_READ = "programs:read", _("Read programs, charters and invitations")
    PROGRAMS_WRITE = "programs:write", _("Manage programs, charters and invitations")
    ENROLMENT_WRITE = "enrolment:write", _("Answer my invitations and manage my enrolments")
    LINKS_READ = "links:read", _("Read tracked links and their figures")
    CONVERSIONS_WRITE = "conversions:write", _("Report conversions (career site, CRM)")
    CONTENT_READ = "content:read", _("Read the feed, content items and the guidelines check")
    CONTENT_WRITE = "content:write", _("Write content items, sources, curation and guidelines")
    CONTENT_REVIEW = "content:review", _("Approve or send back content items")
    CONTENT_SUGGEST = "content:suggest", _("Suggest content to share")
    SHARING_READ = "sharing:read", _("Read my connected accounts and my posts")
    SHARING_WRITE = "sharing:write", _("Connect my accounts, share, schedule and cancel posts")
    SHARING_MANAGE = "sharing:manage", _("Pause the organisation's publishing")
    ANALYTICS_READ = "analytics:read", _("Read the figures: program dashboards and my own")
    ANALYTICS_WRITE = "analytics:write", _("Set media rates, brand accounts and analytics rules")
    CONTRIBUTIONS_WRITE = "contributions:write", _("Log my contributions and my report consent")
    LEARNING_TAKE = "learning:take", _("Read my training path and take quizzes")
    LEARNING_WRITE = "learning:write", _("Write and publish training modules and their quizzes")
    COACHING_WRITE = (
        "coaching:write",
        _("Ask my coach, answer my ambassadors, profile checklists and reviews"),
    )
    FIELD_WRITE = "field:write", _("File field reports and follow mine")
    FIELD_TRIAGE = "field:triage", _("Triage the field reports of my queues and read their figures")
    RECOGNITION_READ = (
        "recognition:read",
        _("Read my points, badges, boards, challenges and the rewards catalogue"),
    )
    RECOGNITION_WRITE = (
        "recognition:write",
        _("Choose to appear on boards and request rewards"),
    )
    RECOGNITION_MANAGE = (
        "recognition:manage",
        _("Set point rules, campaigns, challenges, badges, rewards and the calendar"),
    )
    REFERRALS_WRITE = (
        "referrals:write",
        _("Refer candidates for job offers and read my referrals"),
    )
    REFERRALS_MANAGE = (
        "referrals:manage",
        _("Read the referrals of job offers and erase one on request"),
    )
