"""CSV import of people under /api/v1/: preview, then apply."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Schema, Status
from ninja.pagination import paginate

from ambassade.core.api import ApiError, ErrorResponse, PagePagination, permit
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


class ApplyIn(Schema):
    only_valid: bool = False


@router.post(
    "/people/imports",
    response={201: ImportDetail, 403: ErrorResponse, 413: ErrorResponse, 422: ErrorResponse},
    openapi_extra={
        "requestBody": {
            "content": {
                "text/csv": {"schema": {"type": "string"}},
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "properties": {"file": {"type": "string", "format": "binary"}},
                    }
                },
            }
        }
    },
)
def preview_import(request: HttpRequest, filename: str = "") -> Status:
    """Send the CSV as the body (``Content-Type: text/csv``) or as the ``file`` field of
    a multipart form. Nothing is written to people until ``…/apply``."""
    actor = permit(request, "people.import")
    uploaded = request.FILES.get("file")
    if uploaded is not None:
        if uploaded.size and uploaded.size > imports.MAX_BYTES:
            raise ApiError(413, "too_large", "The file is larger than 5 MB.")
        content, filename = uploaded.read(), filename or uploaded.name or ""
    else:
        if int(request.headers.get("Content-Length") or 0) > imports.MAX_BYTES:
            raise ApiError(413, "too_large", "The file is larger than 5 MB.")
        content = request.body
    people_import = actions.preview_import(actor, filename=filename, content=content)
    return Status(201, people_import)


@router.get("/people/imports", response=list[ImportOut])
@paginate(PagePagination)
def list_imports(request: HttpRequest) -> QuerySet[PeopleImport]:
    actor = permit(request, "people.import")
    return PeopleImport.objects.filter(organisation=actor.organisation).defer("rows", "plan")


@router.get(
    "/people/imports/{int:import_id}",
    response={200: ImportDetail, 403: ErrorResponse, 404: ErrorResponse},
)
def get_import(request: HttpRequest, import_id: int) -> PeopleImport:
    actor = permit(request, "people.import")
    return get_object_or_404(PeopleImport, organisation=actor.organisation, pk=import_id)


@router.post(
    "/people/imports/{int:import_id}/apply",
    response={200: ImportDetail, 403: ErrorResponse, 404: ErrorResponse, 422: ErrorResponse},
)
def apply_import(request: HttpRequest, import_id: int, payload: ApplyIn) -> PeopleImport:
    """One transaction: with errors and without ``only_valid``, nothing is written."""
    actor = permit(request, "people.import")
    people_import = get_object_or_404(PeopleImport, organisation=actor.organisation, pk=import_id)
    actions.apply_import(actor, people_import, only_valid=payload.only_valid)
    people_import.refresh_from_db()
    return people_import
