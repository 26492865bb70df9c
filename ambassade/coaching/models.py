"""Who coaches whom: the expert an ambassador turns to, to progress or in a crisis."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from ambassade.core.models import Organisation
from ambassade.people.models import Person


class CoachAssignment(models.Model):
    """An ambassador's coach. One coach per ambassador; a coach has many ambassadors."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE)
    coach = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="coached", verbose_name=_("coach")
    )
    ambassador = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="coach_assignments"
    )
    assigned_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "ambassador"], name="coaching_one_coach_each"
            ),
            models.CheckConstraint(
                condition=~models.Q(coach=models.F("ambassador")), name="coaching_not_oneself"
            ),
        ]
        indexes = [models.Index(fields=["organisation", "coach"])]

    def __str__(self) -> str:
        return f"coach {self.coach_id} of {self.ambassador_id}"


DEFAULT_CAPACITY = 15
MAX_CAPACITY = 500


class CoachCapacity(models.Model):
    """How many ambassadors a coach takes; a coach without a row takes DEFAULT_CAPACITY."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE)
    coach = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="coach_capacity")
    capacity = models.PositiveIntegerField(_("capacity"), default=DEFAULT_CAPACITY)

    def __str__(self) -> str:
        return f"capacity of coach {self.coach_id}"


class Question(models.Model):
    """An ambassador's private question to their coach, and its thread of replies.

    Its text is read by the ambassador and their coach only: ``__str__`` (written into
    audit rows) and every figure of the overview leave it out.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE)
    ambassador = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="coaching_questions"
    )
    text = models.TextField(_("question"))
    # The re-encoded screenshot's name in the default storage (content/images.py).
    screenshot = models.CharField(max_length=300, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    asked_at = models.DateTimeField(auto_now_add=True)
    first_answered_at = models.DateTimeField(null=True, blank=True)
    first_answered_by = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    last_message_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["organisation", "ambassador", "status"]),
            models.Index(fields=["organisation", "first_answered_by"]),
        ]

    def __str__(self) -> str:
        return f"question #{self.pk}"


class Reply(models.Model):
    """One message after the question, by the coach or the ambassador."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, related_name="+")
    text = models.TextField(_("reply"))
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["sent_at", "id"]

    def __str__(self) -> str:
        return f"reply #{self.pk} to question #{self.question_id}"


class ChecklistExplanation(models.Model):
    """The organisation's own explanation of one checklist item, instead of the default."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE)
    network = models.CharField(max_length=32)
    item = models.CharField(max_length=32)
    text = models.TextField(_("explanation"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "network", "item"], name="coaching_one_explanation"
            )
        ]

    def __str__(self) -> str:
        return f"explanation {self.network}/{self.item}"


class ChecklistTick(models.Model):
    """An item the person says their profile meets. Nobody reads the profile for them."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="checklist_ticks")
    network = models.CharField(max_length=32)
    item = models.CharField(max_length=32)
    ticked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "network", "item"], name="coaching_tick_once")
        ]

    def __str__(self) -> str:
        return f"tick {self.network}/{self.item} of {self.person_id}"


class ProfileReview(models.Model):
    """A person asks their coach to look at their profile on one network."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Review asked")
        DONE = "done", _("Reviewed")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="profile_reviews")
    network = models.CharField(max_length=32)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.REQUESTED)
    requested_at = models.DateTimeField(auto_now_add=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        indexes = [models.Index(fields=["organisation", "person", "network"])]
        constraints = [
            # One open request per person and network: asking twice is the same request.
            models.UniqueConstraint(
                fields=["person", "network"],
                condition=models.Q(status="requested"),
                name="coaching_one_open_review",
            )
        ]

    def __str__(self) -> str:
        return f"profile review #{self.pk}"


class ReviewVerdict(models.Model):
    """The coach's word on one item: fine, or to improve, with a comment."""

    class Verdict(models.TextChoices):
        OK = "ok", _("OK")
        IMPROVE = "improve", _("To improve")

    review = models.ForeignKey(ProfileReview, on_delete=models.CASCADE, related_name="verdicts")
    item = models.CharField(max_length=32)
    verdict = models.CharField(max_length=8, choices=Verdict.choices)
    comment = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["review", "item"], name="coaching_verdict_once")
        ]

    def __str__(self) -> str:
        return f"verdict {self.item} of review {self.review_id}"
