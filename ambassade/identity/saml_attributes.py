"""The attributes of a SAML assertion as claims, under the names the default mapping reads.

Providers name the same attribute differently: an OID (``urn:oid:2.5.4.42``), a claim URI
(Entra ID, ADFS: ``http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname``),
a short name chosen by the admin (Okta: ``firstName``). Every attribute is kept under the
name it came with, under its FriendlyName when the provider gives one, and under the
customary short name below, so that ``email``, ``givenName`` and ``sn`` work out of the box
and an admin may still map any other name.
"""

from __future__ import annotations

from typing import Any

CLAIMS = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/"
MS_CLAIMS = "http://schemas.microsoft.com/identity/claims/"

ALIASES = {
    # e-mail
    "urn:oid:0.9.2342.19200300.100.1.3": "email",
    "mail": "email",
    "emailaddress": "email",
    f"{CLAIMS}emailaddress": "email",
    # first name
    "urn:oid:2.5.4.42": "givenName",
    f"{CLAIMS}givenname": "givenName",
    "firstname": "givenName",
    "given_name": "givenName",
    # last name
    "urn:oid:2.5.4.4": "sn",
    f"{CLAIMS}surname": "sn",
    "surname": "sn",
    "lastname": "sn",
    "family_name": "sn",
    # the rest of the default mapping
    "urn:oid:2.16.840.1.113730.3.1.241": "displayName",
    f"{MS_CLAIMS}displayname": "displayName",
    "urn:oid:2.16.840.1.113730.3.1.39": "preferredLanguage",
    "urn:oid:2.5.4.11": "department",
    "ou": "department",
    "urn:oid:2.5.4.19": "site",
    "physicaldeliveryofficename": "site",
    "urn:oid:0.9.2342.19200300.100.1.10": "manager",
}


def _values(attribute: Any) -> list[str]:
    values = []
    for value in attribute.attribute_value or []:
        text = (value.text or "").strip()
        if text:
            values.append(text)
    return values


def claims_of(assertion: Any) -> dict[str, list[str]]:
    """Every attribute of the assertion's attribute statements, by name, friendly name and
    customary alias (an alias never overwrites an attribute of that very name)."""
    by_name: dict[str, list[str]] = {}
    aliases: dict[str, list[str]] = {}
    for statement in assertion.attribute_statement or []:
        for attribute in statement.attribute or []:
            values = _values(attribute)
            name = (attribute.name or "").strip()
            friendly = (attribute.friendly_name or "").strip()
            for key in (name, friendly):
                if key:
                    by_name.setdefault(key, []).extend(values)
            for key in (name, friendly):
                alias = ALIASES.get(key.lower())
                if alias:
                    aliases.setdefault(alias, values)
    for alias, values in aliases.items():
        by_name.setdefault(alias, values)
    return by_name
