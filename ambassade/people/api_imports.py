"""CSV import of people under /api/v1/: preview, then apply."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Schema, Status
from ninja.pagination import paginate

from ambassade.core.api import ApiError, ErrorResponse, PagePagination, permit
from ambassade.core.api_types import Id, InputSchema
from ambassade.people import actions, imports
from ambassade.people.api_router import router
from ambassade.people.models import PeopleImport


class ImportLine(Schema):
    line: int
    email: str = ""
    action: str
    errors: list[str]
    changes: dict[str, Any] = {}


class ImportOut(Schema):
    id: int
    status: str
    filename: str
    created_at: datetime
    applied_at: datetime | None
    created: int
    updated: int
    unchanged: int
    invalid: int
    only_valid: bool


class ImportDetail(ImportOut):
    lines: list[ImportLine]

    @staticmethod
    def resolve_lines(people_import: PeopleImport) -> list[dict[str, Any]]:
        return people_import.plan


FileName = Annotated[str, Field(max_length=200)]


class ApplyIn(InputSchema):
    only_valid: bool = False


@router.post(
    "/people/imports",
    response={
        201: ImportDetail,
        403: ErrorResponse,
        413: ErrorResponse,
        415: ErrorResponse,
        422: ErrorResponse,
    },
    openapi_extra={
        "requestBody": {
            "content": {
                "text/csv": {"schema": {"type": "string", "maxLength": imports.MAX_BYTES}},
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "properties": {"file": {"type": "string", "format": "binary"}},
                        "required": ["file"],
                    }
                },
            }
        }
    },
)
def preview_import(request: HttpRequest, filename: FileName = "") -> Status:
    """Send the CSV as the body (``Content-Type: text/csv``) or as the ``file`` field of
    a multipart form, 5 MB at most either way. Nothing is written to people until
    ``…/apply``."""
    actor = permit(request, "people.import")
    if request.content_type not in ("text/csv", "multipart/form-data"):
        raise ApiError(
            415,
            "unsupported_media_type",
            "Send the CSV as text/csv, or as the file field of a multipart/form-data form.",
            {"content_type": request.content_type or None},
        )
    if request.content_type == "multipart/form-data":
        uploaded = request.FILES.get("file")
        if uploaded is None:
            raise ApiError(
                422,
                "invalid",
                "Send the CSV as the file field of the form.",
                [{"field": "file", "message": "This field is required."}],
            )
        if uploaded.size and uploaded.size > imports.MAX_BYTES:
            raise _too_large()
        content, filename = uploaded.read(), filename or uploaded.name or ""
    else:
        if _content_length(request) > imports.MAX_BYTES:
            raise _too_large()
        # The stream, not request.body: Django caps request.body at
        # DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB), below the import's own 5 MB.
        content = request.read(imports.MAX_BYTES + 1)
        if len(content) > imports.MAX_BYTES:
            raise _too_large()
    people_import = actions.preview_import(actor, filename=filename, content=content)
    return Status(201, people_import)


def _too_large() -> ApiError:
    return ApiError(
        413, "too_large", "The file is larger than 5 MB.", {"limit_bytes": imports.MAX_BYTES}
    )


def _content_length(request: HttpRequest) -> int:
    try:
        return int(request.headers.get("Content-Length") or 0)
    except ValueError:
        raise ApiError(400, "bad_request", "The Content-Length header is not a number.") from None


@router.get("/people/imports", response=list[ImportOut])
@paginate(PagePagination)
def list_imports(request: HttpRequest) -> QuerySet[PeopleImport]:
    actor = permit(request, "people.import")
    return PeopleImport.objects.filter(organisation=actor.organisation).defer("rows", "plan")


@router.get(
    "/people/imports/{int:import_id}",
    response={200: ImportDetail, 403: ErrorResponse, 404: ErrorResponse},
)
def get_import(request: HttpRequest, import_id: Id) -> PeopleImport:
    actor = permit(request, "people.import")
    return get_object_or_404(PeopleImport, organisation=actor.organisation, pk=import_id)


@router.post(
    "/people/imports/{int:import_id}/apply",
    response={200: ImportDetail, 403: ErrorResponse, 404: ErrorResponse, 422: ErrorResponse},
)
def apply_import(request: HttpRequest, import_id: Id, payload: ApplyIn) -> PeopleImport:
    """One transaction: with errors and without ``only_valid``, nothing is written."""
    actor = permit(request, "people.import")
    people_import = get_object_or_404(PeopleImport, organisation=actor.organisation, pk=import_id)
    actions.apply_import(actor, people_import, only_valid=payload.only_valid)
    people_import.refresh_from_db()
    return people_import
