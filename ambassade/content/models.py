"""The content hub: items worth sharing, their suggested messages, review and curation.

An item belongs to a program and goes through draft → submitted → approved → published
→ expired → archived. Its targeting (departments, sites, languages, ambassador types)
is empty for everyone; the ``targets_*`` flags say which dimensions are set, so the feed
query stays a handful of indexed conditions.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ambassade.content import limits
from ambassade.core.models import Organisation
from ambassade.people.models import Department, Person, Site
from ambassade.programs.models import AmbassadorType, Program

LANGUAGES = [("fr", _("French")), ("en", _("English"))]
RETENTION_REGULATED = timedelta(days=3 * 366)


class Network(models.TextChoices):
    """A message for any network. The networks themselves are the ones the sharing app
    registers (each declares its counting rule in content/limits.py), so content lists
    none: ``network_choices`` reads them when a form or a check asks."""

    ANY = "any", _("Any network")


def network_choices() -> list[tuple[str, Any]]:
    """ "Any network", then every registered network by its brand name."""
    return [
        (Network.ANY.value, Network.ANY.label),
        *((rule.code, rule.name) for rule in limits.RULES.values()),
    ]


def network_codes() -> set[str]:
    return {code for code, _name in network_choices()}


def network_name(code: str) -> str:
    return str(dict(network_choices()).get(code, code))


class ContentSettings(models.Model):
    """Per-organisation settings of the content hub, editable by admins."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="content_settings"
    )
    promotional_threshold = models.PositiveSmallIntegerField(
        _("promotional share warning (%)"),
        default=20,
        help_text=_("Warn in the studio when promotional items exceed this share of 30 days."),
    )
    trusted_after = models.PositiveSmallIntegerField(
        _("suggestions accepted before direct publication"),
        default=5,
        help_text=_("An author whose last N suggestions were all accepted publishes directly."),
    )
    allowed_hosts = models.TextField(
        _("public hosts that may be read on other ports"),
        blank=True,
        help_text=_(
            "One public host name a line (for example news.example.com): previews and "
            "sources may read them on ports other than 80 and 443. Their addresses are "
            "checked like any other; only the operator opens an intranet host."
        ),
    )
    alumni_disclosure = models.CharField(
        _("alumni disclosure"),
        max_length=120,
        blank=True,
        help_text=_(
            "Added to every post of an alumni ambassador; {organisation} stands for the "
            "organisation's name. Empty: “Former {organisation} employee”, in the post's "
            "language."
        ),
    )

    class Meta:
        verbose_name = _("content settings")
        verbose_name_plural = _("content settings")

    def __str__(self) -> str:
        return f"{self.organisation}"

    @property
    def host_set(self) -> frozenset[str]:
        return frozenset(
            line.strip().lower() for line in self.allowed_hosts.splitlines() if line.strip()
        )


class Channel(models.Model):
    """A topic of the feed (Recrutement, RSE…)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="channels"
    )
    name = models.CharField(_("name"), max_length=80)
    description = models.CharField(_("description"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("channel")
        verbose_name_plural = _("channels")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="channel_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Category(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="content_categories"
    )
    name = models.CharField(_("name"), max_length=80)
    promotional = models.BooleanField(
        _("promotional"),
        default=False,
        help_text=_("Counts in the promotional share of the content mix."),
    )

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="category_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class ProgramContentPolicy(models.Model):
    """Who approves the content of a program, and whether it is regulated."""

    program = models.OneToOneField(Program, on_delete=models.CASCADE, related_name="content_policy")
    reviewer_roles = models.JSONField(_("roles that approve"), default=list)
    compliance_reviewers = models.ManyToManyField(
        Person, blank=True, related_name="+", verbose_name=_("compliance reviewers")
    )
    regulated = models.BooleanField(
        _("regulated"),
        default=False,
        help_text=_(
            "Every item needs an approval, by someone other than its author, and every "
            "published version is kept for at least three years."
        ),
    )
    # A change to a published item of a regulated program is reviewed again; meanwhile
    # the approved text stays in the feed, or the item leaves it until the approval.
    keep_live_while_reviewed = models.BooleanField(
        _("keep the published version live while a change is reviewed"),
        default=True,
        help_text=_("Otherwise a changed item leaves the feed until its new version is approved."),
    )

    # Four-eyes review: nobody approves their own item, unless the program allows it
    # (never in a regulated program). Changed by content.actions.set_policy, audited.
    self_approval = models.BooleanField(
        _("authors may approve their own items"),
        default=False,
        help_text=_(
            "Off by default: someone other than the author approves each item. "
            "A regulated program always requires another approver."
        ),
    )

    class Meta:
        verbose_name = _("content policy")
        verbose_name_plural = _("content policies")

    def __str__(self) -> str:
        return f"{self.program}"


class Kind(models.TextChoices):
    ARTICLE = "article", _("Article or web page")
    TEXT = "text", _("Text with images")
    JOB = "job", _("Job offer")
    EVENT = "event", _("Event")
    INTERNAL_NEWS = "internal_news", _("Internal news (employees only)")
    EXPERTISE = "expertise", _("Employee expertise")


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for review")
    APPROVED = "approved", _("Approved")
    PUBLISHED = "published", _("Published")
    EXPIRED = "expired", _("Expired")
    ARCHIVED = "archived", _("Archived")


class PreviewStatus(models.TextChoices):
    NONE = "none", _("No preview")
    PENDING = "pending", _("Preview pending")
    READY = "ready", _("Preview ready")
    FAILED = "failed", _("Preview failed")


class ContentItem(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="content_items"
    )
    program = models.ForeignKey(
        Program, on_delete=models.PROTECT, related_name="content_items", verbose_name=_("program")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.ARTICLE)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    body = models.TextField(_("text"), blank=True, help_text=_("Sanitised HTML."))
    url = models.URLField(_("address"), max_length=2048, blank=True)
    canonical_url = models.URLField(max_length=2048, blank=True, db_index=True)
    site_name = models.CharField(_("source"), max_length=200, blank=True)
    image = models.CharField(_("image"), max_length=300, blank=True)
    image_alt = models.CharField(_("image description"), max_length=300, blank=True)
    preview_status = models.CharField(
        max_length=8, choices=PreviewStatus.choices, default=PreviewStatus.NONE
    )
    preview_error = models.CharField(max_length=300, blank=True)
    # Job offers
    job_site = models.CharField(_("job location"), max_length=120, blank=True)
    contract_type = models.CharField(_("contract type"), max_length=60, blank=True)
    apply_url = models.URLField(_("application address"), max_length=2048, blank=True)
    # Events
    event_start = models.DateTimeField(_("date and time"), null=True, blank=True)
    event_place = models.CharField(_("place"), max_length=200, blank=True)
    registration_url = models.URLField(_("registration address"), max_length=2048, blank=True)

    language = models.CharField(_("language"), max_length=2, choices=LANGUAGES, default="fr")
    group = models.UUIDField(default=uuid.uuid4, editable=False)
    channels = models.ManyToManyField(
        Channel, blank=True, related_name="items", verbose_name=_("channels")
    )
    category = models.ForeignKey(
        Category,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="items",
        verbose_name=_("category"),
    )
    target_departments = models.ManyToManyField(
        Department, blank=True, related_name="+", verbose_name=_("departments")
    )
    target_sites = models.ManyToManyField(
        Site, blank=True, related_name="+", verbose_name=_("sites")
    )
    target_ambassador_types = models.ManyToManyField(
        AmbassadorType, blank=True, related_name="+", verbose_name=_("ambassador types")
    )
    # ",fr,en," so that "one of these languages" is a portable LIKE on every database.
    target_languages = models.CharField(max_length=20, blank=True)
    targets_departments = models.BooleanField(default=False)
    targets_sites = models.BooleanField(default=False)
    targets_languages = models.BooleanField(default=False)
    targets_types = models.BooleanField(default=False)

    publish_from = models.DateTimeField(_("publish from"), null=True, blank=True)
    publish_until = models.DateTimeField(_("publish until"), null=True, blank=True)
    featured = models.BooleanField(_("featured"), default=False)
    # Shown to alumni ambassadors too (in the programs they relay as alumni); never an
    # internal news, which stays inside (docs/decisions/0039-alumni-ambassadors.md).
    for_alumni = models.BooleanField(_("for alumni"), default=False)
    author = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    credited = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="credited_items",
        verbose_name=_("credited employee"),
    )
    source = models.ForeignKey(
        "Source", on_delete=models.SET_NULL, null=True, blank=True, related_name="items"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    # A change to a published item waiting for review, while the approved text stays live:
    # the changed fields as the studio or the API sent them, applied on approval.
    pending_change = models.JSONField(null=True, blank=True)
    pending_author = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("content item")
        verbose_name_plural = _("content items")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The feed: published items of an organisation, featured first then newest.
            models.Index(
                fields=["organisation", "status", "-featured", "-published_at"],
                name="content_feed",
            ),
            models.Index(fields=["status", "publish_from"], name="content_due"),
            models.Index(fields=["status", "publish_until"], name="content_expiry"),
            models.Index(fields=["organisation", "-created_at"], name="content_studio"),
            # The feed's "is there a version in their language?" and the item's translations.
            models.Index(fields=["group", "language", "status"], name="content_translations"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def shareable(self) -> bool:
        """Internal news stays inside the company: never a share action, anywhere."""
        return self.kind != Kind.INTERNAL_NEWS

    @property
    def language_list(self) -> list[str]:
        return [code for code in self.target_languages.split(",") if code]

    @property
    def image_url(self) -> str:
        from django.core.files.storage import default_storage

        return default_storage.url(self.image) if self.image else ""

    @property
    def is_live(self) -> bool:
        now = timezone.now()
        return (
            self.status == Status.PUBLISHED
            and (self.publish_from is None or self.publish_from <= now)
            and (self.publish_until is None or self.publish_until > now)
        )


class SuggestedMessage(models.Model):
    item = models.ForeignKey(ContentItem, on_delete=models.CASCADE, related_name="messages")
    language = models.CharField(_("language"), max_length=2, choices=LANGUAGES, default="fr")
    network = models.CharField(
        _("network"), max_length=10, choices=network_choices, default=Network.ANY
    )
    text = models.TextField(_("message"), max_length=3000)
    hashtags = models.CharField(_("hashtags"), max_length=300, blank=True)
    mentions = models.CharField(_("mentions"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("suggested message")
        verbose_name_plural = _("suggested messages")
        ordering = ["language", "network", "id"]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def text_to_share(self) -> str:
        """The message an ambassador starts from: text, then mentions and hashtags. No
        address: the ambassador's own tracked link is added for each network."""
        parts = [self.text.strip()]
        extras = " ".join(part for part in (self.mentions.strip(), self.hashtags.strip()) if part)
        if extras:
            parts.append(extras)
        return "\n\n".join(part for part in parts if part)

    @property
    def full_text(self) -> str:
        """The message as posted: text, then mentions and hashtags, then the address."""
        return "\n\n".join(part for part in (self.text_to_share, self.item.url) if part)


class ReviewComment(models.Model):
    item = models.ForeignKey(ContentItem, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    author_label = models.CharField(max_length=200, blank=True)
    text = models.TextField(_("comment"), max_length=3000)
    transition = models.CharField(max_length=16, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("review comment")
        verbose_name_plural = _("review comments")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.author_label}: {self.text[:40]}"


class ContentVersion(models.Model):
    """A snapshot of an item at each publication; regulated programs keep it three years."""

    item = models.ForeignKey(ContentItem, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    snapshot = models.JSONField()
    published_at = models.DateTimeField(default=timezone.now)
    published_by_label = models.CharField(max_length=200, blank=True)
    keep_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("published version")
        verbose_name_plural = _("published versions")
        ordering = ["item", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["item", "number"], name="content_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.item} v{self.number}"


class HiddenItem(models.Model):
    """“Not interested”: the person no longer sees this item in their feed."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    item = models.ForeignKey(ContentItem, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "item"], name="hidden_item_once")]

    def __str__(self) -> str:
        return f"{self.person} ✕ {self.item}"


class TermKind(models.TextChoices):
    PREFERRED = "preferred", _("Preferred wording")
    BANNED = "banned", _("Banned term")
    CONFIDENTIAL = "confidential", _("Confidential term")


class GlossaryTerm(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="glossary_terms"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=TermKind.choices)
    text = models.CharField(_("term"), max_length=120)
    suggestion = models.CharField(
        _("suggested wording"), max_length=200, blank=True, help_text=_("For preferred terms.")
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("glossary term")
        verbose_name_plural = _("glossary terms")
        ordering = ["kind", "text"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "text"], name="glossary_term_unique")
        ]

    def __str__(self) -> str:
        return self.text


class Disclosure(models.Model):
    """A mention the organisation requires on a network (for example #salarié)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="disclosures"
    )
    network = models.CharField(_("network"), max_length=10, choices=network_choices)
    text = models.CharField(_("required disclosure"), max_length=120)

    class Meta:
        verbose_name = _("disclosure")
        verbose_name_plural = _("disclosures")
        ordering = ["network"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "network"], name="disclosure_once")
        ]

    def __str__(self) -> str:
        return f"{self.network}: {self.text}"


class Source(models.Model):
    """An RSS or Atom feed polled into the curation inbox."""

    MAX_INTERVAL = timedelta(hours=24)
    BASE_INTERVAL = timedelta(minutes=30)
    FAILING_AFTER = timedelta(days=3)

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="content_sources"
    )
    url = models.URLField(_("feed address"), max_length=2048)
    title = models.CharField(_("name"), max_length=200, blank=True)
    channel = models.ForeignKey(
        Channel,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sources",
        verbose_name=_("channel"),
    )
    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="content_sources", verbose_name=_("program")
    )
    trusted = models.BooleanField(
        _("trusted"),
        default=False,
        help_text=_("New entries are published into the channel without going to the inbox."),
    )
    active = models.BooleanField(_("active"), default=True)
    etag = models.CharField(max_length=300, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    next_poll_at = models.DateTimeField(default=timezone.now, db_index=True)
    last_polled_at = models.DateTimeField(null=True, blank=True)
    failures = models.PositiveIntegerField(default=0)
    failing_since = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ["title", "id"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "url"], name="source_url_unique")
        ]

    def __str__(self) -> str:
        return self.title or self.url

    @property
    def is_failing(self) -> bool:
        return (
            self.failing_since is not None
            and timezone.now() - self.failing_since > self.FAILING_AFTER
        )


class CurationEntry(models.Model):
    class State(models.TextChoices):
        NEW = "new", _("To review")
        ACCEPTED = "accepted", _("Accepted")
        DISCARDED = "discarded", _("Discarded")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="curation_entries"
    )
    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="entries")
    url = models.URLField(max_length=2048)
    title = models.CharField(max_length=300)
    summary = models.TextField(blank=True)
    image_url = models.URLField(max_length=2048, blank=True)
    published = models.DateTimeField(null=True, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.NEW)
    item = models.ForeignKey(
        ContentItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("curation entry")
        verbose_name_plural = _("curation entries")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "url"], name="curation_url_unique")
        ]
        indexes = [models.Index(fields=["organisation", "state"], name="curation_inbox")]

    def __str__(self) -> str:
        return self.title


class Suggestion(models.Model):
    """An employee's idea of something worth sharing: a link or a text, with a note."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for moderation")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Not kept")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="content_suggestions"
    )
    author = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="content_suggestions")
    url = models.URLField(_("address"), max_length=2048, blank=True)
    text = models.TextField(_("text"), max_length=3000, blank=True)
    note = models.CharField(_("note for the team"), max_length=500, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    moderated_by_label = models.CharField(max_length=200, blank=True)
    moderated_at = models.DateTimeField(null=True, blank=True)
    response = models.CharField(_("answer to the author"), max_length=500, blank=True)
    item = models.ForeignKey(
        ContentItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("suggestion")
        verbose_name_plural = _("suggestions")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organisation", "state"], name="suggestion_queue")]

    def __str__(self) -> str:
        return self.url or self.text[:60]
