"""What an identity provider vouched for, once its protocol checked it, and how the
connection's attribute mapping reads it.

OpenID Connect gives claims (strings, or lists for groups); SAML gives attributes, each a
list of strings. Both come here as one ``Assertion`` so that matching, just-in-time
accounts and the connection test are written once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

from ambassade.identity.models import Connection

# What a sign-in cannot do without, and what the test reports as missing but tolerates.
REQUIRED_FIELDS = ("email",)
RECOMMENDED_FIELDS = ("first_name", "last_name")

FIELD_NAMES = {
    "email": _("E-mail address"),
    "first_name": _("First name"),
    "last_name": _("Last name"),
    "department": _("Department"),
    "site": _("Site"),
    "manager": _("Manager's e-mail address"),
    "language": _("Language"),
}


@dataclass(frozen=True)
class Assertion:
    """``subject``: the provider's stable id for the person (OIDC ``sub``, SAML NameID)."""

    subject: str
    claims: dict[str, Any] = field(default_factory=dict)
    # SAML: the session index, for single logout.
    session_index: str = ""


def _first(value: Any) -> str:
    if isinstance(value, list | tuple):
        value = next((item for item in value if item not in (None, "")), "")
    if value is None:
        return ""
    return str(value).strip()


def mapped(connection: Connection, assertion: Assertion) -> dict[str, str]:
    """The person fields the assertion fills, by the connection's mapping; empty ones left
    out. The e-mail address falls back to a subject that looks like one (SAML NameID in
    the e-mail format)."""
    values: dict[str, str] = {}
    for name, claim in connection.mapping().items():
        value = _first(assertion.claims.get(claim))
        if value:
            values[name] = value[:255]
    if "email" not in values and "@" in assertion.subject:
        values["email"] = assertion.subject
    if "email" in values:
        values["email"] = values["email"].lower()
    return values


def missing(values: dict[str, str]) -> list[str]:
    return [name for name in (*REQUIRED_FIELDS, *RECOMMENDED_FIELDS) if name not in values]
