"""Demo campaign: a trade fair of the employer-brand program this week, with a collective
challenge of human clicks inside it and an individual challenge of shares standing alone,
so that the campaign pages, the calendar and the ambassadors' challenges show something."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Sum

from ambassade.content.models import ContentItem, Status
from ambassade.core.authz import actor_for_person
from ambassade.core.demo import DemoContext, demo_step
from ambassade.core.roles import Role
from ambassade.people.models import Person
from ambassade.programs.models import Program
from ambassade.recognition import campaigns
from ambassade.recognition.models import ChallengeMetric, ChallengeScope
from ambassade.tracking.models import DailyLinkStats


@demo_step(52)
def campaigns_and_challenges(context: DemoContext) -> None:
    organisation = context.objects["organisation"]
    marketer = (
        Person.objects.filter(organisation=organisation, role_assignments__role=Role.MARKETING)
        .order_by("pk")
        .first()
    )
    program = (
        Program.objects.filter(organisation=organisation, status=Program.Status.ACTIVE)
        .order_by("pk")
        .first()
    )
    if marketer is None or program is None:
        return
    actor = actor_for_person(marketer)
    today = context.today
    published = ContentItem.objects.filter(program=program, status=Status.PUBLISHED)
    start = today - timedelta(days=3)
    # The fair's items are those the ambassadors' links brought the most human clicks to
    # since it opened, so that its challenge is under way: about half of its target.
    clicked = list(
        DailyLinkStats.objects.filter(
            link__organisation=organisation,
            link__content_item_id__in=published.values("pk"),
            day__gte=start,
        )
        .values("link__content_item_id")
        .annotate(total=Sum("human_clicks"))
        .order_by("-total", "link__content_item_id")[:4]
    )
    items = [row["link__content_item_id"] for row in clicked] or list(
        published.order_by("-pk").values_list("pk", flat=True)[:4]
    )
    so_far = sum(row["total"] for row in clicked)
    target = max(20, so_far * 2 // 10 * 10)
    fair = campaigns.create_campaign(
        actor,
        program,
        name="Salon Industrie Lyon",
        description="Trois jours de salon : relayons nos offres et notre stand.",
        starts_on=start,
        ends_on=today + timedelta(days=4),
        items=items,
        goal_human_clicks=target * 3,
        goal_conversions=5,
    )
    campaigns.create_challenge(
        actor,
        program,
        name=f"{target} clics humains pour le salon",
        campaign=fair,
        metric=ChallengeMetric.HUMAN_CLICKS,
        target=target,
        points=50,
        starts_on=fair.starts_on,
        ends_on=fair.ends_on,
    )
    campaigns.create_challenge(
        actor,
        program,
        name="Trois partages ce mois-ci",
        metric=ChallengeMetric.SHARES,
        scope=ChallengeScope.INDIVIDUAL,
        target=3,
        points=20,
        starts_on=today.replace(day=1),
        ends_on=(today.replace(day=1) + timedelta(days=32)).replace(day=1) - timedelta(days=1),
    )
