"""The words of recognition: how its audit rows read, and the names of its codes."""

from django.utils.translation import gettext_lazy as _

from ambassade.core import display
from ambassade.core.audit_text import register_sentences
from ambassade.recognition.models import ChallengeMetric, ChallengeScope, EntryReason

register_sentences(
    {
        "recognition.points_corrected": _("%(actor)s corrected the points of %(target)s"),
        "recognition.campaign_created": _("%(actor)s created the campaign %(target)s"),
        "recognition.campaign_changed": _("%(actor)s edited the campaign %(target)s"),
        "recognition.campaign_archived": _("%(actor)s archived the campaign %(target)s"),
        "recognition.challenge_created": _("%(actor)s created the challenge %(target)s"),
        "recognition.challenge_changed": _("%(actor)s edited the challenge %(target)s"),
        "recognition.challenge_archived": _("%(actor)s archived the challenge %(target)s"),
        "recognition.challenge_completed": _(
            "%(actor)s gave the points of the completed challenge %(target)s"
        ),
        "recognition.calendar_feed_created": _(
            "%(actor)s created a calendar address for the program %(target)s"
        ),
        "recognition.calendar_feed_revoked": _(
            "%(actor)s revoked a calendar address of the program %(target)s"
        ),
    }
)

display.register("entry_reason", EntryReason.choices)
display.register("challenge_metric", ChallengeMetric.choices)
display.register("challenge_scope", ChallengeScope.choices)
