"""Forms of the Slack and Teams page: they parse input; the actions decide what is valid."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ambassade.chat_channels.models import Kind


class ConnectForm(forms.Form):
    kind = forms.ChoiceField(label=_("Service"), choices=Kind.choices, widget=forms.RadioSelect)
    name = forms.CharField(
        label=_("Channel name"),
        max_length=80,
        help_text=_("As people know it, such as #ambassadors."),
        error_messages={"required": _("Give the channel a name, such as #ambassadors.")},
    )
    webhook_url = forms.CharField(
        label=_("Incoming webhook address"),
        max_length=2048,
        widget=forms.URLInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        help_text=_(
            "Slack: an incoming webhook (https://hooks.slack.com/…). Teams: a Workflows "
            "webhook (“Post to a channel when a webhook request is received”). It is stored "
            "encrypted and never shown again."
        ),
        error_messages={"required": _("Paste the webhook address.")},
    )
    send_featured = forms.BooleanField(
        label=_("Featured content, with a button to share it"), required=False, initial=True
    )
    send_weekly = forms.BooleanField(
        label=_("A summary of the program's figures every Monday morning"),
        required=False,
        initial=True,
    )


class ChannelForm(forms.Form):
    """The choices of a connected channel (its webhook is changed by connecting anew)."""

    name = forms.CharField(
        label=_("Channel name"),
        max_length=80,
        error_messages={"required": _("Give the channel a name, such as #ambassadors.")},
    )
    send_featured = forms.BooleanField(
        label=_("Featured content, with a button to share it"), required=False
    )
    send_weekly = forms.BooleanField(
        label=_("A summary of the program's figures every Monday morning"), required=False
    )
    enabled = forms.BooleanField(label=_("Send messages to this channel"), required=False)
