"""Recognition's pages: the person's own under /me/, the working group's under /console/."""

from django.urls import URLPattern, path

from ambassade.recognition import views_rewards

app_name = "recognition"

urlpatterns: list[URLPattern] = [
    path("me/recognition/rewards/", views_rewards.catalogue, name="rewards"),
    path(
        "me/recognition/rewards/<int:reward_id>/request",
        views_rewards.request_reward,
        name="rewards_request",
    ),
    path(
        "me/recognition/rewards/requests/<int:request_id>/cancel",
        views_rewards.cancel_own,
        name="rewards_cancel",
    ),
    path("console/recognition/rewards/", views_rewards.console, name="console_rewards"),
    path(
        "console/recognition/rewards/queue/",
        views_rewards.fulfilment_queue,
        name="rewards_queue",
    ),
    path(
        "console/recognition/rewards/queue/<int:request_id>/<slug:decision>",
        views_rewards.decide,
        name="rewards_decide",
    ),
    path("console/recognition/rewards/<int:reward_id>/", views_rewards.edit, name="rewards_edit"),
    path(
        "console/recognition/rewards/<int:reward_id>/retire",
        views_rewards.retire,
        name="rewards_retire",
    ),
]
