"""The organisation's guidelines, channels, categories and content settings."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ambassade.content import selectors
from ambassade.content.actions import plain, require
from ambassade.content.models import (
    Category,
    Channel,
    ContentSettings,
    Disclosure,
    GlossaryTerm,
    TermKind,
    network_codes,
)
from ambassade.core import audit, outbound
from ambassade.core.authz import Actor


@transaction.atomic
def add_term(
    actor: Actor, *, kind: str, text: str, suggestion: str = "", reason: str = ""
) -> GlossaryTerm:
    require(actor, "guidelines.manage")
    if kind not in TermKind.values:
        raise ValidationError({"kind": _("Choose preferred, banned or confidential.")})
    text = plain(text, "text", limit=120, required=True)
    suggestion = plain(suggestion, "suggestion", limit=200)
    reason = plain(reason, "reason", limit=300)
    if kind == TermKind.PREFERRED and not suggestion:
        raise ValidationError({"suggestion": _("Give the wording to use instead.")})
    if kind != TermKind.PREFERRED and not reason:
        raise ValidationError({"reason": _("Say why: the author reads it when blocked.")})
    if GlossaryTerm.objects.filter(organisation=actor.organisation, text__iexact=text).exists():
        raise ValidationError({"text": _("This term is already in the glossary.")})
    term = GlossaryTerm.objects.create(
        organisation=actor.organisation, kind=kind, text=text, suggestion=suggestion, reason=reason
    )
    audit.record(
        "content.term_added",
        organisation=actor.organisation,
        actor=actor,
        target=term,
        after={"kind": kind, "text": text},
    )
    return term


@transaction.atomic
def delete_term(actor: Actor, term: GlossaryTerm) -> None:
    require(actor, "guidelines.manage", term.organisation_id)
    audit.record(
        "content.term_deleted",
        organisation=actor.organisation,
        actor=actor,
        target=term,
        before={"kind": term.kind, "text": term.text},
    )
    term.delete()


@transaction.atomic
def set_disclosure(actor: Actor, *, network: str, text: str) -> Disclosure | None:
    """Sets the mention required on a network; an empty text removes it."""
    require(actor, "guidelines.manage")
    if network not in network_codes():
        raise ValidationError({"network": _("Choose a network.")})
    text = plain(text, "text", limit=120)
    existing = Disclosure.objects.filter(organisation=actor.organisation, network=network).first()
    before = {"text": existing.text} if existing else None
    if not text:
        if existing:
            existing.delete()
        audit.record(
            "content.disclosure_removed",
            organisation=actor.organisation,
            actor=actor,
            before=before,
            after={"network": network},
        )
        return None
    disclosure, _created = Disclosure.objects.update_or_create(
        organisation=actor.organisation, network=network, defaults={"text": text}
    )
    audit.record(
        "content.disclosure_set",
        organisation=actor.organisation,
        actor=actor,
        target=disclosure,
        before=before,
        after={"network": network, "text": text},
    )
    return disclosure


@transaction.atomic
def add_channel(actor: Actor, *, name: str, description: str = "") -> Channel:
    require(actor, "content.edit")
    name = plain(name, "name", limit=80, required=True)
    if Channel.objects.filter(organisation=actor.organisation, name__iexact=name).exists():
        raise ValidationError({"name": _("There is already a channel with this name.")})
    channel = Channel.objects.create(
        organisation=actor.organisation,
        name=name,
        description=plain(description, "description", limit=300),
    )
    audit.record(
        "content.channel_added",
        organisation=actor.organisation,
        actor=actor,
        target=channel,
        after={"name": name},
    )
    return channel


@transaction.atomic
def add_category(actor: Actor, *, name: str, promotional: bool = False) -> Category:
    require(actor, "content.edit")
    name = plain(name, "name", limit=80, required=True)
    if Category.objects.filter(organisation=actor.organisation, name__iexact=name).exists():
        raise ValidationError({"name": _("There is already a category with this name.")})
    category = Category.objects.create(
        organisation=actor.organisation, name=name, promotional=promotional
    )
    audit.record(
        "content.category_added",
        organisation=actor.organisation,
        actor=actor,
        target=category,
        after={"name": name, "promotional": promotional},
    )
    return category


HOST = re.compile(r"^(?=.{1,253}$)[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$")


def _host_problem(host: str) -> str | None:
    """Why an organisation may not list this host, or None. Only public names: an IP
    address (in any notation) or a local name could open the inside of the network,
    which only the operator may do (OUTBOUND_ALLOWED_HOSTS, per host and port)."""
    if outbound.is_ip_literal(host):
        return (
            _(
                "“%s” is an IP address: write a public host name. Only the operator of the "
                "instance can open an intranet address."
            )
            % host[:80]
        )
    if not HOST.match(host):
        return _("“%s” is not a host name: write only the name, one a line.") % host[:80]
    if outbound.is_local_name(host):
        return (
            _(
                "“%s” is a local name: write a public host name. Only the operator of the "
                "instance can open an intranet host."
            )
            % host[:80]
        )
    return None


def _hosts(text: str) -> str:
    hosts = set()
    for line in text.splitlines():
        host = line.strip().lower().rstrip(".")
        if not host:
            continue
        problem = _host_problem(host)
        if problem is not None:
            raise ValidationError({"allowed_hosts": problem})
        hosts.add(host)
    return "\n".join(sorted(hosts))


@transaction.atomic
def update_settings(
    actor: Actor,
    *,
    promotional_threshold: int,
    trusted_after: int,
    allowed_hosts: str,
    alumni_disclosure: str | None = None,
) -> ContentSettings:
    require(actor, "content.settings")
    if not 0 <= promotional_threshold <= 100:
        raise ValidationError({"promotional_threshold": _("Give a percentage from 0 to 100.")})
    if not 0 <= trusted_after <= 100:
        raise ValidationError({"trusted_after": _("Give a number from 0 (never) to 100.")})
    found = selectors.content_settings(actor.organisation)
    before = {
        "promotional_threshold": found.promotional_threshold,
        "trusted_after": found.trusted_after,
        "allowed_hosts": found.allowed_hosts,
        "alumni_disclosure": found.alumni_disclosure,
    }
    if alumni_disclosure is not None:
        found.alumni_disclosure = " ".join(alumni_disclosure.split())[:120]
    found.promotional_threshold = promotional_threshold
    found.trusted_after = trusted_after
    found.allowed_hosts = _hosts(allowed_hosts)
    found.save()
    audit.record(
        "content.settings_changed",
        organisation=actor.organisation,
        actor=actor,
        target=found,
        before=before,
        after={
            "promotional_threshold": promotional_threshold,
            "trusted_after": trusted_after,
            "allowed_hosts": found.allowed_hosts,
            "alumni_disclosure": found.alumni_disclosure,
        },
    )
    return found
