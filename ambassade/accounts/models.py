"""Log-in accounts.

An account is the credential a human uses to sign in; what they are inside an
organisation (job, roles, enrolment) lives on ``people.Person``. One account can
belong to several organisations of the same instance (a group and a subsidiary).
"""

from __future__ import annotations

from typing import Any
from zoneinfo import available_timezones

from django.conf import settings
from django.contrib.auth.base_user import BaseUserManager
from django.contrib.auth.models import AbstractBaseUser, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def _timezone_choices() -> list[tuple[str, str]]:
    return [(name, name) for name in sorted(available_timezones())]


class UserQuerySet(BaseUserManager["User"]):
    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("e-mail address"), unique=True)
    display_name = models.CharField(_("display name"), max_length=150, blank=True)
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("Empty: follow the browser's language."),
    )
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="Europe/Paris", choices=_timezone_choices
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(
        _("operator"), default=False, help_text=_("May open Django's admin (an operator's tool).")
    )
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)

    objects = UserQuerySet()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []  # type: ignore[misc]

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")

    def __str__(self) -> str:
        return self.display_name or self.email

    def get_full_name(self) -> str:
        return str(self)

    def get_short_name(self) -> str:
        return str(self)


class TwoFactorPolicy(models.Model):
    """Whether an organisation requires a second factor of its console roles.

    Kept here rather than on Organisation: it is about accounts, and the grace period
    starts when the requirement is switched on (``required_since``).
    """

    organisation = models.OneToOneField(
        "core.Organisation", on_delete=models.CASCADE, related_name="two_factor_policy"
    )
    required_for_console = models.BooleanField(
        _("require two-factor authentication for console roles"),
        default=False,
        help_text=_("Admins, marketing, HR and internal communications."),
    )
    grace_days = models.PositiveSmallIntegerField(
        _("grace period (days)"),
        default=14,
        help_text=_("How long people may still sign in without a second factor."),
    )
    required_since = models.DateTimeField(_("required since"), null=True, blank=True)

    class Meta:
        verbose_name = _("two-factor policy")
        verbose_name_plural = _("two-factor policies")

    def __str__(self) -> str:
        return f"{self.organisation}: {self.required_for_console}"

    @property
    def deadline(self) -> Any:
        from datetime import timedelta

        if not self.required_for_console or self.required_since is None:
            return None
        return self.required_since + timedelta(days=self.grace_days)
