"""The admins' writes of single sign-on connections (OpenID Connect, SAML); the sign-in
policy's are in ``policy_actions``. Each is one transaction with its audit row; what a
provider must answer (the OIDC discovery document, the SAML metadata) is read before the
transaction opens.

Secrets (the OIDC client secret, the SAML private key) are stored encrypted and never
written to an audit row: the row says that the secret changed, not what it is.
"""

from __future__ import annotations

import contextlib
import re
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext as _

from ambassade.core import audit, outbound
from ambassade.core.authz import Actor, allowed
from ambassade.identity.models import (
    MAPPED_FIELDS,
    Connection,
    Protocol,
    SignInPolicy,
    SsoRequirement,
    UnknownPeople,
)
from ambassade.sharing.crypto import encrypt

DOMAIN = re.compile(
    r"^(?=.{4,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$"
)
DISCOVERY_SUFFIX = "/.well-known/openid-configuration"
METADATA_MAX_BYTES = 2_000_000


def check(actor: Actor, connection: Connection | None = None) -> None:
    if not allowed(actor, "identity.manage"):
        raise PermissionDenied
    if connection is not None and connection.organisation_id != actor.organisation.pk:
        raise PermissionDenied


def _error(error: BaseException) -> str:
    """The protocol module's own words: a ``Refused``'s detail, or the exception's text."""
    return str(getattr(error, "detail", "") or getattr(error, "message", "") or error)


def clean_domains(
    organisation: Any, raw: Any, *, connection: Connection | None = None, enabled: bool = True
) -> list[str]:
    """Lower-case, valid domain names, each bound to one enabled connection on the whole
    instance (a switched-off connection is checked when switched on); a ValidationError on
    ``domains`` names the first wrong one."""
    items = raw.replace(",", " ").split() if isinstance(raw, str) else list(raw or [])
    found: list[str] = []
    for item in items:
        domain = str(item).strip().lower().lstrip("@").rstrip(".")
        with contextlib.suppress(UnicodeError):  # a non-ASCII name, in its ASCII form
            domain = domain.encode("idna").decode("ascii")
        if not DOMAIN.match(domain):
            raise ValidationError(
                {
                    "domains": _("“%(domain)s” is not a domain name (for example: acme.com).")
                    % {"domain": item}
                }
            )
        if domain not in found:
            found.append(domain)
    if not enabled:
        return found
    others = Connection.objects.filter(enabled=True).select_related("organisation")
    if connection is not None and connection.pk:
        others = others.exclude(pk=connection.pk)
    for other in others:
        taken = sorted(set(found) & {d.lower() for d in other.domains})
        if not taken:
            continue
        if other.organisation_id != organisation.pk:
            message = _(
                "The domain “%(domain)s” is already bound to another organisation on this "
                "service: its people sign in there. Remove it from this connection."
            )
            raise ValidationError({"domains": message % {"domain": taken[0]}})
        message = _("The domain “%(domain)s” is already bound to the connection “%(name)s”.")
        raise ValidationError({"domains": message % {"domain": taken[0], "name": other.name}})
    return found


def _clean_common(
    actor: Actor, values: dict[str, Any], connection: Connection | None
) -> dict[str, Any]:
    name = str(values.get("name") or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the connection a name, for example “Entra ID”.")})
    if len(name) > 100:
        raise ValidationError({"name": _("At most %(limit)d characters.") % {"limit": 100}})
    same = Connection.objects.filter(organisation=actor.organisation, name__iexact=name)
    if connection is not None:
        same = same.exclude(pk=connection.pk)
    if same.exists():
        raise ValidationError({"name": _("Another connection already has this name.")})
    unknown = values.get("unknown_people") or UnknownPeople.REFUSE
    if unknown not in UnknownPeople.values:
        raise ValidationError({"unknown_people": _("Choose what happens to unknown people.")})
    protocol = connection.protocol if connection is not None else values["protocol"]
    enabled = connection.enabled if connection is not None else True
    domains = clean_domains(
        actor.organisation, values.get("domains") or [], connection=connection, enabled=enabled
    )
    return {
        "name": name,
        "unknown_people": unknown,
        "domains": domains,
        "attribute_map": clean_mapping(protocol, values.get("attribute_map") or {}),
    }


def clean_mapping(protocol: str, given: dict[str, Any]) -> dict[str, str]:
    """Only the names that differ from the protocol's defaults are kept, so that the
    defaults stay the defaults."""
    default = Connection(protocol=protocol).mapping()
    kept: dict[str, str] = {}
    for field, claim in given.items():
        if field not in MAPPED_FIELDS:
            continue
        claim = str(claim or "").strip()
        if not claim or claim == default[field]:
            continue
        if len(claim) > 255 or any(ch.isspace() for ch in claim):
            raise ValidationError(
                {f"map_{field}": _("A claim or attribute name: no spaces, at most 255 characters.")}
            )
        kept[field] = claim
    return kept


def _state(connection: Connection) -> dict[str, Any]:
    state = {
        "name": connection.name,
        "protocol": connection.protocol,
        "enabled": connection.enabled,
        "domains": connection.domains,
        "unknown_people": connection.unknown_people,
        "attribute_map": connection.attribute_map,
    }
    if connection.protocol == Protocol.OIDC:
        state.update(issuer=connection.oidc_issuer, client_id=connection.oidc_client_id)
    else:
        state.update(
            metadata_url=connection.saml_metadata_url, idp_entity_id=connection.saml_idp_entity_id
        )
    return state


def normal_issuer(issuer: Any) -> str:
    """An issuer, or its discovery document's address pasted instead."""
    issuer = str(issuer or "").strip()
    if issuer.endswith(DISCOVERY_SUFFIX):
        issuer = issuer[: -len(DISCOVERY_SUFFIX)]
    return issuer.rstrip("/") if issuer.count("/") > 2 else issuer


def _check_issuer(issuer: str) -> None:
    if not issuer:
        raise ValidationError({"oidc_issuer": _("Give the issuer's address (https://…).")})
    try:
        URLValidator(schemes=["http", "https"])(issuer)
    except ValidationError:
        raise ValidationError({"oidc_issuer": _("The issuer is an address: https://…")}) from None
    from ambassade.identity.oidc import discover

    try:
        discover(issuer)
    except Exception as error:  # the protocol module's own refusal, whatever its class
        message = _("The provider's discovery document could not be used: %(error)s")
        raise ValidationError({"oidc_issuer": message % {"error": _error(error)}}) from None


def _oidc_values(values: dict[str, Any], connection: Connection | None) -> dict[str, Any]:
    issuer = normal_issuer(values.get("oidc_issuer"))
    client_id = str(values.get("oidc_client_id") or "").strip()
    if not client_id:
        raise ValidationError({"oidc_client_id": _("Give the client id the provider shows.")})
    if len(client_id) > 255:
        raise ValidationError(
            {"oidc_client_id": _("At most %(limit)d characters.") % {"limit": 255}}
        )
    secret = str(values.get("client_secret") or "").strip()
    if connection is None and not secret:
        raise ValidationError({"client_secret": _("Give the client secret the provider shows.")})
    if connection is None or issuer != connection.oidc_issuer:
        _check_issuer(issuer)  # the provider is asked only when the issuer is new
    found = {"oidc_issuer": issuer, "oidc_client_id": client_id}
    if secret:
        found["oidc_client_secret"] = encrypt({"client_secret": secret})
    return found


def _saml_values(values: dict[str, Any], connection: Connection | None) -> dict[str, Any]:
    url = str(values.get("saml_metadata_url") or "").strip()
    xml = str(values.get("saml_metadata_xml") or "").strip()
    if not url and not xml:
        if connection is not None:
            return {}  # keeps the metadata it has
        raise ValidationError(
            {
                "saml_metadata_url": _(
                    "Give the address of the provider's metadata, or upload its file."
                )
            }
        )
    if url and not xml:
        try:
            answer = outbound.fetch(url, max_bytes=METADATA_MAX_BYTES)
        except outbound.OutboundError as refusal:
            raise ValidationError({"saml_metadata_url": refusal.message}) from None
        if answer.status != 200:
            message = _("The metadata address answered HTTP %(status)s instead of the metadata.")
            raise ValidationError({"saml_metadata_url": message % {"status": answer.status}})
        xml = answer.text()
    from ambassade.identity.saml_config import read_idp_metadata

    field = "saml_metadata_xml" if values.get("saml_metadata_xml") else "saml_metadata_url"
    try:
        entity_id = read_idp_metadata(xml)
    except Exception as error:  # the protocol module's own refusal, whatever its class
        message = _("These metadata cannot be used: %(error)s")
        raise ValidationError({field: message % {"error": _error(error)}}) from None
    return {"saml_metadata_url": url, "saml_metadata_xml": xml, "saml_idp_entity_id": entity_id}


def create_connection(actor: Actor, protocol: str, values: dict[str, Any]) -> Connection:
    check(actor)
    if protocol not in Protocol.values:
        raise ValidationError({"protocol": _("Choose OpenID Connect or SAML 2.0.")})
    common = _clean_common(actor, {**values, "protocol": protocol}, None)
    if protocol == Protocol.OIDC:
        specific = _oidc_values(values, None)
    else:
        specific = _saml_values(values, None)
    with transaction.atomic():
        # Again, next to the write: another admin may have bound a domain meanwhile.
        common["domains"] = clean_domains(actor.organisation, common["domains"])
        connection = Connection.objects.create(
            organisation=actor.organisation, protocol=protocol, **common, **specific
        )
        if protocol == Protocol.SAML:
            from ambassade.identity.saml_config import make_sp_keypair

            # Our signing key pair; its certificate names the entity id, which holds the pk.
            make_sp_keypair(connection)
            connection.save(update_fields=["saml_sp_private_key", "saml_sp_certificate"])
        audit.record(
            "identity.connection_created",
            organisation=actor.organisation,
            actor=actor,
            target=connection,
            after=_state(connection),
        )
    return connection


def update_connection(actor: Actor, connection: Connection, values: dict[str, Any]) -> Connection:
    check(actor, connection)
    common = _clean_common(actor, values, connection)
    if connection.protocol == Protocol.OIDC:
        specific = _oidc_values(values, connection)
    else:
        specific = _saml_values(values, connection)
    with transaction.atomic():
        locked = Connection.objects.select_for_update().get(pk=connection.pk)
        before = _state(locked)
        for name, value in {**common, **specific}.items():
            setattr(locked, name, value)
        locked.save()
        after = _state(locked)
        if "oidc_client_secret" in specific:
            after["client_secret"] = _("changed")
        audit.record(
            "identity.connection_changed",
            organisation=actor.organisation,
            actor=actor,
            target=locked,
            before=before,
            after=after,
        )
    return locked


def _policy(organisation: Any) -> SignInPolicy | None:
    return SignInPolicy.objects.filter(organisation=organisation).first()


def _keeps_a_way_in(actor: Actor, leaving: Connection) -> None:
    """Refuses to switch off or delete the last enabled connection while the organisation
    requires single sign-on: nobody could sign in any more."""
    policy = _policy(actor.organisation)
    if policy is None or policy.sso_required == SsoRequirement.NONE:
        return
    others = Connection.objects.filter(organisation=actor.organisation, enabled=True)
    if not others.exclude(pk=leaving.pk).exists():
        raise ValidationError(
            _(
                "This is the last enabled connection and the sign-in policy requires single "
                "sign-on: set the policy to “nobody” first, or people could no longer sign in."
            )
        )


def switch_connection(actor: Actor, connection: Connection, *, enabled: bool) -> Connection:
    check(actor, connection)
    with transaction.atomic():
        locked = Connection.objects.select_for_update().get(pk=connection.pk)
        if locked.enabled == enabled:
            return locked
        if enabled:
            clean_domains(actor.organisation, locked.domains, connection=locked)
        else:
            _keeps_a_way_in(actor, locked)
        locked.enabled = enabled
        locked.save(update_fields=["enabled", "updated_at"])
        audit.record(
            "identity.connection_enabled" if enabled else "identity.connection_disabled",
            organisation=actor.organisation,
            actor=actor,
            target=locked,
            before={"enabled": not enabled},
            after={"enabled": enabled},
        )
    return locked


def delete_connection(actor: Actor, connection: Connection) -> None:
    """The people stay; their links to this provider's subjects go with the connection."""
    check(actor, connection)
    with transaction.atomic():
        locked = Connection.objects.select_for_update().get(pk=connection.pk)
        if locked.enabled:
            _keeps_a_way_in(actor, locked)
        links = locked.links.count()
        state = _state(locked)
        audit.record(
            "identity.connection_deleted",
            organisation=actor.organisation,
            actor=actor,
            target=locked,
            before={**state, "linked_people": links},
        )
        locked.delete()
