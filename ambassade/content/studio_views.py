"""The content studio: the list, the editor, messages, comments, review and workflow."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ambassade.content import actions, compliance, guidelines, limits, selectors, targeting
from ambassade.content.bulk_views import studio_items
from ambassade.content.forms import (
    CommentForm,
    ImageForm,
    ItemForm,
    MessageForm,
    SendBackForm,
    add_errors,
    initial_for_edit,
)
from ambassade.content.models import ContentItem, Status, SuggestedMessage
from ambassade.core import display
from ambassade.core.authz import Actor, allowed, require


def item_of(request: HttpRequest, item_id: int) -> ContentItem:
    # Another organisation's item is simply not found.
    actor: Actor = request.actor  # type: ignore[attr-defined]
    return get_object_or_404(
        ContentItem.objects.select_related("program", "category", "author", "credited"),
        organisation=actor.organisation,
        pk=item_id,
    )


def _error_messages(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@require("content.view")
def studio(request: HttpRequest) -> HttpResponse:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    status = request.GET.get("status", "")
    query = request.GET.get("q", "").strip()[:100]
    items = studio_items(actor, status, query)
    page = Paginator(items, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "content/studio.html",
        {
            "page": page,
            "query": query,
            "status": status,
            "statuses": Status.choices,
            "mix": selectors.content_mix(actor.organisation),
            "can_edit": allowed(actor, "content.edit"),
            "can_review": allowed(actor, "content.review"),
        },
    )


@require("content.edit")
def create(request: HttpRequest) -> HttpResponse:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    initial = {"language": actor.organisation.default_language or "fr"}
    form = ItemForm(request.POST or None, initial=initial, organisation_id=actor.organisation.pk)
    if request.method == "POST" and form.is_valid():
        try:
            item = actions.create_item(actor, **form.values())
        except ValidationError as error:
            add_errors(form, error)
        else:
            if request.POST.get("fetch_preview") and item.url:
                return _fetch_and_report(request, actor, item)
            messages.success(request, _("Item saved as a draft."))
            return redirect("content:item", item.pk)
    return render(request, "content/item_form.html", {"form": form, "item": None})


def _fetch_and_report(request: HttpRequest, actor: Actor, item: ContentItem) -> HttpResponse:
    actions.fetch_preview_now(actor, item)
    if item.preview_status == "ready":
        messages.success(request, _("Preview read from the page."))
        if item.preview_error:
            messages.warning(request, item.preview_error)
    else:
        messages.error(request, _("The preview could not be read: %s") % item.preview_error)
    return redirect("content:item", item.pk)


@require("content.edit")
def edit(request: HttpRequest, item_id: int) -> HttpResponse:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    item = item_of(request, item_id)
    form = ItemForm(
        request.POST or None,
        initial=initial_for_edit(actor, item),
        organisation_id=actor.organisation.pk,
    )
    if request.method == "POST" and form.is_valid():
        was_published = item.status == Status.PUBLISHED
        try:
            actions.update_item(actor, item, **form.values())
        except ValidationError as error:
            add_errors(form, error)
        else:
            if item.pending_change is not None:
                done = _("Saved: the change waits for review; the approved version stays live.")
            elif was_published and item.status == Status.SUBMITTED:
                done = _("Saved and sent for review: the item is out of the feed until approved.")
            else:
                done = _("Item saved.")
            messages.success(request, done)
            return redirect("content:item", item.pk)
    return render(request, "content/item_form.html", {"form": form, "item": item})


def _message_rows(item: ContentItem) -> list[dict[str, Any]]:
    terms = selectors.glossary(item.organisation)
    rows = []
    for message in item.messages.all():
        text = message.full_text
        check = guidelines.check(
            text,
            terms,
            required_disclosure=selectors.disclosure_for(item.organisation, message.network),
        )
        suggestions = guidelines.check(message.text, terms).suggestions
        rows.append(
            {
                "message": message,
                "text": text,
                "counts": limits.counts(text, message.network),
                "check": check,
                "suggestions": list(enumerate(suggestions)),
            }
        )
    return rows


@require("content.review")
def detail(request: HttpRequest, item_id: int) -> HttpResponse:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    item = item_of(request, item_id)
    message_form = MessageForm(initial={"language": item.language})
    return render(
        request,
        "content/item_detail.html",
        _detail_context(actor, item, message_form=message_form),
    )


def _detail_context(actor: Actor, item: ContentItem, **forms: Any) -> dict[str, Any]:
    return {
        "item": item,
        "rows": _message_rows(item),
        "comments": item.comments.all(),
        "versions": item.versions.all()[:20],
        "translations": ContentItem.objects.filter(group=item.group).exclude(pk=item.pk),
        "policy": actions.policy_of(item.program),
        "starts_later": bool(item.publish_from and item.publish_from > timezone.now()),
        "blocked_by": (
            compliance.what_blocks(item)
            if item.status in {Status.DRAFT, Status.SUBMITTED, Status.APPROVED}
            else []
        ),
        "audience": [
            *(department.name for department in item.target_departments.all()),
            *(site.name for site in item.target_sites.all()),
            *(kind.label for kind in item.target_ambassador_types.all()),
            *(display.name("language", code) for code in item.language_list),
        ],
        "reach": targeting.reach(item),
        "can_edit": allowed(actor, "content.edit"),
        "can_review": actions.may_review(actor, item.program),
        "can_approve": actions.may_approve(actor, item),
        "comment_form": forms.get("comment_form") or CommentForm(auto_id="comment_%s"),
        "send_back_form": forms.get("send_back_form") or SendBackForm(auto_id="review_%s"),
        "message_form": forms.get("message_form"),
        "image_form": forms.get("image_form") or ImageForm(auto_id="image_%s"),
        "limits": limits.LIMITS,
        "counting_rules": json.dumps(limits.rules_data()),  # for counter.js
    }


@require_POST
@require("content.edit")
def fetch_preview(request: HttpRequest, item_id: int) -> HttpResponse:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    item = item_of(request, item_id)
    try:
        return _fetch_and_report(request, actor, item)
    except ValidationError as error:
        _error_messages(request, error)
        return redirect("content:item", item.pk)


@require_POST
@require("content.edit")
def upload_image(request: HttpRequest, item_id: int) -> HttpResponse:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    item = item_of(request, item_id)
    form = ImageForm(request.POST, request.FILES, auto_id="image_%s")
    if form.is_valid():
        upload = form.cleaned_data["image"]
        try:
            if upload.size > 8_000_000:
                raise ValidationError({"image": _("The image is larger than 8 MB.")})
            actions.attach_image(actor, item, upload.read(), form.cleaned_data["image_alt"])
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Image saved."))
            return redirect("content:item", item.pk)
    return render(
        request,
        "content/item_detail.html",
        _detail_context(actor, item, image_form=form, message_form=MessageForm()),
        status=422,
    )


@require_POST
@require("content.edit")
def add_message(request: HttpRequest, item_id: int) -> HttpResponse:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    item = item_of(request, item_id)
    form = MessageForm(request.POST)
    if form.is_valid():
        try:
            message, result = actions.add_message(actor, item, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            counts = ", ".join(
                f"{count.network} {count.used}/{count.limit}"
                for count in limits.counts(message.full_text, message.network)
            )
            messages.success(request, _("Message saved (%s).") % counts)
            if result.suggestions:
                messages.warning(
                    request, _("The guidelines suggest other wordings: see under the message.")
                )
            return redirect("content:item", item.pk)
    return render(
        request,
        "content/item_detail.html",
        _detail_context(actor, item, message_form=form),
        status=422,
    )


def _message_of(item: ContentItem, message_id: int) -> SuggestedMessage:
    return get_object_or_404(SuggestedMessage, item=item, pk=message_id)


@require_POST
@require("content.edit")
def apply_wording(request: HttpRequest, item_id: int, message_id: int, index: int) -> HttpResponse:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    item = item_of(request, item_id)
    try:
        actions.apply_suggested_wording(actor, _message_of(item, message_id), index)
    except ValidationError as error:
        _error_messages(request, error)
    else:
        messages.success(request, _("Suggested wording applied."))
    return redirect("content:item", item.pk)


@require_POST
@require("content.edit")
def delete_message(request: HttpRequest, item_id: int, message_id: int) -> HttpResponse:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    item = item_of(request, item_id)
    actions.delete_message(actor, _message_of(item, message_id))
    messages.success(request, _("Message deleted."))
    return redirect("content:item", item.pk)


@require_POST
@require("content.review")
def comment(request: HttpRequest, item_id: int) -> HttpResponse:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    item = item_of(request, item_id)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            actions.add_comment(actor, item, form.cleaned_data["text"])
        except ValidationError as error:
            _error_messages(request, error)
        else:
            messages.success(request, _("Comment added."))
    else:
        messages.error(request, _("Write a comment first."))
    return redirect("content:item", item.pk)


TRANSITIONS = {
    "submit": (actions.submit, gettext_lazy("Submitted for review.")),
    "publish": (actions.publish, gettext_lazy("Published (or scheduled for its start date).")),
    "archive": (actions.archive, gettext_lazy("Archived.")),
    "reopen": (actions.reopen, gettext_lazy("Back to draft.")),
}


@require_POST
@require("content.review")
def transition(request: HttpRequest, item_id: int, action: str) -> HttpResponse:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    item = item_of(request, item_id)
    try:
        if action == "approve":
            actions.approve(actor, item, request.POST.get("comment", ""))
            done = (
                _("Approved and published.")
                if item.status == Status.PUBLISHED
                else _("Approved: it will be published on its start date.")
            )
        elif action == "send_back":
            form = SendBackForm(request.POST)
            actions.send_back(actor, item, form.data.get("comment", ""))
            done = _("Sent back to the author with your comment.")
        elif action in TRANSITIONS:
            function, message = TRANSITIONS[action]
            function(actor, item)
            done = str(message)
        elif action == "delete":
            actions.delete_item(actor, item)
            messages.success(request, _("Draft deleted."))
            return redirect("content:studio")
        else:
            raise PermissionDenied
    except ValidationError as error:
        _error_messages(request, error)
    else:
        messages.success(request, str(done))
    return redirect("content:item", item.pk)


@require_POST
@require("content.edit")
def translate(request: HttpRequest, item_id: int) -> HttpResponse:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    item = item_of(request, item_id)
    try:
        copy = actions.create_translation(actor, item, request.POST.get("language", ""))
    except ValidationError as error:
        _error_messages(request, error)
        return redirect("content:item", item.pk)
    messages.success(request, _("Translation created as a draft: translate its text."))
    return redirect("content:edit", copy.pk)


@require("content.review")
def review_queue(request: HttpRequest) -> HttpResponse:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    submitted = (
        ContentItem.objects.filter(organisation=actor.organisation)
        .filter(
            Q(status=Status.SUBMITTED) | Q(status=Status.PUBLISHED, pending_change__isnull=False)
        )
        .select_related("program", "author")
        .order_by("submitted_at", "id")
    )
    # Only the items this person acts on: those of the programs they review (their own
    # ones among them, marked: someone else approves those).
    programs: dict[int, bool] = {}
    rows = []
    for item in submitted[:200]:
        if item.program_id not in programs:
            programs[item.program_id] = actions.may_review(actor, item.program)
        if programs[item.program_id]:
            rows.append({"item": item, "own": actions.four_eyes(actor, item)})
    return render(
        request,
        "content/review_queue.html",
        {
            "rows": rows,
            "show_tabs": allowed(actor, "content.view"),
            "reviews_any": bool(rows) or actions.reviews_any(actor),
        },
    )
