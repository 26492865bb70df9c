"""Recognition: the points ledger and its rules, each person's choices, and (in the
modules beside this one) campaigns, challenges, badges and rewards."""

from ambassade.recognition.models.badges import Badge, BadgeAward, Criterion
from ambassade.recognition.models.campaigns import (
    CalendarFeed,
    Campaign,
    Challenge,
    ChallengeCompletion,
    ChallengeMetric,
    ChallengeScope,
)
from ambassade.recognition.models.draws import Draw, DrawEntry, DrawResult, DrawStatus
from ambassade.recognition.models.ledger import (
    EntryReason,
    LedgerEntry,
    PointRule,
    Profile,
    RecognitionSettings,
    RuleKind,
)
from ambassade.recognition.models.rewards import RequestStatus, Reward, RewardRequest

__all__ = [
    "Badge",
    "BadgeAward",
    "CalendarFeed",
    "Campaign",
    "Challenge",
    "ChallengeCompletion",
    "ChallengeMetric",
    "ChallengeScope",
    "Criterion",
    "Draw",
    "DrawEntry",
    "DrawResult",
    "DrawStatus",
    "EntryReason",
    "LedgerEntry",
    "PointRule",
    "Profile",
    "RecognitionSettings",
    "RequestStatus",
    "Reward",
    "RewardRequest",
    "RuleKind",
]
