"""The words of recognition: how its audit rows read, and the names of its codes."""

from django.utils.translation import gettext_lazy as _

from ambassade.core import display
from ambassade.core.audit_text import register_sentences
from ambassade.recognition.models import EntryReason, RequestStatus

register_sentences(
    {
        "recognition.points_corrected": _("%(actor)s corrected the points of %(target)s"),
        "recognition.reward_created": _("%(actor)s added the reward %(target)s"),
        "recognition.reward_changed": _("%(actor)s edited the reward %(target)s"),
        "recognition.reward_retired": _("%(actor)s retired the reward %(target)s"),
        "recognition.reward_requested": _("%(actor)s requested a reward: %(target)s"),
        "recognition.reward_approved": _("%(actor)s approved a reward request: %(target)s"),
        "recognition.reward_sent": _("%(actor)s sent a reward: %(target)s"),
        "recognition.reward_cancelled": _(
            "%(actor)s cancelled a reward request and returned its points: %(target)s"
        ),
    }
)

display.register("entry_reason", EntryReason.choices)
display.register("reward_request_status", RequestStatus.choices)
display.register_fields(
    {
        "request_status": (_("Request status"), "reward_request_status"),
        "cost": (_("Cost (points)"), None),
        "stock": (_("Stock"), None),
        "eligible": (_("Programs"), None),
    }
)
