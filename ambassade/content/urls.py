from django.urls import path

from ambassade.content import (
    bulk_views,
    curation_views,
    feed_views,
    guideline_views,
    studio_views,
    suggestion_views,
)

app_name = "content"

urlpatterns = [
    # Content studio (console)
    path("console/content/", studio_views.studio, name="studio"),
    path("console/content/new", studio_views.create, name="create"),
    path("console/content/bulk", bulk_views.bulk_action, name="bulk"),
    path("console/content/review/", studio_views.review_queue, name="review"),
    path("console/content/<int:item_id>/", studio_views.detail, name="item"),
    path("console/content/<int:item_id>/edit", studio_views.edit, name="edit"),
    path("console/content/<int:item_id>/preview", studio_views.fetch_preview, name="fetch_preview"),
    path("console/content/<int:item_id>/image", studio_views.upload_image, name="upload_image"),
    path("console/content/<int:item_id>/messages", studio_views.add_message, name="add_message"),
    path(
        "console/content/<int:item_id>/messages/<int:message_id>/apply/<int:index>",
        studio_views.apply_wording,
        name="apply_wording",
    ),
    path(
        "console/content/<int:item_id>/messages/<int:message_id>/delete",
        studio_views.delete_message,
        name="delete_message",
    ),
    path("console/content/<int:item_id>/comments", studio_views.comment, name="comment"),
    path("console/content/<int:item_id>/translate", studio_views.translate, name="translate"),
    path(
        "console/content/<int:item_id>/do/<str:action>",
        studio_views.transition,
        name="transition",
    ),
    # Curation
    path("console/content/inbox/", curation_views.inbox, name="inbox"),
    path(
        "console/content/inbox/<int:entry_id>/<str:action>",
        curation_views.entry_action,
        name="entry_action",
    ),
    path("console/content/sources/", curation_views.sources, name="sources"),
    path(
        "console/content/sources/<int:source_id>/<str:action>",
        curation_views.source_action,
        name="source_action",
    ),
    path("console/content/suggestions/", suggestion_views.moderation, name="moderation"),
    path(
        "console/content/suggestions/<int:suggestion_id>/moderate",
        suggestion_views.moderate,
        name="moderate",
    ),
    path("console/content/guidelines/", guideline_views.guidelines_page, name="guidelines"),
    path(
        "console/content/guidelines/terms/<int:term_id>/delete",
        guideline_views.delete_term,
        name="delete_term",
    ),
    path("console/content/setup/", guideline_views.setup, name="setup"),
    path("console/content/setup/programs/<int:program_id>/", guideline_views.policy, name="policy"),
    # Ambassador space
    path("feed/", feed_views.feed, name="feed"),
    path("feed/<int:item_id>/hide", feed_views.hide, name="hide"),
    path("feed/<int:item_id>/share", feed_views.share, name="share"),
    path("me/suggest/", suggestion_views.suggest, name="suggest"),
]
