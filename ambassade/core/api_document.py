"""The API object: its error answers documented on every operation, 405 in the error format,
and the check that no two schemas share a name in the OpenAPI document."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.urls import URLPattern, URLResolver
from ninja import NinjaAPI
from pydantic import BaseModel

from ambassade.core.api import ErrorResponse

REF = "#/components/schemas/{model}"
# What any operation may answer besides its own outcomes (core/api.py's handlers).
COMMON_ERRORS = {
    400: "Malformed request (invalid JSON, broken multipart, unreadable query)",
    401: "Missing or invalid credentials",
    403: "Not allowed (role or token scope)",
    404: "Not found, or not in your organisation",
    405: "Method not allowed on this path",
    422: "A value is invalid; details name the field",
}
BODY_ERRORS = {
    413: "Request body too large",
    415: "Unsupported Content-Type (send application/json)",
}
METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")


def _error_component(schema: dict[str, Any]) -> dict[str, Any]:
    document = ErrorResponse.model_json_schema(ref_template=REF)
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components.update(document.pop("$defs", {}))
    components[ErrorResponse.__name__] = document
    return {"$ref": REF.format(model=ErrorResponse.__name__)}


def document_errors(schema: dict[str, Any]) -> None:
    """Adds the common error answers, in the error format, to every operation."""
    ref = _error_component(schema)
    for path_item in schema.get("paths", {}).values():
        for method in METHODS:
            operation = path_item.get(method)
            if operation is None:
                continue
            # django-ninja keys statuses as ints; the document's readers expect strings.
            responses = {str(key): value for key, value in operation.get("responses", {}).items()}
            wanted = dict(COMMON_ERRORS)
            if "requestBody" in operation:
                wanted |= BODY_ERRORS
            for status, description in wanted.items():
                responses.setdefault(
                    str(status),
                    {"description": description, "content": {"application/json": {"schema": ref}}},
                )
            operation["responses"] = dict(sorted(responses.items()))


def _not_allowed_in_error_format(view: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if not isinstance(response, HttpResponseNotAllowed):
            return response
        allowed = [method.strip() for method in response["Allow"].split(",")]
        answer = JsonResponse(
            {
                "error": {
                    "code": "method_not_allowed",
                    "message": f"{request.method} is not allowed here: use {', '.join(allowed)}.",
                    "details": {"allowed": allowed},
                }
            },
            status=405,
        )
        answer["Allow"] = response["Allow"]
        return answer

    return wrapped


class AmbassadeAPI(NinjaAPI):
    """NinjaAPI with our document and our 405 answers."""

    def _get_urls(self) -> list[URLResolver | URLPattern]:
        patterns = super()._get_urls()
        for pattern in patterns:
            if isinstance(pattern, URLPattern):
                pattern.callback = _not_allowed_in_error_format(pattern.callback)
        return patterns

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> Any:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        document_errors(schema)
        return schema


def _models_of(api: NinjaAPI) -> Iterator[tuple[str, type[BaseModel]]]:
    for bound_router in api._get_bound_routers():
        for path, path_view in bound_router.path_operations.items():
            for operation in path_view.operations:
                label = f"{'/'.join(operation.methods)} {bound_router.prefix}{path}"
                for model in operation.models:
                    yield label, model
                for model in operation.response_models.values():
                    if isinstance(model, type) and issubclass(model, BaseModel):
                        yield label, model


def schema_name_collisions(api: NinjaAPI) -> list[str]:
    """Names that two different schemas claim: the document would show only one of them."""
    seen: dict[str, tuple[dict[str, Any], str]] = {}
    collisions: list[str] = []
    for label, model in _models_of(api):
        definitions = model.model_json_schema(ref_template=REF).get("$defs", {})
        for name, definition in definitions.items():
            if "__" in name:
                # pydantic qualified the name because two classes share it.
                collisions.append(f"{name} (used by {label})")
                continue
            if name in seen and seen[name][0] != definition:
                collisions.append(f"{name} (used by {seen[name][1]} and by {label})")
            seen.setdefault(name, (definition, label))
    return sorted(set(collisions))
