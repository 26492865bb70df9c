"""Secrets and signatures of the Standard Webhooks specification.

A secret is ``whsec_`` and the base64 of 24 random bytes (between the 24 and 64 bytes the
specification asks for). The signature of a message is ``v1,`` and the base64 of
HMAC-SHA256 over ``"<webhook-id>.<webhook-timestamp>.<body>"`` with the secret's bytes;
several signatures are separated by spaces (during a rotation, one per valid secret).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

PREFIX = "whsec_"


def new_secret() -> str:
    return PREFIX + base64.b64encode(secrets.token_bytes(24)).decode()


def _key(secret: str) -> bytes:
    return base64.b64decode(secret.removeprefix(PREFIX))


def sign(secret: str, msg_id: str, timestamp: int, body: bytes) -> str:
    signed = f"{msg_id}.{timestamp}.".encode() + body
    digest = hmac.new(_key(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def signature_header(secrets_in_use: list[str], msg_id: str, timestamp: int, body: bytes) -> str:
    return " ".join(sign(secret, msg_id, timestamp, body) for secret in secrets_in_use)


def new_msg_id() -> str:
    return "msg_" + secrets.token_urlsafe(18)
