"""What the server says of itself (RFC 7644 §4): its configuration, resource types and
schemas. Only what is really supported is announced: no bulk, no sort, no password
change; filters (the attributes of ``views.USER_FILTERS``), PATCH and ETags are."""

from __future__ import annotations

from typing import Any

from scim2_models import (
    AuthenticationScheme,
    Bulk,
    ChangePassword,
    ETag,
    Filter,
    ListResponse,
    Patch,
    ResourceType,
    SchemaExtension,
    ServiceProviderConfig,
    Sort,
)

from ambassade.provisioning.scim.models import (
    ENTERPRISE_SCHEMA,
    GROUP_SCHEMA,
    USER_SCHEMA,
    Group,
    User,
    schemas,
)

MAX_RESULTS = 200
# Parameterising builds a pydantic class: once, not at every answer.
_LIST_RESPONSE = ListResponse[User | Group]


def service_provider_config(base: str, documentation: str) -> dict[str, Any]:
    config = ServiceProviderConfig(
        documentation_uri=documentation,
        patch=Patch(supported=True),
        bulk=Bulk(supported=False, max_operations=0, max_payload_size=0),
        filter=Filter(supported=True, max_results=MAX_RESULTS),
        change_password=ChangePassword(supported=False),
        sort=Sort(supported=False),
        etag=ETag(supported=True),
        authentication_schemes=[
            AuthenticationScheme(
                type="oauthbearertoken",
                name="Bearer token",
                description="A provisioning token made on Ambassade's provisioning page.",
                primary=True,
            )
        ],
    )
    body = config.model_dump()
    body["meta"] = {
        "resourceType": "ServiceProviderConfig",
        "location": f"{base}/ServiceProviderConfig",
    }
    return body


def resource_types(base: str) -> list[dict[str, Any]]:
    found = []
    for name, endpoint, schema, description, extensions in (
        (
            "User",
            "/Users",
            USER_SCHEMA,
            "The people of the organisation",
            [SchemaExtension(schema_=ENTERPRISE_SCHEMA, required=False)],
        ),
        ("Group", "/Groups", GROUP_SCHEMA, "Its departments, or its sites", None),
    ):
        body = ResourceType(
            id=name,
            name=name,
            endpoint=endpoint,
            description=description,
            schema_=schema,
            schema_extensions=extensions,
        ).model_dump()
        body["meta"] = {"resourceType": "ResourceType", "location": f"{base}/ResourceTypes/{name}"}
        found.append(body)
    return found


def all_schemas(base: str) -> list[dict[str, Any]]:
    found = []
    for schema in schemas():
        schema["meta"] = {"resourceType": "Schema", "location": f"{base}/Schemas/{schema['id']}"}
        found.append(schema)
    return found


def list_response(
    resources: list[dict[str, Any]], total: int, start_index: int = 1
) -> dict[str, Any]:
    body = _LIST_RESPONSE(
        total_results=total, start_index=start_index, items_per_page=len(resources)
    ).model_dump()
    body["Resources"] = resources
    return body
