"""Writes of the tracking app: links, settings, conversions. One transaction each."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ambassade.core import audit, events
from ambassade.core.authz import Actor, allowed
from ambassade.core.models import Organisation
from ambassade.people.models import Person
from ambassade.tracking import codes, destinations, lookup
from ambassade.tracking.models import (
    ChangedDay,
    Conversion,
    ConversionKind,
    TrackedLink,
    TrackingSettings,
    WithdrawnResponse,
)

NETWORK_LENGTH = 32
SETTINGS_FIELDS = (
    "base_url",
    "utm_source",
    "utm_medium",
    "utm_campaign",
    "utm_content",
    "attribution_parameter",
    "withdrawn_response",
    "fallback_url",
)


def settings_or_defaults(organisation: Organisation) -> TrackingSettings:
    """The organisation's settings, or unsaved defaults (no query if already loaded)."""
    try:
        return organisation.tracking_settings
    except TrackingSettings.DoesNotExist:
        return TrackingSettings(organisation=organisation)


def _base(options: TrackingSettings) -> str:
    return (options.base_url or f"{settings.BASE_URL}/r").rstrip("/")


def short_url_base(organisation: Organisation) -> str:
    """Where the organisation's short links start, without the trailing slash."""
    return _base(settings_or_defaults(organisation))


def short_url(link: TrackedLink, options: TrackingSettings | None = None) -> str:
    # Lists pass the settings once: the link's organisation is then not read per link.
    return f"{_base(options or settings_or_defaults(link.organisation))}/{link.code}"


def _clip(value: str | None, limit: int) -> str:
    return " ".join((value or "").split())[:limit]


def _dimension(value: Any) -> int | None:
    return value if isinstance(value, int) and 0 < value < 100_000 else None


def create_link(
    *,
    organisation: Organisation,
    url: str,
    network: str,
    person: Person | None = None,
    campaign: str = "",
    content_item_id: int | None = None,
    share_target_id: int | None = None,
    preview: dict[str, Any] | None = None,
    program_id: int | None = None,
) -> TrackedLink:
    """Creates the short link of one share target; the Sharing feature calls this.

    The destination is built here, once: the content's URL (its own parameters kept),
    the organisation's UTM templates, nothing that a later request could change.
    ``preview`` may hold ``title``, ``description``, ``image_url`` (absolute),
    ``image_width``, ``image_height``, ``language`` and ``site_name``.
    """
    network = (network or "").strip().lower()
    if not network or len(network) > NETWORK_LENGTH or not network.replace("_", "").isalnum():
        raise ValidationError({"network": _("Name the network with letters and digits.")})
    if person is not None and person.organisation_id != organisation.pk:
        raise ValidationError({"person": _("This person belongs to another organisation.")})
    options = settings_or_defaults(organisation)
    values = {
        "network": network,
        "campaign": _clip(campaign, 100),
        "item": str(content_item_id) if content_item_id is not None else "",
        "organisation": organisation.slug,
    }
    templates = {name: getattr(options, name) for name in destinations.UTM_FIELDS}
    try:
        destination = destinations.build(url, templates, values)
    except ValidationError as error:
        raise ValidationError({"url": error.messages}) from None
    preview = preview or {}
    image = (preview.get("image_url") or "").strip()
    if image:
        try:
            image = destinations.check_url(image)
        except ValidationError:
            image = ""
    fields: dict[str, Any] = {
        "organisation": organisation,
        "destination": destination,
        "person": person,
        "network": network,
        "campaign": values["campaign"],
        "content_item_id": content_item_id,
        "share_target_id": share_target_id,
        "program_id": program_id,
        "preview_title": _clip(preview.get("title"), 300),
        "preview_description": _clip(preview.get("description"), 1000),
        "preview_image_url": image,
        "preview_site_name": _clip(preview.get("site_name"), 200),
        "preview_image_width": _dimension(preview.get("image_width")) if image else None,
        "preview_image_height": _dimension(preview.get("image_height")) if image else None,
        "preview_language": _clip(preview.get("language"), 10),
    }
    for _attempt in range(8):
        code = codes.new_code()
        try:
            with transaction.atomic():
                link = TrackedLink.objects.create(code=code, **fields)
        except IntegrityError:
            continue  # the code exists already: draw another
        # A probe of this code before it existed may have cached "missing".
        transaction.on_commit(lambda code=code: lookup.forget([code]))  # type: ignore[misc]
        return link
    raise RuntimeError("no free short code after 8 draws")  # pragma: no cover


@transaction.atomic
def withdraw_link(link: TrackedLink, *, actor: Actor | None = None) -> TrackedLink:
    """Stops a link from leading to its item (the item was withdrawn): 410 or the fallback."""
    if link.withdrawn_at is None:
        link.withdrawn_at = timezone.now()
        link.save(update_fields=["withdrawn_at"])
        audit.record("link.withdrawn", organisation=link.organisation, actor=actor, target=link)
    code = link.code
    transaction.on_commit(lambda: lookup.forget([code]))
    return link


@transaction.atomic
def withdraw_item_links(
    organisation: Organisation, content_item_id: int, *, actor: Actor | None = None
) -> int:
    """Withdraws every link of a content item (the item was withdrawn); returns how many."""
    links = TrackedLink.objects.filter(
        organisation=organisation, content_item_id=content_item_id, withdrawn_at__isnull=True
    )
    found = list(links.values_list("code", flat=True))
    if found:
        links.update(withdrawn_at=timezone.now())
        audit.record(
            "link.item_withdrawn",
            organisation=organisation,
            actor=actor,
            after={"content_item_id": content_item_id, "links": len(found)},
        )
        transaction.on_commit(lambda: lookup.forget(found))
    return len(found)


@transaction.atomic
def update_tracking_settings(actor: Actor, changes: dict[str, Any]) -> TrackingSettings:
    if not allowed(actor, "tracking.settings"):
        raise PermissionDenied
    unknown = set(changes) - set(SETTINGS_FIELDS)
    if unknown:
        raise ValueError(f"unknown tracking settings: {sorted(unknown)}")
    options, _created = TrackingSettings.objects.select_for_update().get_or_create(
        organisation=actor.organisation
    )
    before = {name: getattr(options, name) for name in SETTINGS_FIELDS}
    for name, value in changes.items():
        setattr(options, name, value.strip() if isinstance(value, str) else value)
    errors: dict[str, list[str]] = {}
    for name in destinations.UTM_FIELDS:
        try:
            destinations.check_template(getattr(options, name))
        except ValidationError as error:
            errors[name] = error.messages
    try:
        destinations.check_parameter_name(options.attribution_parameter)
    except ValidationError as error:
        errors["attribution_parameter"] = error.messages
    if options.withdrawn_response == WithdrawnResponse.FALLBACK and not options.fallback_url:
        errors["fallback_url"] = [_("Give the fallback page's address.")]
    for name in ("base_url", "fallback_url"):
        value = getattr(options, name)
        if value:
            try:
                destinations.check_url(value)
            except ValidationError as error:
                errors[name] = error.messages
    if errors:
        raise ValidationError(errors)
    options.full_clean(exclude=["organisation"])
    options.save()
    after = {name: getattr(options, name) for name in SETTINGS_FIELDS}
    changed = sorted(name for name in SETTINGS_FIELDS if before[name] != after[name])
    if changed:
        audit.record(
            "tracking.settings_changed",
            organisation=actor.organisation,
            actor=actor,
            target=options,
            before={name: before[name] for name in changed},
            after={name: after[name] for name in changed},
        )
        # Cached entries carry the attribution parameter and the withdrawal answer.
        organisation_id = actor.organisation.pk
        transaction.on_commit(lambda: forget_organisation(organisation_id))
    return options


def forget_organisation(organisation_id: int) -> None:
    queryset = TrackedLink.objects.filter(organisation_id=organisation_id)
    for chunk_start in range(0, queryset.count(), 1000):
        lookup.forget(
            list(
                queryset.order_by("pk").values_list("code", flat=True)[
                    chunk_start : chunk_start + 1000
                ]
            )
        )


# --- Conversions ------------------------------------------------------------------------


class ConversionError(Exception):
    """A conversion that cannot be recorded; ``code`` is stable, ``message`` for people."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Reported:
    conversion: Conversion
    replayed: bool


def _value(raw: Any) -> Decimal | None:
    if raw is None or raw == "":
        return None
    try:
        value = Decimal(str(raw))
    except (InvalidOperation, ValueError):
        raise ConversionError(422, "invalid", "The value must be a number.") from None
    if not value.is_finite() or value < 0 or value >= Decimal("1e10"):
        raise ConversionError(422, "invalid", "The value must be between 0 and 9,999,999,999.")
    return value.quantize(Decimal("0.01"))


def report_conversion(
    *,
    organisation: Organisation | None,
    reference: str,
    kind: str,
    idempotency_key: str,
    value: Any = None,
    currency: str = "",
    occurred_at: datetime | None = None,
    source: str = "api",
) -> Reported:
    """Attributes a conversion to the link whose reference (its code) came back.

    ``organisation`` is the reporting token's (API), or None for a signed pixel whose
    signature was already checked against the link's organisation. The same
    idempotency key twice gives the first conversion back (``replayed``); with other
    details it is a conflict.
    """
    if kind not in ConversionKind.values:
        raise ConversionError(
            422, "invalid", f"Unknown kind; use one of: {', '.join(ConversionKind.values)}."
        )
    key = (idempotency_key or "").strip()
    if not key or len(key) > 100 or not key.isprintable():
        raise ConversionError(
            422, "invalid", "Give an idempotency key of 1 to 100 printable characters."
        )
    currency = (currency or "").strip().upper()
    if currency and (len(currency) != 3 or not currency.isalpha() or not currency.isascii()):
        raise ConversionError(422, "invalid", "The currency is a three-letter ISO code.")
    amount = _value(value)
    link = None
    if codes.is_well_formed(reference or ""):
        link = TrackedLink.objects.select_related("organisation").filter(code=reference).first()
    if link is None or (organisation is not None and link.organisation_id != organisation.pk):
        # Another organisation's reference is as unknown as a made-up one.
        raise ConversionError(404, "unknown_reference", "No link has this reference.")
    if occurred_at is not None and timezone.is_naive(occurred_at):
        occurred_at = timezone.make_aware(occurred_at)  # as the database would read it
    details = {"link": link.pk, "kind": kind, "value": amount, "currency": currency}
    existing = Conversion.objects.filter(
        organisation_id=link.organisation_id, idempotency_key=key
    ).first()
    if existing is not None:
        return _replay(existing, details)
    try:
        with transaction.atomic():
            conversion = Conversion.objects.create(
                organisation_id=link.organisation_id,
                link=link,
                person_id=link.person_id,
                network=link.network,
                content_item_id=link.content_item_id,
                kind=kind,
                value=amount,
                currency=currency,
                idempotency_key=key,
                source=source,
                occurred_at=occurred_at or timezone.now(),
            )
            # The rollup's change log, in the same transaction: a conversion dated in the
            # past, however late it commits, gets its day recomputed.
            ChangedDay.objects.create(day=conversion.occurred_at.astimezone(UTC).date())
            # Apps above (referrals) follow what came of a link without tracking knowing
            # them; a replayed report records nothing.
            events.record(
                "tracking.conversion_reported",
                link.organisation,
                conversion_id=conversion.pk,
                link_id=link.pk,
                person_id=link.person_id,
                item_id=link.content_item_id,
                network=link.network,
                kind=kind,
            )
    except IntegrityError:  # the same key, reported twice at the same moment
        existing = Conversion.objects.get(organisation_id=link.organisation_id, idempotency_key=key)
        return _replay(existing, details)
    return Reported(conversion, replayed=False)


def _replay(existing: Conversion, details: dict[str, Any]) -> Reported:
    same = (
        existing.link_id == details["link"]
        and existing.kind == details["kind"]
        and existing.value == details["value"]
        and existing.currency == details["currency"]
    )
    if not same:
        raise ConversionError(
            409,
            "idempotency_conflict",
            "This idempotency key was already used for a different conversion.",
        )
    return Reported(existing, replayed=True)


# --- Signed pixels ----------------------------------------------------------------------


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def sign_pixel(secret: str, payload: dict[str, Any]) -> str:
    """``<base64url JSON>.<base64url HMAC-SHA256 of the first part>``: what a career site
    puts in ``/r/c/<this>.gif``. Keys: ref, kind, key, and optionally value, currency."""
    body = _b64(json.dumps(payload, separators=(",", ":")).encode())
    signature = hmac.new(secret.encode(), body.encode(), hashlib.sha256).digest()
    return f"{body}.{_b64(signature)}"


def pixel_url(link: TrackedLink, payload: dict[str, Any]) -> str:
    options = settings_or_defaults(link.organisation)
    return f"/r/c/{sign_pixel(options.pixel_secret, payload)}.gif"


def report_pixel(token: str) -> Reported:
    """Checks a signed pixel against the secret of the organisation of its reference."""
    if len(token) > 2000 or token.count(".") != 1:
        raise ConversionError(400, "malformed", "This pixel address is malformed.")
    body, signature = token.split(".")
    try:
        payload = json.loads(_unb64(body))
        given = _unb64(signature)
    except (ValueError, UnicodeDecodeError):
        raise ConversionError(400, "malformed", "This pixel address is malformed.") from None
    if not isinstance(payload, dict):
        raise ConversionError(400, "malformed", "This pixel address is malformed.")
    reference = payload.get("ref")
    link = None
    if isinstance(reference, str) and codes.is_well_formed(reference):
        link = TrackedLink.objects.select_related("organisation").filter(code=reference).first()
    if link is None:
        raise ConversionError(404, "unknown_reference", "No link has this reference.")
    options = TrackingSettings.objects.filter(organisation_id=link.organisation_id).first()
    # Without saved settings there is no secret anybody could have signed with.
    secret = options.pixel_secret if options is not None else ""
    expected = hmac.new(secret.encode(), body.encode(), hashlib.sha256).digest()
    if not secret or not hmac.compare_digest(expected, given):
        raise ConversionError(403, "bad_signature", "The signature does not match.")
    return report_conversion(
        organisation=link.organisation,
        reference=link.code,
        kind=str(payload.get("kind", "")),
        idempotency_key=str(payload.get("key", "")),
        value=payload.get("value"),
        currency=str(payload.get("currency", "")),
        source="pixel",
    )
