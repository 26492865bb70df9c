"""The words of people: how its audit rows read, and the names of its codes."""

from django.utils.translation import gettext_lazy as _

from ambassade.core import display
from ambassade.core.audit_text import register_sentences
from ambassade.people.models import EmploymentStatus, Membership

register_sentences(
    {
        "api_token.created": _("%(actor)s created the API token %(target)s"),
        "api_token.revoked": _("%(actor)s revoked the API token %(target)s"),
        "department.created": _("%(actor)s created the department %(target)s"),
        "people.exported": _("%(actor)s exported a list of people"),
        "segment.changed": _("%(actor)s changed the saved audience %(target)s"),
        "segment.deleted": _("%(actor)s deleted the saved audience %(target)s"),
        "segment.saved": _("%(actor)s saved the audience %(target)s"),
        "site.created": _("%(actor)s created the site %(target)s"),
        "department.renamed": _("%(actor)s renamed the department %(target)s"),
        "site.renamed": _("%(actor)s renamed the site %(target)s"),
        "person.reinstated": _("%(actor)s brought %(target)s back after their departure"),
        "organisation.created": _("%(actor)s created the organisation %(target)s"),
        "people_import.applied": _("%(actor)s applied a people import (%(target)s)"),
        "people_import.discarded": _("%(actor)s discarded a people import (%(target)s)"),
        "people_import.previewed": _(
            "%(actor)s checked a people import before applying it (%(target)s)"
        ),
        "person.account_activated": _("%(actor)s activated the account of %(target)s"),
        "person.alumni_chosen": _("%(actor)s answered the alumni offer (%(target)s)"),
        "person.alumni_offer_ended": _("%(actor)s ended the alumni offer of %(target)s"),
        "person.anonymised": _("%(actor)s anonymised %(target)s"),
        "person.created": _("%(actor)s added %(target)s"),
        "person.departed": _("%(actor)s recorded the departure of %(target)s"),
        "person.departure_notice_sent": _("%(actor)s sent the departure notice to %(target)s"),
        "person.erasure_requested": _("%(actor)s asked for the data of %(target)s to be erased"),
        "person.invited_to_sign_in": _("%(actor)s invited %(target)s to sign in"),
        "person.personal_data_exported": _("%(actor)s exported the personal data of %(target)s"),
        "person.roles_changed": _("%(actor)s changed the roles of %(target)s"),
        "person.updated": _("%(actor)s updated the record of %(target)s"),
        "profile.preferences_changed": _("%(actor)s changed their preferences"),
        "self_assessment.saved": _("%(actor)s saved their self-assessment"),
        "self_assessment.withdrawn": _("%(actor)s withdrew their self-assessment"),
        "hr_note.added": _("%(actor)s added an HR note about %(target)s"),
    }
)

display.register("membership", Membership.choices)
display.register("employment_status", EmploymentStatus.choices)
display.register("status", EmploymentStatus.choices)
display.register(
    "reason", [("retention", _("retention period over")), ("erasure", _("erasure requested"))]
)
display.register_fields({"membership": (_("Membership"), "membership")})
