"""The shapes of the rewards API: what it answers, and the strict input it accepts (the
actions say what is wrong with a value within these bounds, with a 422 naming it)."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema

from ambassade.core.api_types import Id, InputSchema, Text, Trimmed, omittable


class RewardOut(Schema):
    id: int
    name: str
    description: str
    cost: int
    stock: int = Field(description="The number still available")
    eligible: list[int] = Field(
        description="Program ids: only their active ambassadors may request it; empty: "
        "every ambassador of the organisation"
    )
    active: bool = Field(description="false once retired: no longer offered")
    within_reach: bool = Field(description="The person asking may request it (eligible)")
    created_at: datetime
    updated_at: datetime


class RewardIn(InputSchema):
    name: Trimmed = Field(..., max_length=200)
    description: Text = Field("", max_length=2000)
    cost: int = Field(..., ge=-(10**9), le=10**9, description="Points, from 1 to 1,000,000.")
    stock: int = Field(0, ge=-(10**9), le=10**9, description="From 0 to 100,000.")
    eligible: list[Id] = Field([], max_length=500)


class RewardPatch(InputSchema):
    name: Trimmed = omittable(max_length=200)
    description: Text = omittable(max_length=2000)
    cost: int = omittable(ge=-(10**9), le=10**9, description="Points, from 1 to 1,000,000.")
    stock: int = omittable(ge=-(10**9), le=10**9, description="From 0 to 100,000.")
    eligible: list[Id] = omittable(max_length=500)
    active: bool = omittable(description="false retires the reward, true offers it again")


class RewardRequestIn(InputSchema):
    note: Text = Field("", max_length=500, description="For the team: a size, an address…")


class RewardAnswerIn(InputSchema):
    answer: Text = Field("", max_length=500, description="Shown to the person")


class RewardRequestOut(Schema):
    id: int
    reward_id: int
    reward_name: str
    person_id: int
    person_name: str
    cost: int = Field(description="The points taken when requested (returned if cancelled)")
    status: str = Field(description="requested, approved, sent or cancelled")
    status_name: str
    note: str
    answer: str
    requested_at: datetime
    approved_at: datetime | None
    sent_at: datetime | None
    cancelled_at: datetime | None
