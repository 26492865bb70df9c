"""Single sign-on: an organisation's connections to its identity providers, who must use
them, and what a provider told us about the people who signed in through it.

A connection speaks OpenID Connect or SAML 2.0; its secrets (the OIDC client secret, the
SAML service provider's private key) are encrypted at rest like the social accounts'
tokens (``sharing.crypto``).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from ambassade.core.models import Organisation
from ambassade.people.models import Person


class Protocol(models.TextChoices):
    OIDC = "oidc", _("OpenID Connect")
    SAML = "saml", _("SAML 2.0")


class UnknownPeople(models.TextChoices):
    """What happens to someone the provider vouches for but whom the organisation does
    not know yet (no person with that e-mail address or external id)."""

    CREATE = "create", _("Create them as employees")
    REFUSE = "refuse", _("Refuse them")


class SsoRequirement(models.TextChoices):
    NONE = "none", _("Nobody: passwords still work")
    CONSOLE = "console", _("Console roles (admin, marketing, HR, communications…)")
    EVERYONE = "everyone", _("Everyone")


# The person fields a provider may fill, and the claim or attribute names most providers
# use for them; an admin changes them per connection.
MAPPED_FIELDS = (
    "email",
    "first_name",
    "last_name",
    "department",
    "site",
    "manager",
    "language",
)
DEFAULT_OIDC_MAP = {
    "email": "email",
    "first_name": "given_name",
    "last_name": "family_name",
    "department": "department",
    "site": "site",
    "manager": "manager",
    "language": "locale",
}
DEFAULT_SAML_MAP = {
    "email": "email",
    "first_name": "givenName",
    "last_name": "sn",
    "department": "department",
    "site": "site",
    "manager": "manager",
    "language": "preferredLanguage",
}


class Connection(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="identity_connections"
    )
    name = models.CharField(_("name"), max_length=100)
    protocol = models.CharField(_("protocol"), max_length=8, choices=Protocol.choices)
    enabled = models.BooleanField(_("enabled"), default=True)
    domains = models.JSONField(
        _("e-mail domains"),
        default=list,
        blank=True,
        help_text=_("People whose address ends with one of these domains sign in here."),
    )
    unknown_people = models.CharField(
        _("people the organisation does not know yet"),
        max_length=8,
        choices=UnknownPeople.choices,
        default=UnknownPeople.REFUSE,
    )
    attribute_map = models.JSONField(_("attribute mapping"), default=dict, blank=True)
    # OpenID Connect
    oidc_issuer = models.URLField(_("issuer"), max_length=500, blank=True)
    oidc_client_id = models.CharField(_("client id"), max_length=255, blank=True)
    oidc_client_secret = models.TextField(blank=True, editable=False)  # encrypted
    # SAML 2.0: the identity provider's metadata (fetched from its URL or uploaded), and
    # our own signing key pair, made when the connection is created.
    saml_metadata_url = models.URLField(_("metadata URL"), max_length=500, blank=True)
    saml_metadata_xml = models.TextField(_("metadata"), blank=True)
    saml_idp_entity_id = models.CharField(max_length=500, blank=True, editable=False)
    saml_sp_private_key = models.TextField(blank=True, editable=False)  # encrypted
    saml_sp_certificate = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The last "test this connection": what came back, what was missing.
    last_test = models.JSONField(null=True, blank=True, editable=False)
    last_tested_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("single sign-on connection")
        verbose_name_plural = _("single sign-on connections")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="identity_connection_name_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def mapping(self) -> dict[str, str]:
        default = DEFAULT_OIDC_MAP if self.protocol == Protocol.OIDC else DEFAULT_SAML_MAP
        return {**default, **{k: v for k, v in self.attribute_map.items() if v}}


class SignInPolicy(models.Model):
    """Who must sign in through the organisation's provider; the break-glass people keep
    their password (with a second factor), and each of their sign-ins is audited."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="sign_in_policy"
    )
    sso_required = models.CharField(
        _("single sign-on required for"),
        max_length=8,
        choices=SsoRequirement.choices,
        default=SsoRequirement.NONE,
    )
    break_glass = models.ManyToManyField(
        Person, blank=True, related_name="+", verbose_name=_("break-glass admins")
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("sign-in policy")
        verbose_name_plural = _("sign-in policies")

    def __str__(self) -> str:
        return f"{self.organisation}: {self.sso_required}"


class LinkedIdentity(models.Model):
    """A provider's subject (OIDC ``sub``, SAML NameID) bound to a person, so that a
    changed address at the provider still signs the same person in."""

    connection = models.ForeignKey(Connection, on_delete=models.CASCADE, related_name="links")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="linked_identities")
    subject = models.CharField(max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)
    last_sign_in_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["connection", "subject"], name="identity_link_subject_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.connection}: {self.subject}"


class SeenAssertion(models.Model):
    """SAML assertion ids already used, until they expire, so a replay is refused."""

    connection = models.ForeignKey(Connection, on_delete=models.CASCADE, related_name="+")
    assertion_id = models.CharField(max_length=255)
    expires_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["connection", "assertion_id"], name="identity_assertion_once"
            )
        ]
        indexes = [models.Index(fields=["expires_at"], name="identity_assertion_expiry")]

    def __str__(self) -> str:
        return self.assertion_id
