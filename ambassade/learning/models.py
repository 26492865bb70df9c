"""Training: modules (a lesson and its quiz), their published versions, what is required
of whom before sharing, and each person's quiz attempts.

A module is edited as a draft; publishing it freezes a ``ModuleVersion`` (the lesson
rendered and sanitised, the quiz with its answers) that people read and are scored
against, so an edit never changes a quiz someone is taking. Results keep their version.
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ambassade.core.models import Organisation
from ambassade.people.models import Person
from ambassade.programs.models import AmbassadorType


class ModuleStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")


class Module(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="training_modules"
    )
    title_fr = models.CharField(_("title in French"), max_length=200)
    title_en = models.CharField(_("title in English"), max_length=200)
    # Markdown as written; the published version holds its sanitised rendering.
    lesson_fr = models.TextField(_("lesson in French (Markdown)"), blank=True)
    lesson_en = models.TextField(_("lesson in English (Markdown)"), blank=True)
    image = models.CharField(_("image"), max_length=300, blank=True)
    image_alt = models.CharField(_("image description"), max_length=300, blank=True)
    video_url = models.URLField(
        _("video on the organisation's own host"), max_length=2048, blank=True
    )
    duration_minutes = models.PositiveSmallIntegerField(
        _("estimated duration (minutes)"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(600)],
    )
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (%)"), default=80, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    # 0: every question of the pool, in a new order at each attempt.
    questions_per_attempt = models.PositiveSmallIntegerField(
        _("questions drawn per attempt"), default=0
    )
    # None: a pass never expires. Otherwise a pass older than this asks for a refresher.
    refresher_months = models.PositiveSmallIntegerField(
        _("refresher after (months)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ModuleStatus.choices, default=ModuleStatus.DRAFT
    )
    created_by = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("training module")
        verbose_name_plural = _("training modules")
        ordering = ["title_fr", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(pass_mark__gte=1, pass_mark__lte=100),
                name="learning_pass_mark_percent",
            )
        ]

    def __str__(self) -> str:
        return self.title_en or self.title_fr

    def title_for(self, language: str) -> str:
        if language.startswith("fr"):
            return self.title_fr or self.title_en
        return self.title_en or self.title_fr


class ModuleVersion(models.Model):
    """What people read and are scored against: frozen at each publication."""

    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    title_fr = models.CharField(max_length=200)
    title_en = models.CharField(max_length=200)
    lesson_fr = models.TextField()  # sanitised HTML
    lesson_en = models.TextField()
    image = models.CharField(max_length=300, blank=True)
    image_alt = models.CharField(max_length=300, blank=True)
    video_url = models.URLField(max_length=2048, blank=True)
    duration_minutes = models.PositiveSmallIntegerField()
    pass_mark = models.PositiveSmallIntegerField()
    questions_per_attempt = models.PositiveSmallIntegerField()
    # [{"id", "text": {"fr", "en"}, "multiple", "choices": [{"id", "text", "correct",
    # "feedback"}]}]: the pool as it was published.
    questions = models.JSONField(default=list)
    fingerprint = models.CharField(max_length=64)
    published_by = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, related_name="+")
    published_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["module", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["module", "number"], name="learning_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.module} v{self.number}"

    def title_for(self, language: str) -> str:
        if language.startswith("fr"):
            return self.title_fr or self.title_en
        return self.title_en or self.title_fr

    def lesson_for(self, language: str) -> str:
        if language.startswith("fr"):
            return self.lesson_fr or self.lesson_en
        return self.lesson_en or self.lesson_fr

    @property
    def pool_size(self) -> int:
        return len(self.questions)

    @property
    def drawn(self) -> int:
        return min(self.questions_per_attempt or self.pool_size, self.pool_size)


class Question(models.Model):
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="questions")
    text_fr = models.CharField(_("question in French"), max_length=500)
    text_en = models.CharField(_("question in English"), max_length=500)
    multiple = models.BooleanField(_("several answers may be right"), default=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["module", "position", "id"]

    def __str__(self) -> str:
        return self.text_en or self.text_fr


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    text_fr = models.CharField(_("answer in French"), max_length=300)
    text_en = models.CharField(_("answer in English"), max_length=300)
    correct = models.BooleanField(_("right answer"), default=False)
    feedback_fr = models.CharField(_("feedback in French"), max_length=500, blank=True)
    feedback_en = models.CharField(_("feedback in English"), max_length=500, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["question", "position", "id"]

    def __str__(self) -> str:
        return self.text_en or self.text_fr


class Requirement(models.Model):
    """A module required (or suggested) before sharing, for a type and a network.

    No type: every ambassador. No network: before any share (and the composer); a network:
    before sharing on it and before connecting an account of it."""

    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="requirements")
    ambassador_type = models.ForeignKey(
        AmbassadorType,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ambassador type"),
    )
    network = models.CharField(_("network"), max_length=32, blank=True)
    required = models.BooleanField(_("required (otherwise suggested)"), default=True)

    class Meta:
        ordering = ["module", "id"]

    def __str__(self) -> str:
        return f"{self.module} for {self.ambassador_type_id or 'all'}/{self.network or 'any'}"


class Attempt(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="quiz_attempts")
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="attempts")
    version = models.ForeignKey(ModuleVersion, on_delete=models.PROTECT, related_name="attempts")
    # The ids of the questions drawn from the version's pool, in the order shown.
    question_ids = models.JSONField(default=list)
    # {question id (text): [choice ids]} once submitted.
    answers = models.JSONField(null=True, blank=True)
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    passed = models.BooleanField(default=False)
    started_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [
            models.Index(fields=["person", "module", "passed"], name="learning_attempt_pass"),
            models.Index(fields=["organisation", "module"], name="learning_attempt_org"),
        ]

    def __str__(self) -> str:
        return f"attempt {self.pk} of {self.person_id} on {self.module_id}"

    @property
    def is_open(self) -> bool:
        return self.submitted_at is None
