"""The messages posted to Slack (Block Kit) and Teams (an Adaptive Card in the envelope
of the Workflows "post to a channel when a webhook request is received" flow).

Teams' Office 365 connectors and their MessageCard are retired: a Workflows webhook
takes ``{"type": "message", "attachments": [{"contentType":
"application/vnd.microsoft.card.adaptive", "content": <card>}]}``. Every builder returns
the JSON body for one kind of channel; the words are already in the organisation's
language.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ambassade.chat_channels.models import Kind

ADAPTIVE_CARD_VERSION = "1.5"
ADAPTIVE_CARD_SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
# Slack refuses a section text beyond 3,000 characters and a button text beyond 75.
SLACK_TEXT_LIMIT = 3000


@dataclass(frozen=True)
class Button:
    label: str
    url: str


@dataclass(frozen=True)
class Post:
    """What a message says, whatever the channel: a title, text, facts, an image, buttons."""

    title: str
    text: str
    facts: list[tuple[str, str]] = field(default_factory=list)
    image_url: str = ""
    image_alt: str = ""
    buttons: list[Button] = field(default_factory=list)
    note: str = ""  # a small line at the end (how the figures are counted)


def _slack_escape(text: str) -> str:
    # Slack's mrkdwn reads &, < and > as markup.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def slack(post: Post) -> dict[str, Any]:
    text = f"*{_slack_escape(post.title)}*"
    if post.text:
        text += "\n" + _slack_escape(post.text)
    section: dict[str, Any] = {
        "type": "section",
        "text": {"type": "mrkdwn", "text": text[:SLACK_TEXT_LIMIT]},
    }
    if post.image_url:
        section["accessory"] = {
            "type": "image",
            "image_url": post.image_url,
            "alt_text": (post.image_alt or post.title)[:2000],
        }
    blocks: list[dict[str, Any]] = [section]
    if post.facts:
        blocks.append(
            {
                "type": "section",
                "fields": [
                    {"type": "mrkdwn", "text": f"*{_slack_escape(name)}*\n{_slack_escape(value)}"}
                    for name, value in post.facts[:10]  # Slack's limit per section
                ],
            }
        )
    if post.buttons:
        blocks.append(
            {
                "type": "actions",
                "elements": [
                    {
                        "type": "button",
                        "text": {"type": "plain_text", "text": button.label[:75]},
                        "url": button.url,
                        **({"style": "primary"} if index == 0 else {}),
                    }
                    for index, button in enumerate(post.buttons)
                ],
            }
        )
    if post.note:
        blocks.append(
            {"type": "context", "elements": [{"type": "mrkdwn", "text": _slack_escape(post.note)}]}
        )
    # ``text`` is what notifications and screen readers without blocks show.
    return {"text": post.title, "blocks": blocks}


def adaptive_card(post: Post) -> dict[str, Any]:
    body: list[dict[str, Any]] = [
        {
            "type": "TextBlock",
            "text": post.title,
            "weight": "Bolder",
            "size": "Medium",
            "wrap": True,
        }
    ]
    if post.image_url:
        body.append(
            {"type": "Image", "url": post.image_url, "altText": post.image_alt or post.title}
        )
    if post.text:
        body.append({"type": "TextBlock", "text": post.text, "wrap": True})
    if post.facts:
        body.append({"type": "FactSet", "facts": [{"title": n, "value": v} for n, v in post.facts]})
    if post.note:
        body.append(
            {
                "type": "TextBlock",
                "text": post.note,
                "size": "Small",
                "isSubtle": True,
                "wrap": True,
            }
        )
    card: dict[str, Any] = {
        "$schema": ADAPTIVE_CARD_SCHEMA,
        "type": "AdaptiveCard",
        "version": ADAPTIVE_CARD_VERSION,
        "body": body,
    }
    if post.buttons:
        card["actions"] = [
            {"type": "Action.OpenUrl", "title": button.label, "url": button.url}
            for button in post.buttons
        ]
    return card


def teams(post: Post) -> dict[str, Any]:
    return {
        "type": "message",
        "attachments": [
            {
                "contentType": "application/vnd.microsoft.card.adaptive",
                "contentUrl": None,
                "content": adaptive_card(post),
            }
        ],
    }


def body_for(kind: str, post: Post) -> dict[str, Any]:
    return slack(post) if kind == Kind.SLACK else teams(post)
