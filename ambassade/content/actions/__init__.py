"""Every change to content items and their review: one transaction, one audit row.

Sources, curation, suggestions and guidelines have their own modules
(``curation_actions``, ``suggestion_actions``, ``guideline_actions``); this package holds
the items, their messages, comments and the workflow, in modules by subject; import
them from here.
"""

from ambassade.content.actions._common import (
    LANGUAGE_CODES,
    on_commit,
    policy_of,
    require,
    snapshot,
)
from ambassade.content.actions.cleaning import RICH_TAGS, TAG, plain, rich, strip_html, web_address
from ambassade.content.actions.feed import hide_item
from ambassade.content.actions.items import (
    EDITABLE,
    ITEM_FIELDS,
    attach_image,
    build_item,
    create_item,
    create_translation,
    fetch_preview_now,
    item_image_folder,
    read_preview,
    update_item,
)
from ambassade.content.actions.messages import (
    add_message,
    apply_suggested_wording,
    check_or_refuse,
    delete_message,
    update_message,
)
from ambassade.content.actions.policies import (
    four_eyes,
    may_approve,
    may_review,
    reviews_any,
    set_policy,
)
from ambassade.content.actions.workflow import (
    add_comment,
    approve,
    archive,
    delete_item,
    expire_due,
    publish,
    publish_due,
    reopen,
    send_back,
    submit,
)

__all__ = [
    "EDITABLE",
    "ITEM_FIELDS",
    "LANGUAGE_CODES",
    "RICH_TAGS",
    "TAG",
    "add_comment",
    "add_message",
    "apply_suggested_wording",
    "approve",
    "archive",
    "attach_image",
    "build_item",
    "check_or_refuse",
    "create_item",
    "create_translation",
    "delete_item",
    "delete_message",
    "expire_due",
    "fetch_preview_now",
    "four_eyes",
    "hide_item",
    "item_image_folder",
    "may_approve",
    "may_review",
    "on_commit",
    "plain",
    "policy_of",
    "publish",
    "publish_due",
    "read_preview",
    "reopen",
    "require",
    "reviews_any",
    "rich",
    "send_back",
    "set_policy",
    "snapshot",
    "strip_html",
    "submit",
    "update_item",
    "update_message",
    "web_address",
]
