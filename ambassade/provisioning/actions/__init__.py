"""Every provisioning write: tokens and settings (console), Users and Groups (SCIM), and
the events of the report. Each is one transaction with its audit rows."""

from ambassade.provisioning.actions.console import (
    create_token,
    record_event,
    revoke_token,
    set_group_mapping,
)
from ambassade.provisioning.actions.groups import (
    GroupInput,
    create_group,
    replace_group,
    unmap_group,
)
from ambassade.provisioning.actions.users import create_user, remove_user, replace_user

__all__ = [
    "GroupInput",
    "create_group",
    "create_token",
    "create_user",
    "record_event",
    "remove_user",
    "replace_group",
    "replace_user",
    "revoke_token",
    "set_group_mapping",
    "unmap_group",
]
