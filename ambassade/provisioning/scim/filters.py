"""SCIM filters (RFC 7644 §3.4.2.2) to Django ``Q`` objects.

``scim2-filter-parser`` turns the text into a tree; each resource type says which
attributes it can be filtered on (``Field``) and the tree becomes a ``Q`` over its
queryset. Anything else is refused with ``invalidFilter`` naming what is not supported.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q
from scim2_filter_parser import ast
from scim2_filter_parser.lexer import SCIMLexer
from scim2_filter_parser.parser import SCIMParser

from ambassade.provisioning.scim.errors import invalid_filter

ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
STRING_OPERATORS = {"eq": "exact", "co": "contains", "sw": "startswith", "ew": "endswith"}


@dataclass(frozen=True)
class Field:
    """A filterable attribute: the model field, and whether comparisons ignore case."""

    lookup: str
    case_exact: bool = False
    boolean: bool = False
    # For attributes that are not a column (active, a group's members): the value -> Q.
    to_q: Callable[[str], Q] | None = None


# Attribute name (lowercased, "emails.value" for a sub-attribute) -> Field.
Fields = dict[str, Field]
# A multi-valued attribute's [filter]: (attribute, sub-attribute, operator, value) -> the
# Q it stands for, or None when that attribute cannot be filtered on.
ValueFilter = Callable[[str, str, str, str], Q | None]


def parse(text: str) -> ast.Filter:
    if len(text) > 1000:
        raise invalid_filter("The filter is longer than 1000 characters.")
    try:
        tree = SCIMParser().parse(SCIMLexer().tokenize(text))
    except Exception as error:  # the parser raises its own and plain errors alike
        raise invalid_filter(f"The filter cannot be read: {error}") from None
    if tree is None:
        raise invalid_filter("The filter cannot be read.")
    return tree


def to_q(
    text: str, fields: Fields, value_filter: ValueFilter | None = None, core_schema: str = ""
) -> Q:
    return _Translator(fields, value_filter, core_schema).node(parse(text))


class _Translator:
    def __init__(self, fields: Fields, value_filter: ValueFilter | None, core: str) -> None:
        self.fields = fields
        self.value_filter = value_filter
        self.core = core.lower()

    def node(self, node: ast.AST) -> Q:
        if isinstance(node, ast.Filter):
            if node.namespace is not None:
                return self.bracket(node.namespace, node.expr, None)
            inner = self.node(node.expr)
            return ~inner if node.negated else inner
        if isinstance(node, ast.LogExpr):
            left, right = self.node(node.expr1), self.node(node.expr2)
            return left & right if node.op.lower() == "and" else left | right
        if isinstance(node, ast.AttrExpr):
            return self.comparison(node)
        raise invalid_filter(f"Unsupported filter element: {type(node).__name__}.")

    def name(self, path: ast.AttrPath) -> str:
        if not isinstance(path.attr_name, str):
            raise invalid_filter("Unsupported nested filter.")
        name = path.attr_name
        if path.sub_attr is not None:
            name = f"{name}.{path.sub_attr.value}"
        uri = (path.uri or "").lower()
        if uri == ENTERPRISE.lower():
            return f"{ENTERPRISE.lower()}:{name.lower()}"
        if uri and uri != self.core:
            raise invalid_filter(f"Unknown schema in the filter: {path.uri}.")
        return name.lower()

    def bracket(self, namespace: ast.AttrPath, inner: ast.AST, outer: ast.AttrExpr | None) -> Q:
        """``emails[type eq "work"]`` alone, or followed by ``.value eq "…"``."""
        attribute = namespace.attr_name.lower()
        if self.value_filter is None:
            raise invalid_filter(f"Filtering on {namespace.attr_name}[…] is not supported.")
        inner_q = self.sub_filter(attribute, inner)
        if outer is None:
            return inner_q
        sub = namespace.sub_attr.value if namespace.sub_attr is not None else "value"
        value = outer.comp_value.value if outer.comp_value is not None else ""
        outer_q = self.value_filter(attribute, sub.lower(), outer.value.lower(), value)
        if outer_q is None:
            raise invalid_filter(f"Filtering on {namespace.attr_name}.{sub} is not supported.")
        return inner_q & outer_q

    def sub_filter(self, attribute: str, node: ast.AST) -> Q:
        assert self.value_filter is not None
        if isinstance(node, ast.Filter):
            inner = self.sub_filter(attribute, node.expr)
            return ~inner if node.negated else inner
        if isinstance(node, ast.LogExpr):
            left = self.sub_filter(attribute, node.expr1)
            right = self.sub_filter(attribute, node.expr2)
            return left & right if node.op.lower() == "and" else left | right
        if isinstance(node, ast.AttrExpr) and isinstance(node.attr_path.attr_name, str):
            sub = node.attr_path.attr_name.lower()
            value = node.comp_value.value if node.comp_value is not None else ""
            found = self.value_filter(attribute, sub, node.value.lower(), value)
            if found is not None:
                return found
            raise invalid_filter(f"Filtering on {attribute}[{sub} …] is not supported.")
        raise invalid_filter(f"Unsupported filter inside {attribute}[…].")

    def comparison(self, node: ast.AttrExpr) -> Q:
        if isinstance(node.attr_path.attr_name, ast.Filter):
            bracket = node.attr_path.attr_name
            return self.bracket(bracket.namespace, bracket.expr, node)
        name = self.name(node.attr_path)
        operator = node.value.lower()
        field = self.fields.get(name)
        if field is None and self.value_filter is not None and "." in name:
            attribute, sub = name.rsplit(".", 1)
            value = node.comp_value.value if node.comp_value is not None else ""
            found = self.value_filter(attribute, sub, operator, value)
            if found is not None:
                return found
        if field is None:
            supported = ", ".join(sorted(self.fields))
            raise invalid_filter(
                f"Filtering on '{name}' is not supported; supported attributes: {supported}."
            )
        if operator == "pr":
            if field.to_q is not None or field.boolean:
                return Q()
            return ~Q(**{field.lookup: ""}) & Q(**{f"{field.lookup}__isnull": False})
        value = node.comp_value.value if node.comp_value is not None else None
        if value is None:
            raise invalid_filter(f"The comparison on '{name}' has no value.")
        if field.to_q is not None:
            if operator not in ("eq", "ne"):
                raise invalid_filter(f"Only eq and ne are supported on '{name}'.")
            q = field.to_q(str(value))
            return ~q if operator == "ne" else q
        if operator == "ne":
            return ~self.string(field, "eq", str(value))
        if operator not in STRING_OPERATORS:
            raise invalid_filter(f"The operator '{operator}' is not supported on '{name}'.")
        return self.string(field, operator, str(value))

    @staticmethod
    def string(field: Field, operator: str, value: str) -> Q:
        lookup = STRING_OPERATORS[operator]
        if not field.case_exact:
            lookup = "iexact" if lookup == "exact" else f"i{lookup}"
        return Q(**{f"{field.lookup}__{lookup}": value})


def boolean(value: str) -> bool:
    text = value.strip().lower()
    if text not in ("true", "false"):
        raise invalid_filter(f"Expected true or false, not '{value}'.")
    return text == "true"
