"""SCIM's error answers (RFC 7644 §3.12) and its JSON answers."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpResponse
from scim2_models import Error

CONTENT_TYPE = "application/scim+json"


class ScimError(Exception):
    """Refuses a request: ``status`` (an HTTP code), ``scim_type`` (RFC 7644 table 9, or
    "" when the code says enough) and a ``detail`` precise enough to fix the request."""

    def __init__(self, status: int, detail: str, scim_type: str = "") -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.scim_type = scim_type


def invalid_syntax(detail: str) -> ScimError:
    return ScimError(400, detail, "invalidSyntax")


def invalid_value(detail: str) -> ScimError:
    return ScimError(400, detail, "invalidValue")


def invalid_filter(detail: str) -> ScimError:
    return ScimError(400, detail, "invalidFilter")


def invalid_path(detail: str) -> ScimError:
    return ScimError(400, detail, "invalidPath")


def no_target(detail: str) -> ScimError:
    return ScimError(400, detail, "noTarget")


def mutability(detail: str) -> ScimError:
    return ScimError(400, detail, "mutability")


def uniqueness(detail: str) -> ScimError:
    return ScimError(409, detail, "uniqueness")


def not_found(detail: str = "No such resource.") -> ScimError:
    return ScimError(404, detail)


def scim_response(
    body: dict[str, Any] | None,
    status: int = 200,
    *,
    etag: str = "",
    location: str = "",
) -> HttpResponse:
    content = b"" if body is None else json.dumps(body, ensure_ascii=False).encode()
    response = HttpResponse(content, status=status, content_type=CONTENT_TYPE)
    if etag:
        response["ETag"] = etag
    if location:
        response["Location"] = location
    return response


def error_response(error: ScimError) -> HttpResponse:
    model = Error(status=error.status, detail=error.detail, scim_type=error.scim_type or None)
    response = scim_response(model.model_dump(), status=error.status)
    if error.status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="scim"'
    return response
