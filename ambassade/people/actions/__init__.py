"""Every change to people data goes through these functions: one transaction, one audit row.

The functions live in modules by subject (people, roles, tokens, invitations, HR,
lifecycle, imports); import them from here.
"""

from ambassade.people.actions._common import POSITION_FIELDS
from ambassade.people.actions.alumni import end_alumni_offer, is_alumni_ambassador
from ambassade.people.actions.hr import (
    add_hr_note,
    save_self_assessment,
    withdraw_self_assessment,
)
from ambassade.people.actions.imports import apply_import, discard_import, preview_import
from ambassade.people.actions.invitations import (
    accept_account_invitation,
    activate_account,
    invitation_for,
    invite_to_sign_in,
)
from ambassade.people.actions.lifecycle import (
    alumni_offer_open,
    anonymise_person,
    anonymised_email,
    choose_alumni,
    export_personal_data,
    mark_left_now,
    process_departure,
    reinstate_person,
    request_erasure,
    send_departure_notice,
)
from ambassade.people.actions.organisations import (
    NewOrganisation,
    create_organisation,
    resume_organisation,
    suspend_organisation,
)
from ambassade.people.actions.people import (
    PERSON_FIELDS,
    create_department,
    create_person,
    create_site,
    rename_department,
    rename_site,
    update_person,
)
from ambassade.people.actions.roles import (
    ASSIGNABLE_ROLES,
    add_role,
    is_last_admin,
    remove_role,
    set_roles,
)
from ambassade.people.actions.segments import (
    delete_segment,
    record_people_export,
    save_segment,
)
from ambassade.people.actions.tokens import (
    create_api_token,
    revoke_api_token,
    update_preferences,
)

__all__ = [
    "ASSIGNABLE_ROLES",
    "PERSON_FIELDS",
    "POSITION_FIELDS",
    "NewOrganisation",
    "accept_account_invitation",
    "activate_account",
    "add_hr_note",
    "add_role",
    "alumni_offer_open",
    "anonymise_person",
    "anonymised_email",
    "apply_import",
    "choose_alumni",
    "create_api_token",
    "create_department",
    "create_organisation",
    "create_person",
    "create_site",
    "delete_segment",
    "discard_import",
    "end_alumni_offer",
    "export_personal_data",
    "invitation_for",
    "invite_to_sign_in",
    "is_alumni_ambassador",
    "is_last_admin",
    "mark_left_now",
    "preview_import",
    "process_departure",
    "record_people_export",
    "reinstate_person",
    "remove_role",
    "rename_department",
    "rename_site",
    "request_erasure",
    "resume_organisation",
    "revoke_api_token",
    "save_segment",
    "save_self_assessment",
    "send_departure_notice",
    "set_roles",
    "suspend_organisation",
    "update_person",
    "update_preferences",
    "withdraw_self_assessment",
]
