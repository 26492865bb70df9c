"""SAML 2.0: our service provider as pysaml2 sees it, one configuration per connection.

pysaml2 signs and verifies by calling Debian's ``xmlsec1`` with file names, so our
private key is written, for the time of one exchange, to a file readable by this process
alone (0600, in a 0700 directory of its own removed at exit) and deleted right after.

The console calls ``make_sp_keypair`` when a SAML connection is created, ``sp_values`` to
show what the identity provider's admin copies, and ``fetch_idp_metadata`` /
``read_idp_metadata`` to check the provider's metadata before saving it.
"""

from __future__ import annotations

import atexit
import datetime
import os
import secrets
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from typing import Any
from xml.etree.ElementTree import Element

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from defusedxml import ElementTree
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.client import Saml2Client
from saml2.config import SPConfig
from saml2.metadata import entity_descriptor
from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256

from ambassade.identity.models import Connection
from ambassade.sharing.crypto import decrypt, encrypt

# A clock a little ahead or behind at the provider is tolerated (NotBefore, NotOnOrAfter).
CLOCK_SKEW_SECONDS = 60
KEY_SIZE = 2048
CERTIFICATE_YEARS = 10
MD = "urn:oasis:names:tc:SAML:2.0:metadata"
DS = "http://www.w3.org/2000/09/xmldsig#"


class SamlSetupError(Exception):
    """The instance or the connection cannot speak SAML (no xmlsec1, no key pair, no
    metadata); ``message`` is for the admin."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class MetadataError(ValueError):
    """The identity provider's metadata cannot be used; ``message`` says why, plainly."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@cache
def xmlsec_binary() -> str:
    found = shutil.which("xmlsec1")
    if not found:
        raise SamlSetupError(
            _("SAML needs the xmlsec1 program, which is not installed (apt-get install xmlsec1).")
        )
    return found


# --- Our addresses ----------------------------------------------------------------------


def _absolute(path: str) -> str:
    return settings.BASE_URL.rstrip("/") + path


def entity_id(connection: Connection) -> str:
    """Our entity id for this connection: the address of our metadata, as is customary."""
    return _absolute(reverse("identity:saml_metadata", args=[connection.pk]))


def acs_url(connection: Connection) -> str:
    return _absolute(reverse("identity:saml_acs", args=[connection.pk]))


def sls_url(connection: Connection) -> str:
    return _absolute(reverse("identity:saml_sls", args=[connection.pk]))


def sp_values(connection: Connection) -> dict[str, str]:
    """What the identity provider's admin copies from the connection's page."""
    return {
        "entity_id": entity_id(connection),
        "metadata_url": entity_id(connection),
        "acs_url": acs_url(connection),
        "acs_binding": BINDING_HTTP_POST,
        "sls_url": sls_url(connection),
        "sls_binding": BINDING_HTTP_REDIRECT,
        "certificate": connection.saml_sp_certificate,
    }


# --- Our key pair -----------------------------------------------------------------------


def self_signed_pair(common_name: str, *, days: int) -> tuple[str, str]:
    """(private key, certificate), both PEM: RSA 2048, self-signed, valid ``days``."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_SIZE)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name[:64])])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=days))
        .sign(key, hashes.SHA256())
    )
    pem_key = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    return pem_key, certificate.public_bytes(serialization.Encoding.PEM).decode()


def make_sp_keypair(connection: Connection) -> None:
    """Fills the connection's signing key pair (self-signed for ten years, CN = our entity
    id); the private key is stored encrypted. The caller saves the connection, which must
    already have its primary key (the entity id contains it)."""
    if connection.pk is None:
        raise ValueError("save the connection before making its key pair")
    pem_key, certificate = self_signed_pair(entity_id(connection), days=365 * CERTIFICATE_YEARS)
    connection.saml_sp_private_key = encrypt({"private_key": pem_key})
    connection.saml_sp_certificate = certificate


_key_directory: str | None = None


def _directory() -> str:
    """This process's directory for key files (0700), removed when the process ends."""
    global _key_directory
    if _key_directory is None or not os.path.isdir(_key_directory):
        _key_directory = tempfile.mkdtemp(prefix="ambassade-saml-")
        os.chmod(_key_directory, 0o700)
        atexit.register(shutil.rmtree, _key_directory, True)
    return _key_directory


def _write(path: str, content: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(content)


@contextmanager
def _key_files(connection: Connection) -> Iterator[tuple[str, str]]:
    if not connection.saml_sp_private_key or not connection.saml_sp_certificate:
        raise SamlSetupError(_("This SAML connection has no signing key pair yet."))
    stem = os.path.join(_directory(), f"{connection.pk}-{secrets.token_hex(8)}")
    key_file, cert_file = f"{stem}.key", f"{stem}.crt"
    try:
        _write(key_file, decrypt(connection.saml_sp_private_key)["private_key"])
        _write(cert_file, connection.saml_sp_certificate)
        yield key_file, cert_file
    finally:
        for path in (key_file, cert_file):
            if os.path.exists(path):
                os.remove(path)


def _settings(connection: Connection, key_file: str, cert_file: str) -> dict[str, Any]:
    metadata = {"inline": [connection.saml_metadata_xml]} if connection.saml_metadata_xml else {}
    return {
        "entityid": entity_id(connection),
        "xmlsec_binary": xmlsec_binary(),
        "key_file": key_file,
        "cert_file": cert_file,
        "metadata": metadata,
        "accepted_time_diff": CLOCK_SKEW_SECONDS,
        # Signatures are checked with the provider's certificates from its metadata only,
        # never with a certificate the message carries.
        "only_use_keys_in_metadata": True,
        "allow_unknown_attributes": True,
        "signing_algorithm": SIG_RSA_SHA256,
        "digest_algorithm": DIGEST_SHA256,
        "service": {
            "sp": {
                "name": connection.name,
                "endpoints": {
                    "assertion_consumer_service": [(acs_url(connection), BINDING_HTTP_POST)],
                    "single_logout_service": [(sls_url(connection), BINDING_HTTP_REDIRECT)],
                },
                "want_assertions_signed": True,
                # A signed response around a signed assertion is welcome, not required.
                "want_response_signed": False,
                "allow_unsolicited": False,
                "authn_requests_signed": True,
                "logout_requests_signed": True,
            }
        },
    }


@contextmanager
def sp_client(connection: Connection) -> Iterator[Saml2Client]:
    """A pysaml2 client for one exchange with the connection's provider."""
    with _key_files(connection) as (key_file, cert_file):
        config = SPConfig()
        config.load(_settings(connection, key_file, cert_file))
        yield Saml2Client(config=config)


def sp_metadata(connection: Connection) -> str:
    """Our metadata for this connection: entity id, ACS, SLS, signing certificate."""
    with _key_files(connection) as (key_file, cert_file):
        settings_ = _settings(connection, key_file, cert_file)
        settings_["metadata"] = {}  # ours does not depend on the provider's
        config = SPConfig()
        config.load(settings_)
        descriptor = entity_descriptor(config)
    return str(descriptor)


# --- The provider's metadata ------------------------------------------------------------


@dataclass(frozen=True)
class IdpMetadata:
    entity_id: str
    sso_redirect_url: str
    slo_redirect_url: str
    signing_certificates: tuple[str, ...]


def _q(namespace: str, tag: str) -> str:
    return f"{{{namespace}}}{tag}"


def _endpoint(descriptor: Element, tag: str) -> str:
    for service in descriptor.findall(_q(MD, tag)):
        if service.get("Binding") == BINDING_HTTP_REDIRECT and service.get("Location"):
            return str(service.get("Location"))
    return ""


def parse_idp_metadata(xml: str) -> IdpMetadata:
    """Reads what we need from the provider's metadata, or raises ``MetadataError``."""
    try:
        root = ElementTree.fromstring(xml.encode() if isinstance(xml, str) else xml)
    except Exception:  # defusedxml's and expat's errors alike: not XML we accept
        raise MetadataError(_("This is not XML metadata (the document cannot be read).")) from None
    if root.tag == _q(MD, "EntitiesDescriptor"):
        entities = [
            entity
            for entity in root.iter(_q(MD, "EntityDescriptor"))
            if entity.find(_q(MD, "IDPSSODescriptor")) is not None
        ]
        if len(entities) != 1:
            raise MetadataError(
                _("The metadata must describe exactly one identity provider (found %(n)s).")
                % {"n": len(entities)}
            )
        root = entities[0]
    if root.tag != _q(MD, "EntityDescriptor"):
        raise MetadataError(_("This XML is not SAML 2.0 metadata (no EntityDescriptor)."))
    descriptor = root.find(_q(MD, "IDPSSODescriptor"))
    if descriptor is None:
        raise MetadataError(
            _("This metadata describes no identity provider (no IDPSSODescriptor).")
        )
    found_entity_id = (root.get("entityID") or "").strip()
    if not found_entity_id:
        raise MetadataError(_("The metadata gives no entity id (entityID)."))
    certificates = []
    for key in descriptor.findall(_q(MD, "KeyDescriptor")):
        if key.get("use") not in (None, "signing"):
            continue
        for cert in key.iter(_q(DS, "X509Certificate")):
            if cert.text and cert.text.strip():
                certificates.append("".join(cert.text.split()))
    if not certificates:
        raise MetadataError(_("The metadata gives no signing certificate for the provider."))
    sso = _endpoint(descriptor, "SingleSignOnService")
    if not sso:
        raise MetadataError(
            _("The metadata gives no single sign-on address with the HTTP-Redirect binding.")
        )
    return IdpMetadata(
        found_entity_id, sso, _endpoint(descriptor, "SingleLogoutService"), tuple(certificates)
    )


def read_idp_metadata(xml: str) -> str:
    """The provider's entity id, or ``MetadataError`` with a plain reason."""
    return parse_idp_metadata(xml).entity_id


def fetch_idp_metadata(url: str) -> str:
    """The metadata at the provider's URL (through the guarded outbound client, a short
    time limit), or ``MetadataError``."""
    from ambassade.core.outbound import OutboundError, fetch

    try:
        response = fetch(url, timeout=10, max_bytes=2_000_000)
    except OutboundError as error:
        raise MetadataError(error.message) from None
    if response.status != 200:
        raise MetadataError(
            _("The metadata address answered with the HTTP status %(status)s.")
            % {"status": response.status}
        )
    return response.text()
