"""One question's thread, as its ambassador or its coach reads and answers it.

Both sides see the same thread and reply the same way; only the frame (which space,
where "back" and "close" lead) and the words of the confirmation differ.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from ambassade.coaching import access, actions
from ambassade.coaching.forms import ReplyForm
from ambassade.core.authz import Actor
from ambassade.core.forms import add_action_errors


@dataclass(frozen=True)
class Side:
    name: str  # "ambassador" or "coach", as access.readable_question answers
    url_name: str  # this side's thread page
    other_url_name: str  # the other side's, where a person of that side is sent
    sent: str  # the confirmation once a reply is sent
    frame: dict[str, Any]  # base template, back and close links, what else the page shows


def thread_page(request: HttpRequest, question_id: int, side: Side) -> HttpResponse:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    if actor.person is None:
        raise Http404
    question, reader = access.readable_question(actor, question_id)
    if reader != side.name:
        return redirect(side.other_url_name, question.pk)
    form = ReplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.reply(actor, question.pk, form.cleaned_data["text"])
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, side.sent)
            return redirect(side.url_name, question.pk)
    return render(
        request,
        "coaching/thread.html",
        {
            "question": question,
            "replies": question.replies.select_related("author"),
            "form": form,
            **side.frame,
        },
    )
