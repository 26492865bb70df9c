"""Every change to programs, charters, invitations and enrolments: one transaction, audited.

Consent is the rule: nobody becomes an ambassador without accepting the published
charter themselves, and leaving takes effect at once. The functions live in three
modules by subject; import them from here.
"""

from ambassade.programs.actions._common import user_agent_family
from ambassade.programs.actions.charter_reminders import (
    MustReaccept,
    must_reaccept,
    remind_to_reaccept,
)
from ambassade.programs.actions.enrolments import (
    confirm_review,
    end_for_departure,
    leave,
    reaccept_charter,
    request_reviews,
    set_report_consent,
    set_visibility,
    suggest_kind,
)
from ambassade.programs.actions.invitation_link import (
    LinkState,
    account_of_invitee,
    ask_for_new_link,
    choose_password,
    invitation_for_link,
    join_signed_in_account,
    link_state,
    needs_password,
)
from ambassade.programs.actions.invitations import (
    accept_invitation,
    create_campaign,
    decline_invitation,
    expire_invitations,
    invite,
    issue_link,
    mark_opened,
    request_to_join,
    send_due_reminders,
)
from ambassade.programs.actions.programs import (
    DEFAULT_TYPES,
    add_target,
    create_program,
    delete_target,
    ensure_default_types,
    publish_charter,
    save_charter_draft,
    update_ambassador_type,
    update_program,
    update_target,
)

__all__ = [
    "DEFAULT_TYPES",
    "LinkState",
    "MustReaccept",
    "accept_invitation",
    "account_of_invitee",
    "add_target",
    "ask_for_new_link",
    "choose_password",
    "confirm_review",
    "create_campaign",
    "create_program",
    "decline_invitation",
    "delete_target",
    "end_for_departure",
    "ensure_default_types",
    "expire_invitations",
    "invitation_for_link",
    "invite",
    "issue_link",
    "join_signed_in_account",
    "leave",
    "link_state",
    "mark_opened",
    "must_reaccept",
    "needs_password",
    "publish_charter",
    "reaccept_charter",
    "remind_to_reaccept",
    "request_reviews",
    "request_to_join",
    "save_charter_draft",
    "send_due_reminders",
    "set_report_consent",
    "set_visibility",
    "suggest_kind",
    "update_ambassador_type",
    "update_program",
    "update_target",
    "user_agent_family",
]
