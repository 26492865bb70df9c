"""The messages of the local SAML identity provider (``saml_idp``): key pairs, and a
SAMLResponse assembled field by field, so that a test can make any one of them wrong."""

from __future__ import annotations

import datetime
import secrets
from dataclasses import dataclass

from saml2 import saml, samlp

from ambassade.identity.saml_config import self_signed_pair

EMAIL_FORMAT = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"
ATTRIBUTE_OIDS = {
    "email": ("urn:oid:0.9.2342.19200300.100.1.3", "mail"),
    "givenName": ("urn:oid:2.5.4.42", "givenName"),
    "sn": ("urn:oid:2.5.4.4", "sn"),
}


def stamp(moment: datetime.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def key_pair(common_name: str) -> tuple[str, str]:
    """The local provider's own pair, made like Ambassade's (for a month)."""
    return self_signed_pair(common_name, days=30)


@dataclass
class AuthnRequestSeen:
    id: str
    sp_entity_id: str
    acs_url: str
    relay_state: str


def unsigned_response(
    request: AuthnRequestSeen,
    email: str,
    values: dict[str, list[str]],
    *,
    issuer: str,
    audience: str,
    in_response_to: str,
    not_on_or_after: datetime.datetime | None,
    session_index: str,
) -> samlp.Response:
    """A successful Response with one assertion for ``email``, signatures still to add."""
    now = datetime.datetime.now(datetime.UTC)
    expires = not_on_or_after or now + datetime.timedelta(minutes=5)
    assertion = saml.Assertion(
        id=f"_{secrets.token_hex(16)}",
        version="2.0",
        issue_instant=stamp(now),
        issuer=saml.Issuer(text=issuer, format=saml.NAMEID_FORMAT_ENTITY),
        subject=saml.Subject(
            name_id=saml.NameID(text=email, format=EMAIL_FORMAT),
            subject_confirmation=[
                saml.SubjectConfirmation(
                    method=saml.SCM_BEARER,
                    subject_confirmation_data=saml.SubjectConfirmationData(
                        in_response_to=in_response_to,
                        recipient=request.acs_url,
                        not_on_or_after=stamp(expires),
                    ),
                )
            ],
        ),
        conditions=saml.Conditions(
            not_before=stamp(min(now, expires) - datetime.timedelta(minutes=1)),
            not_on_or_after=stamp(expires),
            audience_restriction=[
                saml.AudienceRestriction(audience=[saml.Audience(text=audience)])
            ],
        ),
        authn_statement=[
            saml.AuthnStatement(
                authn_instant=stamp(now),
                session_index=session_index or f"_{secrets.token_hex(8)}",
                authn_context=saml.AuthnContext(
                    authn_context_class_ref=saml.AuthnContextClassRef(
                        text="urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"
                    )
                ),
            )
        ],
        attribute_statement=[
            saml.AttributeStatement(
                attribute=[
                    saml.Attribute(
                        name=ATTRIBUTE_OIDS.get(name, (name, ""))[0],
                        friendly_name=ATTRIBUTE_OIDS.get(name, ("", name))[1] or None,
                        name_format=saml.NAME_FORMAT_URI,
                        attribute_value=[saml.AttributeValue(text=v) for v in vals],
                    )
                    for name, vals in values.items()
                ]
            )
        ],
    )
    response = samlp.Response(
        id=f"_{secrets.token_hex(16)}",
        version="2.0",
        issue_instant=stamp(now),
        in_response_to=in_response_to,
        destination=request.acs_url,
        issuer=saml.Issuer(text=issuer, format=saml.NAMEID_FORMAT_ENTITY),
        status=samlp.Status(status_code=samlp.StatusCode(value=samlp.STATUS_SUCCESS)),
        assertion=[assertion],
    )
    return response
