"""The words of recognition: how its audit rows read, and the names of its codes."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ambassade.core import display
from ambassade.core.audit_text import register_sentences
from ambassade.recognition.models import (
    ChallengeMetric,
    ChallengeScope,
    Criterion,
    DrawStatus,
    EntryReason,
    RecognitionSettings,
    RequestStatus,
    RuleKind,
)

register_sentences(
    {
        "recognition.points_corrected": _("%(actor)s corrected the points of %(target)s"),
        # The boards (boards_actions.py).
        "recognition.choices_changed": _("%(actor)s changed their choices about the boards"),
        "recognition.settings_changed": _("%(actor)s changed how the boards are shown"),
        "recognition.executive_set": _(
            "%(actor)s changed whether %(target)s is on the executives' board"
        ),
        "recognition.badge_created": _("%(actor)s created the badge %(target)s"),
        "recognition.badge_changed": _("%(actor)s edited the badge %(target)s"),
        "recognition.badge_retired": _("%(actor)s retired the badge %(target)s"),
        "recognition.badges_shown": _("%(actor)s chose to show their badges to colleagues"),
        "recognition.badges_hidden": _("%(actor)s chose to hide their badges from colleagues"),
        "recognition.rule_updated": _("%(actor)s changed a point rule of %(target)s"),
        "recognition.reward_created": _("%(actor)s added the reward %(target)s"),
        "recognition.reward_changed": _("%(actor)s edited the reward %(target)s"),
        "recognition.reward_retired": _("%(actor)s retired the reward %(target)s"),
        "recognition.reward_requested": _("%(actor)s requested a reward: %(target)s"),
        "recognition.reward_approved": _("%(actor)s approved a reward request: %(target)s"),
        "recognition.reward_sent": _("%(actor)s sent a reward: %(target)s"),
        "recognition.reward_cancelled": _(
            "%(actor)s cancelled a reward request and returned its points: %(target)s"
        ),
        # Prize draws (draws.py).
        "recognition.draw_created": _("%(actor)s created the prize draw %(target)s"),
        "recognition.draw_changed": _("%(actor)s edited the prize draw %(target)s"),
        "recognition.draw_published": _(
            "%(actor)s published the rules of the prize draw %(target)s"
        ),
        "recognition.draw_cancelled": _("%(actor)s cancelled the prize draw %(target)s"),
        "recognition.draw_drawn": _("%(actor)s drew the winners of the prize draw %(target)s"),
        "recognition.draw_entered": _("%(actor)s entered the prize draw %(target)s"),
        "recognition.draw_left": _("%(actor)s left the prize draw %(target)s"),
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
display.register("recognition_boards", RecognitionSettings.Boards.choices)
display.register("board_period", [("30d", _("Last 30 days")), ("quarter", _("This quarter"))])
display.register_fields(
    {
        "on_boards": (_("Shown by name on the boards"), None),
        "show_badges": (_("Badges shown"), None),
        "executive": (_("Executives' board"), None),
        "boards": (_("Boards"), "recognition_boards"),
        "point_rule": (_("Point rule"), "point_rule"),
        "points": (_("Points"), None),
        "daily_cap": (_("At most a day"), None),
        "milestone": (_("Every (human clicks)"), None),
        "request_status": (_("Request status"), "reward_request_status"),
        "cost": (_("Cost (points)"), None),
        "stock": (_("Stock"), None),
        "eligible": (_("Programs"), None),
        "draw_status": (_("Draw status"), "draw_status"),
        "opens_on": (_("Opens on"), None),
        "closes_on": (_("Closes on"), None),
        "winners": (_("Winners"), None),
        "cap": (_("Points counted at most"), None),
        "entrants": (_("Entrants"), None),
    }
)
display.register("badge_criterion", Criterion.choices)
# A reason is a noun ("Share" alone would read as the button's verb in French).
display.register("entry_reason", [(EntryReason.SHARE, pgettext_lazy("points reason", "Share"))])
display.register("point_rule", RuleKind.choices)
display.register("reward_request_status", RequestStatus.choices)
display.register("challenge_metric", ChallengeMetric.choices)
display.register("challenge_scope", ChallengeScope.choices)
# The periods of a challenge's participation rates (participation.py).
display.register(
    "challenge_period",
    [("before", _("before")), ("during", _("during")), ("after", _("after"))],
)
display.register("draw_status", DrawStatus.choices)
