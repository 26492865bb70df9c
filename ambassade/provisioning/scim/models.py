"""The SCIM resources as Ambassade keeps them: only the attributes it stores.

These ``scim2-models`` classes generate the /Schemas answer, so that a provider (or a
conformance checker) is told exactly what is kept, and the rest is known to be ignored.
"""

from __future__ import annotations

from typing import Annotated, Any, ClassVar

from pydantic import Field
from scim2_models import (
    URN,
    CaseExact,
    ComplexAttribute,
    Extension,
    Mutability,
    Reference,
    Required,
    Resource,
    Returned,
    Uniqueness,
)

USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group"
ENTERPRISE_SCHEMA = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"


class Name(ComplexAttribute):
    given_name: Annotated[str | None, Required.true] = None
    """The first name."""

    family_name: Annotated[str | None, Required.true] = None
    """The last name."""


class Email(ComplexAttribute):
    value: Annotated[str | None, Required.true] = None
    """The work e-mail address, the same as userName."""

    type: str | None = Field(None, examples=["work"])
    """Always "work": Ambassade keeps one address, the work one."""

    primary: bool | None = None
    """Always true."""


class Manager(ComplexAttribute):
    value: Annotated[str | None, CaseExact.true] = None
    """The id of the manager's SCIM User."""

    ref: Annotated[Reference[User] | None, Mutability.read_write] = Field(
        None, serialization_alias="$ref", validation_alias="$ref"
    )
    """The manager's SCIM User URL."""


class EnterpriseUser(Extension):
    __schema__ = URN(ENTERPRISE_SCHEMA)

    employee_number: str | None = None
    """The employee number."""

    department: str | None = None
    """The department's name; a department of that name is created if none exists."""

    manager: Manager | None = None
    """The person's manager."""


class User(Resource[Any]):
    __schema__ = URN(USER_SCHEMA)

    user_name: Annotated[str | None, Required.true, Uniqueness.server] = None
    """The work e-mail address (lowercased)."""

    name: Annotated[Name | None, Required.true] = None
    """The first and last names."""

    display_name: Annotated[str | None, Mutability.read_only] = None
    """The first and last names, as Ambassade shows them."""

    title: str | None = None
    """The job title."""

    emails: Annotated[list[Email] | None, Required.true] = None
    """The work e-mail address, the same as userName: a person always has one."""

    active: Annotated[bool | None, Required.true] = None
    """False once the person has left (a departure), true while they work here. Always
    set: true when a creation leaves it out."""

    Name: ClassVar[type[ComplexAttribute]] = Name
    Emails: ClassVar[type[ComplexAttribute]] = Email


class GroupMember(ComplexAttribute):
    value: Annotated[str | None, CaseExact.true] = None
    """The id of a member User."""

    ref: Annotated[Reference[User | Group] | None, Mutability.read_write] = Field(
        None, serialization_alias="$ref", validation_alias="$ref"
    )
    """The member's SCIM URL."""

    type: str | None = Field(None, examples=["User"])
    """Always "User": a group's members are people."""


class Group(Resource[Any]):
    __schema__ = URN(GROUP_SCHEMA)

    display_name: Annotated[str | None, Required.true, Uniqueness.server] = None
    """The department's or site's name."""

    members: Annotated[list[GroupMember] | None, Returned.default] = None
    """The people of the department or site."""

    Members: ClassVar[type[ComplexAttribute]] = GroupMember


def schemas() -> list[dict[str, Any]]:
    """The /Schemas resources, with their meta."""
    found = []
    for model in (User, Group, EnterpriseUser):
        schema = model.to_schema().model_dump()
        found.append(schema)
    return found
