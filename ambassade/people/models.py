"""People of an organisation, where they work, and their roles."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from ambassade.core.models import Organisation
from ambassade.core.roles import Role, Scope


class Department(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="departments"
    )
    name = models.CharField(_("name"), max_length=120)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="department_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Site(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="sites")
    name = models.CharField(_("name"), max_length=120)
    country = models.CharField(
        _("country"), max_length=2, blank=True, help_text=_("ISO code, e.g. FR")
    )

    class Meta:
        verbose_name = _("site")
        verbose_name_plural = _("sites")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="site_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class EmploymentStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    ON_LEAVE = "on_leave", _("On leave")
    LEFT = "left", _("Left")


class Membership(models.TextChoices):
    """Whether a person is an employee or a partner from outside the company (an
    independent seller, a distributor): partners have no HR data and no console role."""

    EMPLOYEE = "employee", _("Employee")
    PARTNER = "partner", _("Partner")


# What a partner never has, being no employee (docs/partners.md).
HR_ONLY_FIELDS = ("manager", "department", "site", "employee_number")


class Person(models.Model):
    """Someone of the organisation, whether or not they ever sign in or enrol."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="people")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="memberships",
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    email = models.EmailField(_("work e-mail"))
    job_title = models.CharField(_("job title"), max_length=150, blank=True)
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
        verbose_name=_("department"),
    )
    site = models.ForeignKey(
        Site,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
        verbose_name=_("site"),
    )
    languages = models.JSONField(
        _("languages"), default=list, help_text=_("Language codes, e.g. fr, en")
    )
    manager = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("manager"),
    )
    employment_status = models.CharField(
        _("employment status"),
        max_length=16,
        choices=EmploymentStatus.choices,
        default=EmploymentStatus.ACTIVE,
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    # The identity provider's own id for the person (SCIM externalId, an OpenID Connect
    # subject or a SAML NameID), so that a changed e-mail address still finds them.
    external_id = models.CharField(_("external id"), max_length=255, blank=True)
    employee_number = models.CharField(_("employee number"), max_length=64, blank=True)
    membership = models.CharField(
        _("membership"), max_length=16, choices=Membership.choices, default=Membership.EMPLOYEE
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Lifecycle: the departure notice is sent once; alumni keep a restricted sign-in.
    departure_notice_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    alumni = models.BooleanField(_("alumni ambassador"), default=False)
    alumni_since = models.DateTimeField(_("alumni since"), null=True, blank=True)
    alumni_answered_at = models.DateTimeField(null=True, blank=True, editable=False)
    erasure_requested_at = models.DateTimeField(null=True, blank=True, editable=False)
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["last_name", "first_name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "email"], name="person_email_unique"),
            models.UniqueConstraint(
                fields=["organisation", "user"],
                name="person_user_unique",
                condition=models.Q(user__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["organisation", "external_id"],
                name="person_external_id_unique",
                condition=~models.Q(external_id=""),
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "department"], name="person_org_department")
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        if self.anonymised_at is not None:
            return str(_("Former employee"))
        return f"{self.first_name} {self.last_name}".strip()

    def clean(self) -> None:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date is before the start date.")})

    @cached_property
    def role_set(self) -> frozenset[str]:
        """The person's roles; "employee" stands for everyone so rules can name it."""
        if self.employment_status == EmploymentStatus.LEFT:
            # A former employee holds no role; an alumni only the restricted alumni one.
            return frozenset({"alumni"}) if self.alumni else frozenset()
        codes = {assignment.role for assignment in self.role_assignments.all()}
        if self.membership == Membership.PARTNER:
            # A partner is never part of the working group: no console role, whatever
            # an import or a provisioning left.
            codes &= {Role.AMBASSADOR}
        return frozenset(codes | {"employee"})

    @property
    def is_partner(self) -> bool:
        return self.membership == Membership.PARTNER


class RoleAssignment(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.UniqueConstraint(fields=["person", "role"], name="role_once_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_role_display()}"


def hash_token(secret: str) -> str:
    # Tokens are long random strings, so a fast hash is enough (no dictionary to guess from).
    return hashlib.sha256(secret.encode()).hexdigest()


class ApiToken(models.Model):
    """A personal token acts as its person (within the scopes); an organisation token
    belongs to the organisation and is created by an admin. Either never exceeds its
    creator's current roles (core/api.py TokenAuth, docs/access.md): an organisation token
    whose creator has left grants nothing."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="api_tokens"
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="api_tokens",
        help_text=_("Empty for an organisation token."),
    )
    created_by = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, related_name="+")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(
        max_length=16, help_text=_("First characters, to recognise the token")
    )
    secret_hash = models.CharField(max_length=64, unique=True)
    scopes = models.JSONField(_("scopes"), default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_organisation_token(self) -> bool:
        return self.person_id is None

    @staticmethod
    def valid_scopes() -> set[str]:
        return set(Scope.values)


class AccountInvitation(models.Model):
    """A one-time link that lets a person without an account set a password and sign in.

    Only the hash of the token is stored; the link is in the e-mail and nowhere else.
    """

    VALIDITY_DAYS = 14

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="account_invitations"
    )
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="account_invitations")
    created_by = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("account invitation")
        verbose_name_plural = _("account invitations")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.person} ({self.created_at:%Y-%m-%d})"

    @staticmethod
    def hash(secret: str) -> str:
        return hash_token(secret)


class Score(models.IntegerChoices):
    ONE = 1, "1"
    TWO = 2, "2"
    THREE = 3, "3"
    FOUR = 4, "4"
    FIVE = 5, "5"


class SelfAssessment(models.Model):
    """The voluntary questionnaire an employee may fill in to say they would like to be
    an ambassador. HR reads it on the candidates page."""

    NETWORKS = [
        ("linkedin", "LinkedIn"),
        ("x", "X"),
        ("instagram", "Instagram"),
        ("facebook", "Facebook"),
        ("bluesky", "Bluesky"),
        ("mastodon", "Mastodon"),
        ("tiktok", "TikTok"),
        ("youtube", "YouTube"),
    ]

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="self_assessment")
    social_comfort = models.PositiveSmallIntegerField(
        _("comfort with social networks"), choices=Score.choices
    )
    motivation = models.PositiveSmallIntegerField(
        _("motivation to represent the company"), choices=Score.choices
    )
    willingness_to_learn = models.PositiveSmallIntegerField(
        _("willingness to learn"), choices=Score.choices
    )
    networks = models.JSONField(_("networks I use"), default=list, blank=True)
    comment = models.TextField(_("comment"), max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("self-assessment")
        verbose_name_plural = _("self-assessments")

    def __str__(self) -> str:
        return f"{self.person}: {self.total}"

    @property
    def total(self) -> int:
        return self.social_comfort + self.motivation + self.willingness_to_learn


class HrNote(models.Model):
    """A note HR keeps about a person; only people with the HR role read or write them."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="hr_notes")
    author = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    author_label = models.CharField(max_length=200, blank=True)
    text = models.TextField(_("note"), max_length=5000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("HR note")
        verbose_name_plural = _("HR notes")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.person} {self.created_at:%Y-%m-%d}"


class ImportStatus(models.TextChoices):
    PREVIEW = "preview", _("Previewed")
    APPLIED = "applied", _("Applied")
    DISCARDED = "discarded", _("Discarded")


class PeopleImport(models.Model):
    """One CSV upload: its parsed rows are kept only until it is applied or discarded."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="people_imports"
    )
    created_by = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by_label = models.CharField(max_length=200, blank=True)
    filename = models.CharField(_("file"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ImportStatus.choices, default=ImportStatus.PREVIEW
    )
    # [{"line": 2, "values": {column: text}}]: emptied once applied or discarded.
    rows = models.JSONField(default=list)
    # [{"line", "email", "action", "errors", "changes"}] as last computed.
    plan = models.JSONField(default=list)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    invalid = models.PositiveIntegerField(default=0)
    only_valid = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("people import")
        verbose_name_plural = _("people imports")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.filename or 'import'} ({self.created_at:%Y-%m-%d})"


class SavedSegment(models.Model):
    """A named audience (people/audiences.py) kept to be used again: "Sales in Lyon"."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="saved_segments"
    )
    name = models.CharField(_("name"), max_length=120)
    # {criterion key: [values]}, checked by audiences.clean whenever it is written.
    criteria = models.JSONField(_("criteria"), default=dict)
    created_by = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("saved segment")
        verbose_name_plural = _("saved segments")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="segment_name_unique")
        ]

    def __str__(self) -> str:
        return self.name
