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
