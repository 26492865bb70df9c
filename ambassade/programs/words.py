"""The words of programs: how its audit rows read, and the names of its codes."""

from django.utils.translation import gettext_lazy as _

from ambassade.core import display
from ambassade.core.audit_text import register_sentences
from ambassade.programs.models import AmbassadorKind, Metric, Objective

register_sentences(
    {
        "ambassador_type.updated": _("%(actor)s changed the ambassador type %(target)s"),
        "charter.draft_saved": _("%(actor)s saved a draft charter (%(target)s)"),
        "charter.published": _("%(actor)s published a charter (%(target)s)"),
        "charter.reacceptance_reminded": _(
            "%(actor)s reminded %(target)s to accept the new charter"
        ),
        "enrolment.accepted": _("%(actor)s joined a program (%(target)s)"),
        "enrolment.charter_reaccepted": _("%(actor)s accepted the new charter (%(target)s)"),
        "enrolment.ended_alumni_closed": _(
            "%(actor)s ended an alumni enrolment: the alumni space closed (%(target)s)"
        ),
        "enrolment.ended_on_departure": _(
            "%(actor)s ended an enrolment after a departure (%(target)s)"
        ),
        "enrolment.left": _("%(actor)s left a program (%(target)s)"),
        "enrolment.report_consent_changed": _(
            "%(actor)s changed their consent to the contribution report (%(target)s)"
        ),
        "enrolment.review_confirmed": _(
            "%(actor)s confirmed an enrolment after review (%(target)s)"
        ),
        "enrolment.review_requested": _(
            "%(actor)s asked for an enrolment to be reviewed (%(target)s)"
        ),
        "enrolment.visibility_changed": _("%(actor)s changed who sees their figures (%(target)s)"),
        "invitation.declined": _("%(actor)s declined an invitation (%(target)s)"),
        "invitation.opened": _("%(actor)s opened an invitation (%(target)s)"),
        "invitation.password_chosen": _(
            "%(actor)s chose a password from an invitation (%(target)s)"
        ),
        "invitation.reminded": _("%(actor)s sent a reminder of an invitation (%(target)s)"),
        "invitation.renewal_requested": _("%(actor)s asked for a new invitation (%(target)s)"),
        "invitation.sent": _("%(actor)s sent an invitation (%(target)s)"),
        "invitation_campaign.created": _("%(actor)s started an invitation campaign (%(target)s)"),
        "program.created": _("%(actor)s created the program %(target)s"),
        "program.target_added": _("%(actor)s added a target (%(target)s)"),
        "program.target_deleted": _("%(actor)s deleted a target (%(target)s)"),
        "program.target_updated": _("%(actor)s changed a target (%(target)s)"),
        "program.updated": _("%(actor)s changed the program %(target)s"),
        "programs.person_departed": _(
            "%(actor)s ended the enrolments of %(target)s after the departure"
        ),
    }
)

display.register("ambassador_kind", AmbassadorKind.choices)
display.register("objective", Objective.choices)
display.register("metric", Metric.choices)
