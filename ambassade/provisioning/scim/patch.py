"""PATCH (RFC 7644 §3.5.2) on a User's representation, then read like a PUT.

Operations apply, in order, to the representation Ambassade answers with; the result is
what the provider wants the User to be. Both forms are understood: with a ``path``
(``emails[type eq "work"].value``, ``name.givenName``, an enterprise attribute with its
URN) and without one (Entra ID's ``{"op": "Replace", "value": {"active": "False",
"urn:…:enterprise:2.0:User:department": "Sales"}}``).
"""

from __future__ import annotations

import copy
import re
from typing import Any

from scim2_filter_parser import ast

from ambassade.provisioning.scim import filters
from ambassade.provisioning.scim.errors import (
    invalid_path,
    invalid_syntax,
    invalid_value,
    no_target,
)
from ambassade.provisioning.scim.models import ENTERPRISE_SCHEMA, USER_SCHEMA
from ambassade.provisioning.scim.users import (
    ENTERPRISE_ATTRIBUTES,
    IGNORED_ENTERPRISE,
    IGNORED_NAME,
    IGNORED_USER,
    NAME_ATTRIBUTES,
    USER_ATTRIBUTES,
)

PATCH_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
PATH = re.compile(
    r"^(?P<attr>[A-Za-z$][\w$-]*)(?:\[(?P<filter>.+)\])?(?:\.(?P<sub>[A-Za-z$][\w$-]*))?$"
)
OPERATIONS = ("add", "replace", "remove")


def operations(body: Any) -> list[dict[str, Any]]:
    """The PatchOp's operations, checked for shape."""
    if not isinstance(body, dict):
        raise invalid_syntax("The body must be a PatchOp object.")
    schemas = body.get("schemas")
    if not isinstance(schemas, list) or PATCH_SCHEMA.lower() not in {
        str(item).lower() for item in schemas
    }:
        raise invalid_value(f"'schemas' must be [\"{PATCH_SCHEMA}\"].")
    found = next((value for key, value in body.items() if key.lower() == "operations"), None)
    if not isinstance(found, list) or not found:
        raise invalid_syntax("'Operations' must be a non-empty list.")
    checked = []
    for index, operation in enumerate(found):
        if not isinstance(operation, dict):
            raise invalid_syntax(f"Operation {index + 1} must be an object.")
        lowered = {key.lower(): value for key, value in operation.items()}
        op = str(lowered.get("op", "")).lower()
        if op not in OPERATIONS:
            raise invalid_syntax(f"Operation {index + 1}: 'op' must be add, replace or remove.")
        path = lowered.get("path")
        if path is not None and not isinstance(path, str):
            raise invalid_path(f"Operation {index + 1}: 'path' must be a string.")
        if op == "remove" and not path:
            raise no_target(f"Operation {index + 1}: remove needs a 'path'.")
        if op != "remove" and "value" not in lowered:
            raise invalid_syntax(f"Operation {index + 1}: {op} needs a 'value'.")
        checked.append({"op": op, "path": path or "", "value": lowered.get("value")})
    return checked


def apply(resource: dict[str, Any], ops: list[dict[str, Any]]) -> dict[str, Any]:
    result = copy.deepcopy(resource)
    result.setdefault(ENTERPRISE_SCHEMA, {})
    for operation in ops:
        if operation["path"]:
            _at_path(result, operation["op"], operation["path"], operation["value"])
        else:
            value = operation["value"]
            if not isinstance(value, dict):
                raise invalid_syntax(f"{operation['op']} without a path needs an object value.")
            for key, item in value.items():
                if key.lower() == ENTERPRISE_SCHEMA.lower():
                    if not isinstance(item, dict):
                        raise invalid_syntax(f"'{ENTERPRISE_SCHEMA}' must be an object.")
                    for inner, inner_value in item.items():
                        _at_path(
                            result, operation["op"], f"{ENTERPRISE_SCHEMA}:{inner}", inner_value
                        )
                else:
                    _at_path(result, operation["op"], key, item)
    _follow_email(resource, result)
    if not result.get(ENTERPRISE_SCHEMA):
        result.pop(ENTERPRISE_SCHEMA, None)
    return result


def _at_path(resource: dict[str, Any], op: str, path: str, value: Any) -> None:
    text = path.strip()
    lowered = text.lower()
    enterprise = False
    if lowered == ENTERPRISE_SCHEMA.lower():
        if op == "remove":
            resource[ENTERPRISE_SCHEMA] = {}
            return
        if not isinstance(value, dict):
            raise invalid_value(f"'{ENTERPRISE_SCHEMA}' must be given an object.")
        for key, item in value.items():
            _at_path(resource, op, f"{ENTERPRISE_SCHEMA}:{key}", item)
        return
    if lowered.startswith(ENTERPRISE_SCHEMA.lower() + ":"):
        enterprise, text = True, text[len(ENTERPRISE_SCHEMA) + 1 :]
    elif lowered.startswith(USER_SCHEMA.lower() + ":"):
        text = text[len(USER_SCHEMA) + 1 :]
    match = PATH.match(text)
    if match is None:
        raise invalid_path(f"The path '{path}' cannot be read.")
    attr, selector, sub = match["attr"].lower(), match["filter"], (match["sub"] or "").lower()
    if enterprise:
        _enterprise(resource[ENTERPRISE_SCHEMA], op, attr, sub, value, path)
    elif attr in IGNORED_USER:
        return  # a standard attribute Ambassade does not keep
    elif attr == "name":
        _name(resource, op, sub, value, path)
    elif attr == "emails":
        _emails(resource, op, selector, sub, value, path)
    elif attr in USER_ATTRIBUTES and not selector and not sub:
        key = USER_ATTRIBUTES[attr]
        if op == "remove":
            resource.pop(key, None)
        else:
            resource[key] = value
    else:
        raise invalid_path(f"Unknown or unsupported path '{path}'.")


def _enterprise(
    section: dict[str, Any], op: str, attr: str, sub: str, value: Any, path: str
) -> None:
    if attr in IGNORED_ENTERPRISE or attr == "schemas":
        return
    if attr not in ENTERPRISE_ATTRIBUTES:
        raise invalid_path(f"Unknown or unsupported path '{path}'.")
    key = ENTERPRISE_ATTRIBUTES[attr]
    if op == "remove":
        section.pop(key, None)
        return
    if key != "manager":
        if sub:
            raise invalid_path(f"'{key}' has no sub-attribute ('{path}').")
        section[key] = value
        return
    if sub and sub != "value":
        if sub in ("$ref", "displayname"):
            return  # the id decides; the rest follows from it
        raise invalid_path(f"Unknown or unsupported path '{path}'.")
    if isinstance(value, dict):
        value = {k.lower(): v for k, v in value.items()}.get("value")
    if value in (None, ""):
        section.pop(key, None)
    else:
        section[key] = {"value": value}


def _name(resource: dict[str, Any], op: str, sub: str, value: Any, path: str) -> None:
    name = dict(resource.get("name") or {})
    if not sub:
        if op == "remove":
            resource.pop("name", None)
            return
        if not isinstance(value, dict):
            raise invalid_value("'name' must be given an object.")
        for key, item in value.items():
            _name(resource, op, key.lower(), item, f"name.{key}")
            name = dict(resource.get("name") or {})
        return
    if sub in IGNORED_NAME:
        return
    if sub not in NAME_ATTRIBUTES:
        raise invalid_path(f"Unknown or unsupported path '{path}'.")
    if op == "remove":
        name.pop(NAME_ATTRIBUTES[sub], None)
    else:
        name[NAME_ATTRIBUTES[sub]] = value
    resource["name"] = name


def _emails(
    resource: dict[str, Any], op: str, selector: str | None, sub: str, value: Any, path: str
) -> None:
    """Ambassade keeps one address, the work one: its entry is the only one there is."""
    current = (resource.get("emails") or [{}])[0]
    if selector is not None and not _matches(selector, current, path):
        if op == "remove":
            return
        wanted = _wanted_type(selector)
        if wanted is not None and wanted != "work":
            return  # a home or other address: not kept
    if sub and sub != "value":
        return  # type, primary and display are always work, true and absent
    if op == "remove":
        resource.pop("emails", None)
        return
    if sub == "value" or (selector is not None and not isinstance(value, dict | list)):
        resource["emails"] = [{"value": value, "type": "work", "primary": True}]
        return
    if isinstance(value, dict):
        value = [value]
    if not isinstance(value, list):
        raise invalid_value("'emails' must be given a list of objects with a 'value'.")
    resource["emails"] = value


def _wanted_type(selector: str) -> str | None:
    found = re.match(r'^\s*type\s+eq\s+"([^"]*)"\s*$', selector, re.IGNORECASE)
    return found[1].lower() if found else None


def _matches(selector: str, entry: dict[str, Any], path: str) -> bool:
    try:
        tree = filters.parse(selector)
    except Exception:
        raise invalid_path(f"The filter in '{path}' cannot be read.") from None
    return _evaluate(tree, entry, path)


def _evaluate(node: ast.AST, entry: dict[str, Any], path: str) -> bool:
    if isinstance(node, ast.Filter):
        result = _evaluate(node.expr, entry, path)
        return not result if node.negated else result
    if isinstance(node, ast.LogExpr):
        left, right = _evaluate(node.expr1, entry, path), _evaluate(node.expr2, entry, path)
        return left and right if node.op.lower() == "and" else left or right
    if isinstance(node, ast.AttrExpr) and isinstance(node.attr_path.attr_name, str):
        key = node.attr_path.attr_name.lower()
        actual = {k.lower(): v for k, v in entry.items()}.get(key)
        operator = node.value.lower()
        if operator == "pr":
            return actual not in (None, "")
        expected = str(node.comp_value.value).lower() if node.comp_value else ""
        text = str(actual).lower() if actual is not None else ""
        if operator == "eq":
            return text == expected
        if operator == "ne":
            return text != expected
        if operator == "co":
            return expected in text
        if operator == "sw":
            return text.startswith(expected)
        if operator == "ew":
            return text.endswith(expected)
    raise invalid_path(f"Unsupported filter in '{path}'.")


def _follow_email(before: dict[str, Any], after: dict[str, Any]) -> None:
    """userName is the work address: a changed address changes it, and the other way."""

    def address(resource: dict[str, Any]) -> str:
        emails = resource.get("emails") or []
        if isinstance(emails, list) and emails and isinstance(emails[0], dict):
            return str(emails[0].get("value") or "").lower()
        return ""

    same_user_name = (
        str(after.get("userName") or "").lower() == str(before.get("userName") or "").lower()
    )
    if same_user_name and address(after) and address(after) != address(before):
        after["userName"] = address(after)
