"""Every write of the sharing app: one transaction, one audit row, work queued on commit."""

from ambassade.sharing.actions.accounts import (
    connect_with_oauth,
    connect_with_password,
    disconnect,
    forget_person_accounts,
)
from ambassade.sharing.actions.deletion import Deletion, DeletionFailed, delete_from_network
from ambassade.sharing.actions.pause import set_pause
from ambassade.sharing.actions.queue import set_queue_slots
from ambassade.sharing.actions.reschedule import reschedule_target
from ambassade.sharing.actions.settings import save_network_app, update_settings
from ambassade.sharing.actions.shares import (
    TooSimilar,
    cancel_target,
    create_share,
    verify_target,
)

__all__ = [
    "Deletion",
    "DeletionFailed",
    "TooSimilar",
    "cancel_target",
    "connect_with_oauth",
    "connect_with_password",
    "create_share",
    "delete_from_network",
    "disconnect",
    "forget_person_accounts",
    "reschedule_target",
    "save_network_app",
    "set_pause",
    "set_queue_slots",
    "update_settings",
    "verify_target",
]
