"""The "Slack and Teams" tab of a program in the console."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ambassade.chat_channels import actions
from ambassade.chat_channels.forms import ChannelForm, ConnectForm
from ambassade.chat_channels.models import ChatChannel, ChatDelivery
from ambassade.core.authz import allowed_on_program, require
from ambassade.core.forms import add_action_errors
from ambassade.programs.models import Program

RECENT_DELIVERIES = 20


def _program(request: HttpRequest, program_id: int) -> Program:
    actor = request.actor  # type: ignore[attr-defined]
    program = get_object_or_404(Program, organisation=actor.organisation, pk=program_id)
    if not allowed_on_program(actor, "chat_channels.manage", program):
        raise PermissionDenied
    return program


def _channel(request: HttpRequest, program_id: int, channel_id: int) -> ChatChannel:
    program = _program(request, program_id)
    return get_object_or_404(
        ChatChannel.objects.select_related("program"), program=program, pk=channel_id
    )


def _page(
    request: HttpRequest, program: Program, connect_form: ConnectForm, status: int = 200
) -> HttpResponse:
    channels = list(ChatChannel.objects.filter(program=program))
    forms = {
        channel.pk: ChannelForm(
            initial={
                "name": channel.name,
                "send_featured": channel.send_featured,
                "send_weekly": channel.send_weekly,
                "enabled": channel.enabled,
            },
            prefix=f"c{channel.pk}",
        )
        for channel in channels
    }
    failures = (
        ChatDelivery.objects.filter(
            channel__program=program, ok=False, status=ChatDelivery.Status.DONE
        )
        .select_related("channel")
        .order_by("-at", "-pk")[:RECENT_DELIVERIES]
    )
    # Featured content that failed and will be tried again (sending.py's backoff).
    waiting = (
        ChatDelivery.objects.filter(
            channel__program=program,
            status__in=[ChatDelivery.Status.PENDING, ChatDelivery.Status.SENDING],
            attempts__gt=0,
        )
        .select_related("channel")
        .order_by("next_attempt_at", "pk")[:RECENT_DELIVERIES]
    )
    return render(
        request,
        "chat_channels/program.html",
        {
            "program": program,
            "channels": [(channel, forms[channel.pk]) for channel in channels],
            "form": connect_form,
            "failures": failures,
            "waiting": waiting,
        },
        status=status,
    )


@require("chat_channels.manage")
def program_channels(request: HttpRequest, program_id: int) -> HttpResponse:
    program = _program(request, program_id)
    form = ConnectForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                connected = actions.connect(
                    request.actor,  # type: ignore[attr-defined]
                    program,
                    **form.cleaned_data,
                )
            except ValidationError as error:
                add_action_errors(form, error)
            else:
                messages.success(
                    request,
                    _("“%(name)s” is connected. Send a test message to check it.")
                    % {"name": connected.channel.name},
                )
                if connected.warning:
                    messages.warning(request, connected.warning)
                return redirect("chat_channels:program", program.pk)
        return _page(request, program, form, status=422)
    return _page(request, program, form)


@require_POST
@require("chat_channels.manage")
def change(request: HttpRequest, program_id: int, channel_id: int) -> HttpResponse:
    channel = _channel(request, program_id, channel_id)
    form = ChannelForm(request.POST, prefix=f"c{channel.pk}")
    if form.is_valid():
        try:
            actions.change(request.actor, channel, **form.cleaned_data)  # type: ignore[attr-defined]
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Changes saved."))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("chat_channels:program", channel.program_id)


@require_POST
@require("chat_channels.manage")
def send_test(request: HttpRequest, program_id: int, channel_id: int) -> HttpResponse:
    channel = _channel(request, program_id, channel_id)
    outcome = actions.send_test(request.actor, channel)  # type: ignore[attr-defined]
    (messages.success if outcome.ok else messages.error)(
        request,
        _("Test message to “%(name)s”: %(outcome)s")
        % {"name": channel.name, "outcome": outcome.message},
    )
    return redirect("chat_channels:program", channel.program_id)


@require_POST
@require("chat_channels.manage")
def disconnect(request: HttpRequest, program_id: int, channel_id: int) -> HttpResponse:
    channel = _channel(request, program_id, channel_id)
    actions.disconnect(request.actor, channel)  # type: ignore[attr-defined]
    messages.success(
        request,
        _("“%(name)s” is disconnected; you can also delete the webhook in %(service)s.")
        % {"name": channel.name, "service": channel.get_kind_display()},
    )
    return redirect("chat_channels:program", program_id)
