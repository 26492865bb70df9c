"""``attributes`` and ``excludedAttributes`` (RFC 7644 §3.4.2.5): which attributes an
answer carries. ``schemas`` and ``id`` always come back."""

from __future__ import annotations

from typing import Any

from ambassade.provisioning.scim.models import ENTERPRISE_SCHEMA

ALWAYS = {"schemas", "id"}


def _names(text: str, core_schema: str) -> list[tuple[str, str, str]]:
    """(section, attribute, sub-attribute) for each listed name, lowercased."""
    found = []
    for raw in text.split(","):
        name = raw.strip()
        if not name:
            continue
        lowered = name.lower()
        section = ""
        for urn in (ENTERPRISE_SCHEMA, core_schema):
            if lowered.startswith(urn.lower() + ":"):
                section = ENTERPRISE_SCHEMA if urn == ENTERPRISE_SCHEMA else ""
                lowered = lowered[len(urn) + 1 :]
            elif lowered == urn.lower():
                section, lowered = urn, ""
        attribute, _, sub = lowered.partition(".")
        found.append((section, attribute, sub))
    return found


def _keyed(resource: dict[str, Any]) -> dict[str, str]:
    return {key.lower(): key for key in resource}


def project(
    resource: dict[str, Any], attributes: str, excluded: str, core_schema: str
) -> dict[str, Any]:
    if attributes:
        return _include(resource, _names(attributes, core_schema))
    if excluded:
        return _exclude(resource, _names(excluded, core_schema))
    return resource


def _include(resource: dict[str, Any], names: list[tuple[str, str, str]]) -> dict[str, Any]:
    result = {key: value for key, value in resource.items() if key.lower() in ALWAYS | {"meta"}}
    for section, attribute, sub in names:
        source = resource if section != ENTERPRISE_SCHEMA else resource.get(ENTERPRISE_SCHEMA, {})
        target = (
            result if section != ENTERPRISE_SCHEMA else result.setdefault(ENTERPRISE_SCHEMA, {})
        )
        if not attribute:
            if section == ENTERPRISE_SCHEMA:
                result[ENTERPRISE_SCHEMA] = dict(source)
            continue
        key = _keyed(source).get(attribute)
        if key is None:
            continue
        if not sub or not isinstance(source[key], dict | list):
            target[key] = source[key]
        elif isinstance(source[key], dict):
            inner = _keyed(source[key]).get(sub)
            if inner is not None:
                target.setdefault(key, {})[inner] = source[key][inner]
        else:
            target[key] = [
                {k: v for k, v in item.items() if k.lower() == sub} for item in source[key]
            ]
    if ENTERPRISE_SCHEMA in result and not result[ENTERPRISE_SCHEMA]:
        del result[ENTERPRISE_SCHEMA]
    return result


def _exclude(resource: dict[str, Any], names: list[tuple[str, str, str]]) -> dict[str, Any]:
    result = {
        key: (dict(value) if isinstance(value, dict) else value) for key, value in resource.items()
    }
    for section, attribute, sub in names:
        target = result if section != ENTERPRISE_SCHEMA else result.get(ENTERPRISE_SCHEMA, {})
        if not attribute:
            result.pop(section, None)
            continue
        key = _keyed(target).get(attribute)
        if key is None or key.lower() in ALWAYS:
            continue
        if not sub:
            del target[key]
        elif isinstance(target[key], dict):
            inner = _keyed(target[key]).get(sub)
            if inner is not None:
                del target[key][inner]
    return result
