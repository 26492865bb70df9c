"""What the server says of itself (RFC 7644 §4): its configuration, resource types and
schemas. Only what is really supported is announced: no bulk, no sort, no password
change; filters (the attributes of ``views.USER_FILTERS``), PATCH and ETags are."""

from __future__ import annotations

from typing import Any

from scim2_models import (
    ListResponse,
    ResourceType,
    ServiceProviderConfig,
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
    config = ServiceProviderConfig.model_validate(
        {
            "documentationUri": documentation,
            "patch": {"supported": True},
            "bulk": {"supported": False, "maxOperations": 0, "maxPayloadSize": 0},
            "filter": {"supported": True, "maxResults": MAX_RESULTS},
            "changePassword": {"supported": False},
            "sort": {"supported": False},
            "etag": {"supported": True},
            "authenticationSchemes": [
                {
                    "type": "oauthbearertoken",
                    "name": "Bearer token",
                    "description": "A provisioning token made on Ambassade's provisioning page.",
                    "primary": True,
                }
            ],
        }
    )
    body = config.model_dump()
    body["meta"] = {
        "resourceType": "ServiceProviderConfig",
        "location": f"{base}/ServiceProviderConfig",
    }
    return body


def resource_types(base: str) -> list[dict[str, Any]]:
    found = []
    for name, schema, description, extensions in (
        (
            "User",
            USER_SCHEMA,
            "The people of the organisation",
            [{"schema": ENTERPRISE_SCHEMA, "required": False}],
        ),
        ("Group", GROUP_SCHEMA, "Its departments, or its sites", None),
    ):
        body = ResourceType.model_validate(
            {
                "id": name,
                "name": name,
                "endpoint": f"/{name}s",
                "description": description,
                "schema": schema,
                "schemaExtensions": extensions,
            }
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
