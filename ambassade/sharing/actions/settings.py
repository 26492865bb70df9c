"""The organisation's sharing rules and its network apps (the pause is in pause.py)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ambassade.core import audit
from ambassade.core.authz import Actor
from ambassade.sharing import crypto
from ambassade.sharing.actions._common import check
from ambassade.sharing.models import (
    NetworkApp,
    SharingSettings,
)

SETTINGS_FIELDS = (
    "similarity_threshold",
    "similarity_mode",
    "stagger_minutes",
    "daily_cap",
    "quiet_start",
    "quiet_end",
)


@transaction.atomic
def update_settings(actor: Actor, values: dict[str, Any]) -> SharingSettings:
    check(actor, "sharing.settings")
    options, _created = SharingSettings.objects.get_or_create(organisation=actor.organisation)
    before = {name: str(getattr(options, name)) for name in SETTINGS_FIELDS}
    for name in SETTINGS_FIELDS:
        if name in values:
            setattr(options, name, values[name])
    if not 50 <= options.similarity_threshold <= 100:
        raise ValidationError({"similarity_threshold": _("Choose a threshold from 50 to 100.")})
    if options.daily_cap < 1:
        raise ValidationError({"daily_cap": _("Allow at least one post a day.")})
    options.full_clean(exclude=["organisation"])
    options.save()
    audit.record(
        "sharing.settings_changed",
        organisation=actor.organisation,
        actor=actor,
        target=options,
        before=before,
        after={name: str(getattr(options, name)) for name in SETTINGS_FIELDS},
    )
    return options


@transaction.atomic
def save_network_app(
    actor: Actor, network: str, client_id: str, client_secret: str = ""
) -> NetworkApp:
    """An organisation's app credentials (LinkedIn, X); an empty secret keeps the old one."""
    check(actor, "sharing.settings")
    client_id = client_id.strip()
    if not client_id:
        raise ValidationError({"client_id": _("Type the app's client id.")})
    app = NetworkApp.objects.filter(organisation=actor.organisation, network=network).first()
    if app is None:
        if not client_secret.strip():
            raise ValidationError({"client_secret": _("Type the app's client secret.")})
        app = NetworkApp(organisation=actor.organisation, network=network)
    app.client_id = client_id[:300]
    if client_secret.strip():
        app.client_secret = crypto.encrypt({"client_secret": client_secret.strip()})
    app.save()
    audit.record(
        "sharing.network_app_saved",
        organisation=actor.organisation,
        actor=actor,
        target=app,
        after={"network": network, "client_id": app.client_id},
    )
    return app
