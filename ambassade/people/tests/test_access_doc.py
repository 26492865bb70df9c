"""docs/access.md says which roles allow each token scope; the code decides. They agree."""

from __future__ import annotations

import re
from pathlib import Path

from ambassade.core.authz import ALUMNI, scopes_for_roles
from ambassade.core.roles import Role, Scope

DOC = Path(__file__).resolve().parents[3] / "docs" / "access.md"
ROW = re.compile(r"^\| `(?P<scope>[a-z_]+:[a-z]+)` \| (?P<roles>[^|]+) \|$", re.MULTILINE)
# What the document's words stand for: every person holds "employee" besides their roles.
NAMES: dict[str, set[str]] = {
    "every employee": {"employee", *Role.values},
    "alumni": {ALUMNI},
    **{role.value: {role.value} for role in Role},
}


def _documented() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for match in ROW.finditer(DOC.read_text(encoding="utf-8")):
        words = re.sub(r"\([^)]*\)", "", match["roles"]).split(",")
        found[match["scope"]] = set().union(*(NAMES[word.strip()] for word in words))
    return found


def test_the_documented_scopes_are_those_the_roles_allow() -> None:
    documented = _documented()
    assert set(documented) == set(Scope.values)
    for scope, roles in documented.items():
        for role in [*Role, "employee", ALUMNI]:
            # "employee" alone: a person with no role of the working group.
            allowed = scope in scopes_for_roles(frozenset({role}))
            assert allowed == (role in roles), (scope, role)
