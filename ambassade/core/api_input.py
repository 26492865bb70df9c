"""How the API reads a request: JSON objects only, within the size limit, no NUL.

Django-ninja wraps any error of the parser in a 400 "Cannot parse request body"; our
errors travel as its cause and the HttpError handler answers them (core/api.py).
The size limit is Django's DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB unless set).
"""

from __future__ import annotations

import json
import math
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest
from django.utils.datastructures import MultiValueDict
from ninja.parser import Parser

from ambassade.core.api import ApiError, body_limit, too_large

JSON_TYPES = ("application/json",)


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text} is too large a number")
    return value


def _nul_in(value: Any, path: str) -> str | None:
    """The path of the first string (key or value) holding a NUL character."""
    if isinstance(value, str):
        return path if "\x00" in value else None
    if isinstance(value, dict):
        for key, item in value.items():
            where = f"{path}.{key}" if path else str(key)
            if "\x00" in key:
                return where
            found = _nul_in(item, where)
            if found:
                return found
    if isinstance(value, list):
        for index, item in enumerate(value):
            found = _nul_in(item, f"{path}.{index}" if path else str(index))
            if found:
                return found
    return None


class StrictJsonParser(Parser):
    """A body is a JSON object sent as ``application/json``: nothing else is guessed at."""

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        content_type = (request.content_type or "").lower()
        if content_type not in JSON_TYPES and not content_type.endswith("+json"):
            raise ApiError(
                415,
                "unsupported_media_type",
                "Send the body as JSON, with Content-Type: application/json.",
                {"content_type": content_type or None},
            )
        try:
            raw = request.body
        except RequestDataTooBig:
            raise too_large(body_limit()) from None
        try:
            data = json.loads(raw, parse_constant=_refuse_constant, parse_float=_finite)
        except (ValueError, UnicodeDecodeError) as error:
            raise ApiError(
                400, "invalid_json", f"The body is not valid JSON: {error}", [{"field": "body"}]
            ) from None
        if not isinstance(data, dict):
            raise ApiError(
                422,
                "invalid",
                "The body must be a JSON object.",
                [{"field": "body", "message": "The body must be a JSON object."}],
            )
        where = _nul_in(data, "")
        if where:
            raise ApiError(
                422,
                "invalid",
                f"{where}: the text contains a NUL character.",
                [{"field": where, "message": "The text contains a NUL character."}],
            )
        return data

    def parse_querydict(
        self, data: MultiValueDict[str, Any], list_fields: list[str], request: HttpRequest
    ) -> dict[str, Any]:
        for key, values in data.lists():
            if len(values) > 1 and key not in list_fields:
                raise ApiError(
                    422,
                    "invalid",
                    f"{key}: give this parameter once.",
                    [{"field": key, "message": "Given more than once."}],
                )
            if any(isinstance(value, str) and "\x00" in value for value in values):
                raise ApiError(
                    422,
                    "invalid",
                    f"{key}: the text contains a NUL character.",
                    [{"field": key, "message": "The text contains a NUL character."}],
                )
        return super().parse_querydict(data, list_fields, request)
