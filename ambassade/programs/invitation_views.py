"""Invitations to a program: by a list of addresses, by an audience, or from the people list."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from ambassade.core import bulk
from ambassade.core.authz import require
from ambassade.core.forms import add_action_errors
from ambassade.people import audiences
from ambassade.people.audience_forms import AudienceForm
from ambassade.people.models import Person
from ambassade.programs import actions, selectors
from ambassade.programs.forms import InviteForm
from ambassade.programs.models import AmbassadorType, Invitation, Program

# How many of the matching people the count names, so HR recognises the group.
SAMPLE = 8


def _people_to_invite(
    request: HttpRequest, form: InviteForm, audience_form: AudienceForm
) -> list[Person] | None:
    """The chosen people, or None with the error shown on the form."""
    if form.cleaned_data.get("recipients") != "audience":
        return list(form.cleaned_data["emails"])
    if not audience_form.is_valid():
        return None
    audience = audience_form.audience()
    if not audience:
        audience_form.add_error(
            None, _("Choose a segment or at least one criterion: nobody invites everyone at once.")
        )
        return None
    organisation = request.actor.organisation  # type: ignore[attr-defined]
    return list(audiences.people_in(organisation, audience).order_by("last_name", "first_name"))


def _send(request: HttpRequest, program: Program, form: InviteForm, people: list[Person]) -> bool:
    actor = request.actor  # type: ignore[attr-defined]
    data = form.cleaned_data
    try:
        if data["campaign_name"]:
            _campaign, sent, skipped = actions.create_campaign(
                actor,
                program,
                people,
                name=data["campaign_name"],
                ambassador_type=data["ambassador_type"],
                reminder_after_days=data["reminder_after_days"],
                max_reminders=data["max_reminders"],
            )
        else:
            sent, skipped = actions.invite(
                actor,
                program,
                people,
                ambassador_type=data["ambassador_type"],
                on_request=data["on_request"],
            )
    except ValidationError as error:
        add_action_errors(form, error)
        return False
    messages.success(
        request,
        ngettext("%(count)d invitation sent.", "%(count)d invitations sent.", len(sent))
        % {"count": len(sent)},
    )
    if skipped:
        messages.warning(
            request,
            _("Not invited (already enrolled, already invited, or left): %s")
            % ", ".join(person.email for person in skipped),
        )
    return True


@require("invitations.manage")
def invitations(request: HttpRequest, program_id: int) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    program = get_object_or_404(Program, organisation=actor.organisation, pk=program_id)
    selectors.ambassador_types(actor.organisation)
    data = request.POST if request.method == "POST" else None
    form = InviteForm(data, organisation_id=actor.organisation.pk)
    audience_form = AudienceForm(data, organisation=actor.organisation, prefix="audience")
    matching: list[Person] | None = None
    if request.method == "POST" and form.is_valid():
        people = _people_to_invite(request, form, audience_form)
        if people is not None and "count" in request.POST:
            matching = people
        elif people is not None and _send(request, program, form, people):
            return redirect("programs:invitations", program.pk)
    all_invitations = Invitation.objects.filter(program=program)
    page = Paginator(
        all_invitations.select_related("person", "ambassador_type", "campaign"), 50
    ).get_page(request.GET.get("page"))
    campaigns = program.campaigns.annotate(invited=Count("invitations")).order_by("-created_at")
    return render(
        request,
        "programs/invitations.html",
        {
            "program": program,
            "form": form,
            "audience_form": audience_form,
            "matching": None if matching is None else len(matching),
            "sample": (matching or [])[:SAMPLE],
            "page": page,
            "funnel": selectors.funnel(all_invitations),
            "campaigns": campaigns,
        },
    )


class BulkInviteForm(forms.Form):
    program = forms.ModelChoiceField(label=_lazy("Program"), queryset=Program.objects.none())
    ambassador_type = forms.ModelChoiceField(
        label=_lazy("Invite as"), queryset=AmbassadorType.objects.none(), empty_label=None
    )

    def __init__(self, *args: object, organisation_id: int, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["program"].queryset = Program.objects.filter(  # type: ignore[attr-defined]
            organisation_id=organisation_id, status=Program.Status.ACTIVE
        )
        self.fields["ambassador_type"].queryset = AmbassadorType.objects.filter(  # type: ignore[attr-defined]
            organisation_id=organisation_id
        )
        self.fields["ambassador_type"].label_from_instance = lambda t: t.label  # type: ignore[attr-defined]


@require_POST
@require("invitations.manage")
def bulk_invite(request: HttpRequest) -> HttpResponse:
    """The people list's "invite" action: choose the program, then each person is invited
    through the usual action, and the page says who was and who was not, and why."""
    actor = request.actor  # type: ignore[attr-defined]
    selectors.ambassador_types(actor.organisation)
    ids = [value for value in request.POST.getlist("person") if value.isdigit()][: bulk.MAX_ROWS]
    people = list(Person.objects.filter(organisation=actor.organisation, pk__in=ids))
    if not people:
        messages.error(request, _("Tick at least one person."))
        return redirect("people:directory")
    form = BulkInviteForm(
        request.POST if "program" in request.POST else None,
        organisation_id=actor.organisation.pk,
    )
    if form.is_bound and form.is_valid():
        program = form.cleaned_data["program"]
        kind = form.cleaned_data["ambassador_type"]

        def invite_one(person: Person) -> None:
            sent, _skipped = actions.invite(actor, program, [person], ambassador_type=kind)
            if not sent:
                raise ValidationError(_("already enrolled, already invited, or left"))

        outcome = bulk.apply(people, invite_one, lambda person: person.full_name)
        text = bulk.summary(
            outcome,
            lambda n: ngettext("%(count)d invited", "%(count)d invited", n) % {"count": n},
        )
        (messages.success if not outcome.refused else messages.warning)(request, text)
        return redirect("programs:invitations", program.pk)
    return render(request, "programs/bulk_invite.html", {"form": form, "people": people})
