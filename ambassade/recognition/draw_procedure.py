"""The prize draws' procedure, public and deterministic.

The entrants with a weight above zero, ordered by person id; for position k = 1, 2, ...,
r = int(sha256(f"{seed}:{k}").hexdigest(), 16) modulo the total weight of those still in;
walking the entrants in order, the first whose cumulative weight is above r wins and
leaves the list. The seed's hash is published before the draw opens, so the seed could
not be chosen after seeing who entered.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from ambassade.recognition.models import Draw, DrawResult, DrawStatus


def hash_of(seed: str) -> str:
    return hashlib.sha256(seed.encode()).hexdigest()


def pick(seed: str, weights: dict[int, int], winners: int) -> list[int]:
    """The winners' person ids, in order (the procedure in this module's docstring)."""
    remaining = sorted((person_id, w) for person_id, w in weights.items() if w > 0)
    chosen: list[int] = []
    for position in range(1, winners + 1):
        if not remaining:
            break
        total = sum(weight for _unused, weight in remaining)
        r = int(hashlib.sha256(f"{seed}:{position}".encode()).hexdigest(), 16) % total
        cumulative = 0
        for index, (person_id, weight) in enumerate(remaining):
            cumulative += weight
            if r < cumulative:
                chosen.append(person_id)
                del remaining[index]
                break
    return chosen


@dataclass(frozen=True)
class Verification:
    seed_matches_hash: bool
    winners_match: bool

    @property
    def verified(self) -> bool:
        return self.seed_matches_hash and self.winners_match


def verify(draw: Draw) -> Verification:
    """Recomputes the winners from the revealed seed and the recorded weights."""
    if draw.status != DrawStatus.DRAWN or not draw.seed:
        return Verification(False, False)
    results = list(DrawResult.objects.filter(draw=draw))
    weights = {result.person_id: result.weight for result in results}
    recorded = [r.person_id for r in sorted(results, key=lambda r: r.position or 0) if r.position]
    return Verification(
        hash_of(draw.seed) == draw.seed_hash,
        pick(draw.seed, weights, draw.winners) == recorded,
    )
