"""Delegation pages, phone first: my delegates and the drafts waiting for me; whom I write
for and my drafts; writing a draft; one draft, approved, edited or refused by the
principal and followed by the delegate."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ambassade.core.authz import Actor, allowed, require
from ambassade.core.forms import add_action_errors
from ambassade.delegation import actions, selectors
from ambassade.delegation.forms import ApproveForm, DraftForm, GrantForm, RefuseForm
from ambassade.delegation.models import DraftStatus
from ambassade.people.models import Person
from ambassade.sharing import scheduling
from ambassade.sharing.actions.shares import TooSimilar
from ambassade.sharing.registry import display_name


def _me(request: HttpRequest) -> tuple[Actor, Person]:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    if actor.person is None:
        raise Http404
    return actor, actor.person


def _may_write(actor: Actor) -> None:
    if not allowed(actor, "delegation.manage_own"):
        raise PermissionDenied


@require("delegation.view_own")
def delegates(request: HttpRequest) -> HttpResponse:
    """The principal's page: name a delegate, see current and past ones, decide drafts."""
    actor, person = _me(request)
    form = GrantForm(request.POST or None)
    if request.method == "POST":
        _may_write(actor)
        if form.is_valid():
            colleague = (
                selectors.colleagues(person)
                .filter(email__iexact=form.cleaned_data["email"])
                .first()
            )
            try:
                delegation = actions.grant(actor, colleague.pk if colleague else None)
            except ValidationError as error:
                add_action_errors(form, error, {"delegate_id": "email"})
            else:
                messages.success(
                    request,
                    _("%(name)s can now write drafts for you.")
                    % {"name": delegation.delegate.full_name},
                )
                return redirect("delegation:delegates")
    drafts = list(selectors.drafts_to_decide(person)[:50])
    return render(
        request,
        "delegation/delegates.html",
        {
            "form": form,
            "delegations": selectors.delegates_of(person),
            "waiting": [d for d in drafts if d.status == DraftStatus.PENDING],
            "decided": [d for d in drafts if d.status != DraftStatus.PENDING],
        },
    )


@require("delegation.view_own")
def writing_for(request: HttpRequest) -> HttpResponse:
    """The delegate's page: whom I write for, and what became of my drafts."""
    _actor, person = _me(request)
    return render(
        request,
        "delegation/writing_for.html",
        {
            "delegations": selectors.principals_of(person),
            "drafts": selectors.drafts_written(person)[:50],
        },
    )


@require("delegation.manage_own")
def write(request: HttpRequest, delegation_id: int) -> HttpResponse:
    actor, person = _me(request)
    delegation = selectors.current_delegation(person, delegation_id)
    principal = delegation.principal
    items = [found for found in selectors.feed_of(principal)[:100] if found.shareable]
    accounts = list(selectors.accounts_of(principal))
    form = DraftForm(request.POST or None, items=items, accounts=accounts)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        at = data.get("suggested_at")
        if at is not None and timezone.is_naive(at):
            at = at.replace(tzinfo=scheduling.zone_of(person))
        try:
            draft = actions.write_draft(
                actor,
                delegation.pk,
                item_id=data["item"],
                text=data["text"],
                account_ids=data["accounts"],
                suggested_at=at,
            )
        except ValidationError as error:
            add_action_errors(form, error, {"item_id": "item", "account_ids": "accounts"})
        else:
            messages.success(
                request,
                _("Your draft is sent to %(name)s for approval.") % {"name": principal.full_name},
            )
            return redirect("delegation:draft", draft.pk)
    return render(
        request,
        "delegation/write.html",
        {"delegation": delegation, "principal": principal, "form": form, "items": items},
    )


@require("delegation.view_own")
def draft(request: HttpRequest, draft_id: int) -> HttpResponse:
    """One draft. The principal approves it (edited or not) or refuses it; the delegate
    reads what became of it."""
    actor, _person = _me(request)
    found, side = selectors.readable_draft(actor, draft_id)
    decision = request.POST.get("decision") if request.method == "POST" else None
    approve_form = ApproveForm(
        request.POST if decision == "approve" else None, initial={"text": found.text}
    )
    refuse_form = RefuseForm(request.POST if decision == "refuse" else None)
    show_similar = False
    if decision is not None:
        if side != "principal":
            raise PermissionDenied
        _may_write(actor)
        form = approve_form if decision == "approve" else refuse_form
        if decision in ("approve", "refuse") and form.is_valid():
            try:
                if decision == "approve":
                    actions.approve(
                        actor,
                        found.pk,
                        text=approve_form.cleaned_data["text"],
                        accept_similar=approve_form.cleaned_data["accept_similar"],
                    )
                    messages.success(request, _("Approved: the post is yours and on its way."))
                else:
                    actions.refuse(actor, found.pk, refuse_form.cleaned_data["note"])
                    messages.success(request, _("Refused: your delegate is told."))
            except TooSimilar as error:
                show_similar = not error.blocking
                approve_form.add_error(None, error.messages[0])
            except ValidationError as error:
                if found.status != DraftStatus.PENDING or not found.delegation.current:
                    # Decided or withdrawn meanwhile: the forms are gone, say it above.
                    for text in error.messages:
                        messages.error(request, text)
                    return redirect("delegation:draft", found.pk)
                add_action_errors(form, error, {"message": "text"})
            else:
                return redirect("delegation:draft", found.pk)
    if not show_similar:
        del approve_form.fields["accept_similar"]
    return render(
        request,
        "delegation/draft.html",
        {
            "draft": found,
            "side": side,
            "pending": found.status == DraftStatus.PENDING,
            "networks": [
                f"{display_name(account.network)} · {account.handle}"
                for account in found.accounts.all()
            ],
            "approve_form": approve_form,
            "refuse_form": refuse_form,
        },
    )


@require_POST
@require("delegation.manage_own")
def end(request: HttpRequest, delegation_id: int) -> HttpResponse:
    """Either side ends a delegation; each goes back to their own page."""
    actor, person = _me(request)
    delegation = actions.end(actor, delegation_id)
    messages.success(request, _("The delegation is ended."))
    if delegation.principal_id == person.pk:
        return redirect("delegation:delegates")
    return redirect("delegation:writing_for")
