"""Demo delegated drafts: Inès Caron (comms@verdier.example) writes for Samuel Faure
(ventes@verdier.example), the sales director: one draft waits for his approval on his
phone, one he refused with a word. A former delegate is listed among his past ones."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from ambassade.core.demo import DemoContext, demo_step
from ambassade.delegation.models import Delegation, Draft, DraftStatus
from ambassade.delegation.selectors import feed_of
from ambassade.people.models import EmploymentStatus, Person
from ambassade.sharing import crypto
from ambassade.sharing.demo import demo_secrets
from ambassade.sharing.models import SocialAccount

PRINCIPAL = "ventes@verdier.example"
DELEGATE = "comms@verdier.example"
WAITING = (
    "Trois clients industriels nous ont rejoints ce trimestre. Ce qui a fait la différence ? "
    "Une équipe qui répond en une journée. Fier d'elle."
)
REFUSED = "Verdier Flow est la meilleure solution du marché, découvrez-la vite !"
NOTE = "Trop publicitaire : je préfère raconter ce que l'équipe a fait."


@demo_step(57)
def delegation(context: DemoContext) -> None:
    organisation = context.objects["organisation"]
    people = {p.email: p for p in Person.objects.filter(email__in=[PRINCIPAL, DELEGATE])}
    principal, delegate = people.get(PRINCIPAL), people.get(DELEGATE)
    if principal is None or delegate is None:
        return
    items = [item for item in feed_of(principal)[:20] if item.shareable]
    if len(items) < 2:
        return
    accounts = list(SocialAccount.objects.filter(person=principal))
    if not accounts:
        account = SocialAccount(
            organisation=organisation,
            person=principal,
            network="bluesky",
            remote_id=f"did:plc:demo{principal.pk}",
            handle="@samuel.faure.demo.invalid",
            audience=1800,
            audience_measured_at=timezone.now(),
        )
        account.secrets = crypto.encrypt(demo_secrets(account.remote_id, account.handle))
        account.save()
        accounts = [account]
    now = timezone.now()
    former = (
        Person.objects.filter(organisation=organisation, user__isnull=False)
        .exclude(employment_status=EmploymentStatus.LEFT)
        .exclude(pk__in=[principal.pk, delegate.pk])
        .order_by("id")
        .first()
    )
    if former is not None:
        past = Delegation.objects.create(
            organisation=organisation, principal=principal, delegate=former
        )
        Delegation.objects.filter(pk=past.pk).update(
            granted_at=now - timedelta(days=200),
            ended_at=now - timedelta(days=40),
            ended_by=principal,
        )
    current = Delegation.objects.create(
        organisation=organisation, principal=principal, delegate=delegate
    )
    Delegation.objects.filter(pk=current.pk).update(granted_at=now - timedelta(days=35))
    refused = Draft.objects.create(
        organisation=organisation,
        delegation=current,
        item=items[1],
        text=REFUSED,
        status=DraftStatus.REFUSED,
        note=NOTE,
        decided_at=now - timedelta(days=3),
    )
    refused.accounts.set(accounts[:1])
    waiting = Draft.objects.create(
        organisation=organisation,
        delegation=current,
        item=items[0],
        text=WAITING,
        suggested_at=now + timedelta(days=1, hours=2),
    )
    waiting.accounts.set(accounts[:1])
    context.progress("1 delegate writing for the sales director, 2 drafts")
