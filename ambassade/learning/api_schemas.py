"""The shapes of the training API: what it answers, and the strict input it accepts
(the actions say what is wrong with a value within these bounds, with a 422 naming it)."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema

from ambassade.core.api_types import Code, InputSchema, Name, Text, omittable
from ambassade.learning.actions import LESSON_LIMIT, MAX_CHOICES, MAX_QUESTIONS


class ModuleOut(Schema):
    id: int
    title_fr: str
    title_en: str
    lesson_fr: str
    lesson_en: str
    image_url: str
    image_alt: str
    video_url: str
    duration_minutes: int
    pass_mark: int
    questions_per_attempt: int
    refresher_months: int | None
    status: str
    version: int | None
    updated_at: datetime


class QuizChoiceOut(Schema):
    id: int
    text_fr: str
    text_en: str
    correct: bool
    feedback_fr: str
    feedback_en: str


class QuizQuestionOut(Schema):
    id: int
    text_fr: str
    text_en: str
    multiple: bool
    choices: list[QuizChoiceOut]


class RequirementOut(Schema):
    id: int
    ambassador_type: str
    network: str
    required: bool


class ModuleDetailOut(ModuleOut):
    questions: list[QuizQuestionOut]
    requirements: list[RequirementOut]


class ModuleIn(InputSchema):
    title_fr: Name = Field(..., max_length=200)
    title_en: Name = Field(..., max_length=200)
    lesson_fr: Text = Field("", max_length=LESSON_LIMIT)
    lesson_en: Text = Field("", max_length=LESSON_LIMIT)
    image_alt: Text = Field("", max_length=300)
    video_url: Text = Field("", max_length=2048)
    duration_minutes: int = Field(10, ge=0, le=100_000)
    pass_mark: int = Field(80, ge=-1000, le=1000, description="A percentage, from 1 to 100.")
    questions_per_attempt: int = Field(0, ge=0, le=100_000, description="0: all of them.")
    refresher_months: int | None = Field(None, ge=0, le=100_000)


class ModulePatch(InputSchema):
    title_fr: Name = omittable(max_length=200)
    title_en: Name = omittable(max_length=200)
    lesson_fr: Text = omittable(max_length=LESSON_LIMIT)
    lesson_en: Text = omittable(max_length=LESSON_LIMIT)
    image_alt: Text = omittable(max_length=300)
    video_url: Text = omittable(max_length=2048)
    duration_minutes: int = omittable(ge=0, le=100_000)
    pass_mark: int = omittable(ge=-1000, le=1000, description="A percentage, from 1 to 100.")
    questions_per_attempt: int = omittable(ge=0, le=100_000)
    refresher_months: int | None = Field(None, ge=0, le=100_000)


class QuizChoiceIn(InputSchema):
    text_fr: Text = Field(..., max_length=300)
    text_en: Text = Field(..., max_length=300)
    correct: bool = False
    feedback_fr: Text = Field("", max_length=500)
    feedback_en: Text = Field("", max_length=500)


class QuestionIn(InputSchema):
    text_fr: Text = Field(..., max_length=500)
    text_en: Text = Field(..., max_length=500)
    multiple: bool = False
    choices: list[QuizChoiceIn] = Field(..., max_length=MAX_CHOICES)


class RequirementIn(InputSchema):
    ambassador_type: Code = Field(
        "", max_length=32, description="An ambassador type's kind (supporter…); empty: every type."
    )
    network: Code = Field("", max_length=32, description="A network code; empty: any share.")
    required: bool = True


class VersionOut(Schema):
    module_id: int
    number: int
    published_at: datetime


class RemovedOut(Schema):
    outcome: str = Field(description="deleted (never published) or archived")


class PathEntryOut(Schema):
    module_id: int
    title: str
    required: bool
    networks: list[str]
    state: str = Field(description="passed, expired (a refresher is due) or to_do")
    passed_at: datetime | None
    expires_at: datetime | None
    last_score: int | None
    duration_minutes: int


class PathOut(Schema):
    next_module_id: int | None
    modules: list[PathEntryOut]


class LessonOut(Schema):
    module_id: int
    version: int
    title: str
    lesson_html: str
    image_url: str
    image_alt: str
    video_url: str
    duration_minutes: int
    pass_mark: int
    questions_per_attempt: int


class AttemptChoiceOut(Schema):
    id: int
    text: str
    chosen: bool
    correct: bool | None = Field(description="Told once submitted, for chosen answers")
    feedback: str


class AttemptQuestionOut(Schema):
    id: int
    text: str
    multiple: bool
    right: bool | None
    choices: list[AttemptChoiceOut]


class AttemptOut(Schema):
    id: int
    module_id: int
    version: int
    started_at: datetime
    submitted_at: datetime | None
    score: int | None
    passed: bool
    pass_mark: int
    questions: list[AttemptQuestionOut]


class AnswersIn(InputSchema):
    answers: dict[Code, list[int]] = Field(
        ...,
        max_length=MAX_QUESTIONS,
        description="Question id (as text) -> the ids of the chosen answers.",
    )


class ProgressLineOut(Schema):
    label: str
    concerned: int
    passed: int
    rate: int
    median_days: float | None


class ModuleProgressOut(Schema):
    module_id: int
    title: str
    total: ProgressLineOut
    departments: list[ProgressLineOut]
    withheld: int


class ProgressOut(Schema):
    threshold: int
    modules: list[ModuleProgressOut]
