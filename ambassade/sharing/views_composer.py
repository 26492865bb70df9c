"""The composer: write, preview each network's post, share. Thin: the actions decide.

Without JavaScript the page shows the server-rendered preview and a "Preview" button
re-renders it; with JavaScript (static/sharing/composer.js) the ``composer_preview``
endpoint sends the same fragment as the person types. Both read ``preview.shown``,
the function publishing reads too, so the preview is what the network will hold.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ambassade.content import guidelines
from ambassade.content import selectors as content_selectors
from ambassade.content.models import ContentItem
from ambassade.core.authz import Actor, require
from ambassade.core.forms import add_action_errors
from ambassade.people.models import Person
from ambassade.programs.selectors import may_share
from ambassade.sharing import actions, preview, scheduling, selectors
from ambassade.sharing.actions.shares import TargetRequest, share_link_networks, similarity_check
from ambassade.sharing.forms import ComposerForm
from ambassade.sharing.models import SocialAccount, TargetStatus
from ambassade.sharing.registry import display_name


def _person(request: HttpRequest) -> tuple[Actor, Person]:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    if actor.person is None:
        raise Http404
    return actor, actor.person


def _item(person: Person, item_id: int) -> ContentItem:
    audience = content_selectors.audience_of(person)
    item = get_object_or_404(content_selectors.feed(audience).select_related("program"), pk=item_id)
    if not item.shareable or item.program_id not in audience.enrolled_program_ids:
        raise Http404
    return item


def _chosen_networks(form: ComposerForm, accounts: list[SocialAccount]) -> list[str]:
    """The networks of the accounts ticked (or ticked by default), in a stable order."""
    if form.is_bound:
        chosen = {str(pk) for pk in form.data.getlist("accounts")}  # type: ignore[attr-defined]
    else:
        chosen = {str(pk) for pk in form.initial.get("accounts", [])}
    return sorted({account.network for account in accounts if str(account.pk) in chosen})


def _preview_context(
    person: Person,
    item: ContentItem,
    form: ComposerForm,
    accounts: list[SocialAccount],
    nudge: int | None = None,
    blocked_by_copy: bool = False,
) -> dict[str, Any]:
    """What the preview fragment shows: findings, the similarity hint, one post per network."""
    options = selectors.settings_of(person.organisation)
    text = (form.data.get("message") if form.is_bound else form.initial.get("message")) or ""
    score = similarity_check(person, item, text) if text.strip() else 0
    link = preview.link_placeholder(person.organisation)
    if nudge is None and score >= options.similarity_threshold:
        nudge = score
    return {
        "item": item,
        "form": form,
        "check": content_selectors.check_message(person.organisation, text, "any")
        if text
        else None,
        "nudge": nudge
        if nudge is not None
        else (score if score >= options.similarity_threshold else None),
        "blocked_by_copy": blocked_by_copy or options.similarity_mode == "block",
        "posts": [
            preview.shown(person.organisation, item, text, network, link, person)
            for network in _chosen_networks(form, accounts)
        ]
        if text.strip()
        else [],
    }


def _share(actor: Actor, item: ContentItem, form: ComposerForm, request: HttpRequest) -> Any:
    """Creates the share; the redirect on success, or the similarity score it was refused for."""
    data = form.cleaned_data
    at = data.get("at")
    if at is not None and timezone.is_naive(at):
        at = at.replace(tzinfo=scheduling.zone_of(actor.person))  # type: ignore[arg-type]
    targets = [TargetRequest(account_id=pk) for pk in data["accounts"]]
    targets += [TargetRequest(network=name) for name in data["links"]]
    share = actions.create_share(
        actor,
        item,
        data["message"],
        targets,
        when=request.POST.get("when", "now"),
        at=at,
        accept_similar=data["accept_similar"],
    )
    if TargetStatus.PAUSED in {target.status for target in share.targets.all()}:
        messages.warning(request, _("Publishing is paused by your organisation: your post waits."))
    else:
        messages.success(request, _("Thank you! Your post is on its way."))
    return redirect("sharing:posts")


def _apply(person: Person, form: ComposerForm, request: HttpRequest, **kwargs: Any) -> ComposerForm:
    """One-click apply of a preferred term: the same form with the replacement."""
    message = form.cleaned_data["message"]
    check = content_selectors.check_message(person.organisation, message, "any")
    index = request.POST.get("apply", "")
    found = (
        check.suggestions[int(index)]
        if index.isdigit() and int(index) < len(check.suggestions)
        else None
    )
    post = request.POST.copy()
    if found is not None:
        post["message"] = guidelines.apply_suggestion(message, found)
    applied = ComposerForm(post, **kwargs)
    applied.is_valid()
    return applied


@require("sharing.share")
def composer(request: HttpRequest, item_id: int) -> HttpResponse:
    actor, person = _person(request)
    item = _item(person, item_id)
    accounts = list(selectors.accounts_of(person).defer("secrets"))
    kwargs: dict[str, Any] = {"accounts": accounts, "links": sorted(share_link_networks())}
    initial: dict[str, Any] = {"accounts": [a.pk for a in accounts if a.healthy]}
    suggestions = list(item.messages.all())
    for suggestion in suggestions:
        if str(suggestion.pk) == request.GET.get("from", ""):
            initial["message"] = suggestion.text_to_share
    form = ComposerForm(request.POST or None, initial=initial, **kwargs)
    nudge: int | None = None
    blocked_by_copy = False
    if request.method == "POST" and form.is_valid():
        if "apply" in request.POST:
            form = _apply(person, form, request, **kwargs)
        elif "preview" not in request.POST:
            try:
                return _share(actor, item, form, request)
            except actions.TooSimilar as error:
                nudge, blocked_by_copy = error.score, error.blocking
                form.add_error("message", error.messages[0])
            except ValidationError as error:
                add_action_errors(form, error)
    options = selectors.settings_of(person.organisation)
    tz = scheduling.zone_of(person)
    now = timezone.now()
    context = _preview_context(person, item, form, accounts, nudge, blocked_by_copy)
    context.update(
        {
            "suggestions": suggestions,
            "accounts": accounts,
            "options": options,
            "caps": [
                {
                    "network": display_name(network),
                    "used": selectors.posts_on_day(person, network, now, tz),
                    "cap": options.daily_cap,
                }
                for network in sorted({a.network for a in accounts})
            ],
            "quiet_now": scheduling.in_quiet_hours(options, now, tz),
            "paused": selectors.holds(person.organisation_id, person.pk),
            "decision": may_share(person, item.program),
            "next_slot": scheduling.next_queue_slot(person),
            "time_zone": tz,
        }
    )
    return render(request, "sharing/composer.html", context)


@require_POST
@require("sharing.share")
def composer_preview(request: HttpRequest, item_id: int) -> HttpResponse:
    """The preview fragment for the text being typed (the composer's script asks)."""
    _actor, person = _person(request)
    item = _item(person, item_id)
    accounts = list(selectors.accounts_of(person).defer("secrets"))
    form = ComposerForm(request.POST, accounts=accounts, links=sorted(share_link_networks()))
    form.is_valid()  # the fragment shows what the text would give, valid or not yet
    context = _preview_context(person, item, form, accounts)
    return render(request, "sharing/_composer_preview.html", context)
