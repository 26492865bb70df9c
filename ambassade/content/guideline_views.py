"""Guidelines (glossary and disclosures) and the content setup: channels, categories,
settings and who approves each program's items."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ambassade.content import actions, guideline_actions, selectors
from ambassade.content.forms import (
    CategoryForm,
    ChannelForm,
    DisclosureForm,
    PolicyForm,
    SettingsForm,
    TermForm,
    add_errors,
)
from ambassade.content.models import Disclosure, GlossaryTerm
from ambassade.core.authz import Actor, allowed, require
from ambassade.programs.models import Program


@require("guidelines.manage")
def guidelines_page(request: HttpRequest) -> HttpResponse:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    term_form = TermForm(request.POST if "add_term" in request.POST else None)
    disclosure_form = DisclosureForm(request.POST if "set_disclosure" in request.POST else None)
    try:
        if "add_term" in request.POST and term_form.is_valid():
            guideline_actions.add_term(actor, **term_form.cleaned_data)
            messages.success(request, _("Term added to the glossary."))
            return redirect("content:guidelines")
        if "set_disclosure" in request.POST and disclosure_form.is_valid():
            guideline_actions.set_disclosure(actor, **disclosure_form.cleaned_data)
            messages.success(request, _("Disclosure saved."))
            return redirect("content:guidelines")
    except ValidationError as error:
        add_errors(term_form if "add_term" in request.POST else disclosure_form, error)
    return render(
        request,
        "content/guidelines.html",
        {
            "terms": GlossaryTerm.objects.filter(organisation=actor.organisation),
            "disclosures": Disclosure.objects.filter(organisation=actor.organisation),
            "term_form": term_form,
            "disclosure_form": disclosure_form,
        },
    )


@require_POST
@require("guidelines.manage")
def delete_term(request: HttpRequest, term_id: int) -> HttpResponse:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    term = get_object_or_404(GlossaryTerm, organisation=actor.organisation, pk=term_id)
    guideline_actions.delete_term(actor, term)
    messages.success(request, _("Term removed."))
    return redirect("content:guidelines")


@require("content.edit")
def setup(request: HttpRequest) -> HttpResponse:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    can_settings = allowed(actor, "content.settings")
    found = selectors.content_settings(actor.organisation)
    posted = request.POST if request.method == "POST" else None
    channel_form = ChannelForm(posted if posted and "add_channel" in posted else None)
    category_form = CategoryForm(posted if posted and "add_category" in posted else None)
    settings_form = SettingsForm(
        posted if posted and "save_settings" in posted else None,
        initial={
            "promotional_threshold": found.promotional_threshold,
            "trusted_after": found.trusted_after,
            "allowed_hosts": found.allowed_hosts,
            "alumni_disclosure": found.alumni_disclosure,
        },
    )
    try:
        if posted and "add_channel" in posted and channel_form.is_valid():
            guideline_actions.add_channel(actor, **channel_form.cleaned_data)
            messages.success(request, _("Channel added."))
            return redirect("content:setup")
        if posted and "add_category" in posted and category_form.is_valid():
            guideline_actions.add_category(actor, **category_form.cleaned_data)
            messages.success(request, _("Category added."))
            return redirect("content:setup")
        if posted and "save_settings" in posted and can_settings and settings_form.is_valid():
            guideline_actions.update_settings(actor, **settings_form.cleaned_data)
            messages.success(request, _("Settings saved."))
            return redirect("content:setup")
    except ValidationError as error:
        for form in (channel_form, category_form, settings_form):
            if form.is_bound:
                add_errors(form, error)
    programs = Program.objects.filter(organisation=actor.organisation)
    return render(
        request,
        "content/setup.html",
        {
            "channels": selectors.channels_of(actor.organisation),
            "categories": selectors.categories_of(actor.organisation),
            "channel_form": channel_form,
            "category_form": category_form,
            "settings_form": settings_form if can_settings else None,
            "programs": [(program, actions.policy_of(program)) for program in programs],
            "can_policies": allowed(actor, "content.policies"),
        },
    )


@require("content.policies")
def policy(request: HttpRequest, program_id: int) -> HttpResponse:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    program = get_object_or_404(Program, organisation=actor.organisation, pk=program_id)
    current = actions.policy_of(program)
    form = PolicyForm(
        request.POST if request.method == "POST" else None,
        organisation_id=actor.organisation.pk,
        initial={
            "reviewer_roles": current.reviewer_roles,
            "compliance_reviewers": list(current.compliance_reviewers.all()),
            "regulated": current.regulated,
            "self_approval": current.self_approval,
            "while_reviewed": "keep" if current.keep_live_while_reviewed else "withdraw",
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.set_policy(
                actor,
                program,
                reviewer_roles=form.cleaned_data["reviewer_roles"],
                compliance_reviewer_ids=[p.pk for p in form.cleaned_data["compliance_reviewers"]],
                regulated=form.cleaned_data["regulated"],
                self_approval=form.cleaned_data["self_approval"],
                keep_live_while_reviewed=(
                    {"keep": True, "withdraw": False}.get(form.cleaned_data["while_reviewed"])
                ),
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Review policy saved."))
            return redirect("content:setup")
    return render(request, "content/policy.html", {"form": form, "program": program})
