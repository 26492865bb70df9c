"""What every SCIM endpoint shares: the bearer token, the JSON body, the errors, the
refusals written to the report, ETags, and paging."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt

from ambassade.provisioning import actions
from ambassade.provisioning.auth import (
    ProvisioningActor,
    actor_for_token,
    count_failure,
    locked_out,
    token_from,
)
from ambassade.provisioning.models import Outcome, ProvisioningToken
from ambassade.provisioning.scim import attributes
from ambassade.provisioning.scim.discovery import MAX_RESULTS
from ambassade.provisioning.scim.errors import (
    ScimError,
    error_response,
    invalid_syntax,
    scim_response,
)


@dataclass(frozen=True)
class Scim:
    token: ProvisioningToken
    actor: ProvisioningActor
    base: str


View = Callable[..., HttpResponse]


def endpoint(methods: tuple[str, ...], resource_type: str = "") -> Callable[[View], View]:
    """Authenticates, answers SCIM errors, and writes a refused write to the report."""

    def decorator(view: View) -> View:
        @csrf_exempt
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if locked_out(request):
                return error_response(
                    ScimError(429, "Too many wrong tokens from your network: try again later.")
                )
            token = token_from(request)
            if token is None:
                count_failure(request)
                return error_response(
                    ScimError(401, "Send a valid provisioning token: Authorization: Bearer scim_…")
                )
            if request.method not in methods:
                return error_response(ScimError(405, f"{request.method} is not supported here."))
            base = request.build_absolute_uri(reverse("scim:root")).rstrip("/")
            scim = Scim(token=token, actor=actor_for_token(token), base=base)
            try:
                return view(request, scim, *args, **kwargs)
            except ScimError as error:
                if request.method != "GET" and resource_type:
                    actions.record_event(
                        token,
                        method=request.method or "",
                        resource_type=resource_type,
                        resource_id=str(kwargs.get("scim_id", "")),
                        outcome=Outcome.REFUSED,
                        status=error.status,
                        detail=f"{error.scim_type + ': ' if error.scim_type else ''}{error.detail}",
                    )
                return error_response(error)

        return wrapped

    return decorator


def body_of(request: HttpRequest) -> dict[str, Any]:
    try:
        body = json.loads(request.body or b"")
    except (ValueError, UnicodeDecodeError):
        raise invalid_syntax("The body is not valid JSON.") from None
    if not isinstance(body, dict):
        raise invalid_syntax("The body must be a JSON object.")
    return body


def _tags(header: str) -> set[str]:
    return {tag.strip().removeprefix("W/") for tag in header.split(",") if tag.strip()}


def check_if_match(request: HttpRequest, current: str) -> None:
    """A write with If-Match goes ahead only on the version it names (412 otherwise)."""
    header = request.headers.get("If-Match", "")
    if not header or header.strip() == "*":
        return
    if current.removeprefix("W/") not in _tags(header):
        raise ScimError(412, "The resource changed since this version (If-Match): read it again.")


def not_modified(request: HttpRequest, current: str) -> bool:
    header = request.headers.get("If-None-Match", "")
    return bool(header) and (header.strip() == "*" or current.removeprefix("W/") in _tags(header))


def paging(request: HttpRequest) -> tuple[int, int]:
    """startIndex (1-based) and count; out-of-range values are brought in range (§3.4.2.4)."""

    def number(name: str, default: int) -> int:
        text = request.GET.get(name, "")
        if not text:
            return default
        try:
            return int(text)
        except ValueError:
            raise ScimError(400, f"'{name}' must be a whole number.", "invalidValue") from None

    start = max(number("startIndex", 1), 1)
    count = min(max(number("count", 100), 0), MAX_RESULTS)
    return start, count


def changed_attributes(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """The names of the attributes that differ, one level deep (no values)."""

    def flat(resource: dict[str, Any]) -> dict[str, Any]:
        found: dict[str, Any] = {}
        for key, value in resource.items():
            if key in ("meta", "displayName"):
                continue
            if isinstance(value, dict) and key.startswith("urn:"):
                found.update({f"{inner}": item for inner, item in value.items()})
            elif isinstance(value, dict):
                found.update({f"{key}.{inner}": item for inner, item in value.items()})
            else:
                found[key] = value
        return found

    old, new = flat(before), flat(after)
    return sorted(key for key in set(old) | set(new) if old.get(key) != new.get(key))


def resource_response(
    request: HttpRequest, resource: dict[str, Any], schema: str, status: int = 200
) -> HttpResponse:
    """One User or Group with its meta: the attributes asked for (``attributes``,
    ``excludedAttributes``), its ETag, and its Location when just created."""
    shown = attributes.project(
        resource,
        request.GET.get("attributes", ""),
        request.GET.get("excludedAttributes", ""),
        schema,
    )
    location = resource["meta"]["location"] if status == 201 else ""
    return scim_response(shown, status, etag=resource["meta"]["version"], location=location)
