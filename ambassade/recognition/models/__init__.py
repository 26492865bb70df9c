"""Recognition: the points ledger and its rules, each person's choices, and (in the
modules beside this one) campaigns, challenges, badges and rewards."""

from ambassade.recognition.models.campaigns import (
    CalendarFeed,
    Campaign,
    Challenge,
    ChallengeCompletion,
    ChallengeMetric,
    ChallengeScope,
)
from ambassade.recognition.models.ledger import (
    EntryReason,
    LedgerEntry,
    PointRule,
    Profile,
    RecognitionSettings,
    RuleKind,
)

__all__ = [
    "CalendarFeed",
    "Campaign",
    "Challenge",
    "ChallengeCompletion",
    "ChallengeMetric",
    "ChallengeScope",
    "EntryReason",
    "LedgerEntry",
    "PointRule",
    "Profile",
    "RecognitionSettings",
    "RuleKind",
]
