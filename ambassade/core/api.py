"""What every API router shares: authentication, the error format, permissions, pages.

Errors always have the shape ``{"error": {"code", "message", "details"}}``.
"""

from __future__ import annotations

import base64
import binascii
import math
import typing
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import (
    PermissionDenied,
    RequestDataTooBig,
    SuspiciousOperation,
    ValidationError,
)
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.utils import timezone
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.pagination import PaginationBase
from ninja.security import HttpBearer, SessionAuth

from ambassade.core.authz import Actor, allowed, scopes_for_roles

if typing.TYPE_CHECKING:
    from ambassade.people.models import Person


class ErrorBody(Schema):
    code: str
    message: str
    details: Any = None


class ErrorResponse(Schema):
    error: ErrorBody


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, details: Any = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = details


def too_large(limit: int) -> ApiError:
    return ApiError(
        413, "too_large", f"The request body is larger than {limit} bytes.", {"limit_bytes": limit}
    )


def decoded_base64(encoded: str | None, field: str) -> bytes | None:
    """A file sent as base64 in ``field`` (a screenshot, a photo); 422 when it is not."""
    if not encoded:
        return None
    try:
        return base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise ApiError(
            422,
            "invalid",
            f"{field}: this is not base64.",
            [{"field": field, "message": "This is not base64."}],
        ) from None


def body_limit() -> int:
    """Django's DATA_UPLOAD_MAX_MEMORY_SIZE: the largest JSON body (2.5 MB unless set)."""
    return int(settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0)


# Where pydantic locates an error, without the parameter's source or the body's name.
_SOURCES = {"path", "query", "header", "cookie", "form", "file"}


def field_name(location: tuple[Any, ...] | list[Any]) -> str:
    parts = [str(part) for part in location]
    if parts and parts[0] == "body":
        parts = parts[2:] or ["body"]  # ("body", <parameter>, field, …)
    elif parts and parts[0] in _SOURCES:
        parts = parts[1:]
    return ".".join(parts)


def error_response(
    api: NinjaAPI, request: HttpRequest, status: int, code: str, message: str, details: Any = None
) -> HttpResponse:
    body = {"error": {"code": code, "message": message, "details": details}}
    return api.create_response(request, body, status=status)


def install_error_handlers(api: NinjaAPI) -> None:
    def on_api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
        return error_response(api, request, exc.status, exc.code, exc.message, exc.details)

    def on_invalid(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        details: list[dict[str, Any]] = [
            {"field": field_name(err.get("loc", [])), "message": err.get("msg")}
            for err in exc.errors
        ]
        message = "The request is not valid."
        if details:
            message = f"{details[0]['field']}: {details[0]['message']}"
        return error_response(api, request, 422, "invalid", message, details)

    def on_model_invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        if hasattr(exc, "error_dict"):
            details: list[dict[str, Any]] = [
                {"field": field, "message": str(message)}
                for field, messages in exc.message_dict.items()
                for message in messages
            ]
        else:
            details = [{"field": None, "message": str(message)} for message in exc.messages]
        message = details[0]["message"] if details else "The request is not valid."
        return error_response(api, request, 422, "invalid", message, details)

    def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return error_response(
            api,
            request,
            401,
            "unauthenticated",
            "Send a valid token in the Authorization header (Bearer) or sign in.",
        )

    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if isinstance(exc.__cause__, ApiError):
            # The body parser's own answer (core/api_input.py), wrapped by django-ninja.
            return on_api_error(request, exc.__cause__)
        codes = {400: "bad_request", 403: "forbidden", 404: "not_found", 405: "method_not_allowed"}
        return error_response(
            api, request, exc.status_code, codes.get(exc.status_code, "error"), str(exc)
        )

    def on_forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return error_response(api, request, 403, "forbidden", "You are not allowed to do this.")

    def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return error_response(api, request, 404, "not_found", "Not found.")

    def on_too_large(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        return on_api_error(request, too_large(body_limit()))

    def on_unreadable(request: HttpRequest, exc: Exception) -> HttpResponse:
        # Too many fields, a broken multipart body: the client's request, not our error.
        return error_response(api, request, 400, "bad_request", f"The request is malformed: {exc}")

    def on_unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        if settings.DEBUG:
            raise exc
        import logging

        logging.getLogger("ambassade.api").exception("unexpected API error")
        return error_response(
            api, request, 500, "server_error", "Something went wrong on our side."
        )

    handlers: list[tuple[type[Exception], Callable[[HttpRequest, Any], HttpResponse]]] = [
        (ApiError, on_api_error),
        (NinjaValidationError, on_invalid),
        (ValidationError, on_model_invalid),
        (RequestDataTooBig, on_too_large),
        (SuspiciousOperation, on_unreadable),
        (MultiPartParserError, on_unreadable),
        (AuthenticationError, on_unauthenticated),
        (HttpError, on_http_error),
        (PermissionDenied, on_forbidden),
        (Http404, on_not_found),
        (Exception, on_unexpected),
    ]
    for exception_class, handler in handlers:
        api.add_exception_handler(exception_class, handler)


TOKEN_FAILURES = "api_token_failed"  # noqa: S105 (a rate-limit action name)


def _token_failure_limits() -> dict[str, str]:
    return {TOKEN_FAILURES: settings.API_TOKEN_FAILURES}


def _refuse_if_locked_out(request: HttpRequest) -> None:
    """Wrong tokens are counted per source (allauth's rate limiter, whose sources are daily
    pseudonyms, see accounts/limits.py); past the limit every token is refused for a while."""
    from allauth.core.internal import ratelimit

    allowed_now = ratelimit.consume(
        request,
        app="ambassade.api",
        action=TOKEN_FAILURES,
        config=_token_failure_limits(),
        dry_run=True,
        limit_get=True,
    )
    if allowed_now:
        return
    from ambassade.core.limits import current_block

    block = current_block(
        request,
        app="ambassade.api",
        action=TOKEN_FAILURES,
        key=None,
        config=_token_failure_limits(),
    )
    seconds = block.seconds if block is not None else 60
    minutes = block.minutes if block is not None else 1
    from allauth.core.internal.ratelimit import get_ip

    from ambassade.core import actions

    actions.record_token_lockout(source=get_ip(request), seconds=seconds)
    raise ApiError(
        429,
        "too_many_attempts",
        f"Too many wrong tokens from your network. Try again in {minutes} minute(s).",
        {"retry_after": seconds},
    )


def _count_token_failure(request: HttpRequest) -> None:
    from allauth.core.internal import ratelimit

    ratelimit.consume(
        request,
        app="ambassade.api",
        action=TOKEN_FAILURES,
        config=_token_failure_limits(),
        limit_get=True,
    )


class TokenAuth(HttpBearer):
    """``Authorization: Bearer amb_…``: a personal or organisation token."""

    def authenticate(self, request: HttpRequest, token: str) -> Actor | None:
        _refuse_if_locked_out(request)
        actor = self._actor_for(request, token)
        if actor is None:
            _count_token_failure(request)
        return actor

    def _actor_for(self, request: HttpRequest, token: str) -> Actor | None:
        from ambassade.people.models import ApiToken, hash_token

        if not token.startswith(settings.API_TOKEN_PREFIX) or len(token) > 200:
            return None
        now = timezone.now()
        try:
            found = ApiToken.objects.select_related("organisation", "person", "created_by").get(
                secret_hash=hash_token(token), revoked_at__isnull=True
            )
        except ApiToken.DoesNotExist:
            return None
        if found.expires_at is not None and found.expires_at <= now:
            return None
        if found.organisation.suspended_at is not None:
            return None
        person = found.person
        # Someone who left signs in no more, unless they stayed an alumni ambassador.
        if person is not None and person.employment_status == "left" and not person.alumni:
            return None
        if found.last_used_at is None or now - found.last_used_at > timedelta(minutes=1):
            # At most one write a minute per token, not one per request.
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        # A token never exceeds the person who made it, as they are now: an organisation
        # token acts with its creator's current roles (none once they have left or been
        # erased), and its scopes shrink with them.
        creator = person if person is not None else found.created_by
        roles = creator.role_set if creator is not None else frozenset()
        if person is None and creator is not None and creator.employment_status == "left":
            roles = frozenset()  # an organisation token never acts as an alumni
        actor = Actor(
            organisation=found.organisation,
            person=person,
            roles=roles,
            scopes=frozenset(found.scopes) & scopes_for_roles(roles),
            via="api",
            token_id=found.pk,
            token_label=str(found),
        )
        request.actor = actor  # type: ignore[attr-defined]
        request.person = person  # type: ignore[attr-defined]
        return actor


class BrowserSessionAuth(SessionAuth):
    """The signed-in browser session (CSRF-checked for writes), for our own pages' scripts.

    Only a signed-in session is CSRF-checked: a request with no session (a script with a
    missing or wrong token) is answered 401, never a CSRF refusal.
    """

    def _get_key(self, request: HttpRequest) -> str | None:
        if not request.user.is_authenticated:
            return None
        return super()._get_key(request)

    def authenticate(self, request: HttpRequest, key: str | None) -> Actor | None:
        if not request.user.is_authenticated:
            return None
        actor: Actor | None = getattr(request, "actor", None)
        if actor is not None:
            return Actor(
                organisation=actor.organisation, person=actor.person, roles=actor.roles, via="api"
            )
        return None


def actor_of(request: HttpRequest) -> Actor:
    actor: Actor = request.auth  # type: ignore[attr-defined]
    return actor


def permit(request: HttpRequest, permission: str) -> Actor:
    actor = actor_of(request)
    if not allowed(actor, permission):
        raise ApiError(
            403, "forbidden", "You are not allowed to do this.", {"permission": permission}
        )
    return actor


def permit_person(request: HttpRequest, permission: str) -> tuple[Actor, Person]:
    """``permit``, for what only a person does (their own feed, drafts, referrals): an
    organisation token stands for nobody and is refused."""
    actor = permit(request, permission)
    if actor.person is None:
        raise ApiError(403, "forbidden", "An organisation token does not stand for a person.")
    return actor, actor.person


MAX_PAGE = 1_000_000


def typed(view: Callable[..., Any]) -> Callable[..., Any]:
    """Resolves a view's annotations in its own module, for ``@paginate`` to wrap it.

    django-ninja reads the wrapped view's string annotations (``from __future__ import
    annotations``) in the pagination module, where our types (``Id``…) are unknown.
    """
    view.__annotations__ = typing.get_type_hints(view, include_extras=True)
    return view


class PageInput(Schema):
    # Bounded so that page × page_size stays a database integer; beyond the last page the
    # items are empty.
    page: int = Field(1, ge=1, le=MAX_PAGE, description="Page number, from 1")
    page_size: int = Field(settings.API_PAGE_SIZE, ge=1, le=200, description="Items per page")


class PagePagination(PaginationBase):
    """Page pagination that says how many pages there are and which come next."""

    Input = PageInput  # type: ignore[assignment]

    class Output(Schema):
        items: list[Any]
        count: int
        page: int
        pages: int
        next_page: int | None

    def paginate_queryset(
        self, queryset: QuerySet[Any], pagination: Any, request: HttpRequest, **params: Any
    ) -> dict[str, Any]:
        count = queryset.count()
        pages = max(1, math.ceil(count / pagination.page_size))
        offset = (pagination.page - 1) * pagination.page_size
        return {
            "items": list(queryset[offset : offset + pagination.page_size]),
            "count": count,
            "page": pagination.page,
            "pages": pages,
            "next_page": pagination.page + 1 if pagination.page < pages else None,
        }
