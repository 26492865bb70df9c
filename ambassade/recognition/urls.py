"""Recognition's pages: the person's own under /me/, the working group's under /console/."""

from django.urls import URLPattern, path

from ambassade.recognition import (
    boards_views,
    calendar,
    views_badges,
    views_calendar,
    views_campaigns,
    views_corrections,
    views_draws,
    views_highlights,
    views_points,
    views_rewards,
)

app_name = "recognition"

urlpatterns: list[URLPattern] = [
    # My points, the console's recognition page, the rules (views_points.py).
    path("me/recognition/", views_points.mine, name="mine"),
    path("console/recognition/", views_points.console, name="console"),
    path(
        "console/recognition/programs/<int:program_id>/rules/",
        views_points.program_rules,
        name="rules",
    ),
    # Corrections of a person's points by HR and admins (views_corrections.py).
    path("console/recognition/corrections/", views_corrections.find, name="corrections"),
    path(
        "console/recognition/people/<int:person_id>/points/",
        views_corrections.person_points,
        name="person_points",
    ),
    # The month's highlights (views_highlights.py).
    path("console/recognition/highlights/", views_highlights.page, name="highlights"),
    path("console/recognition/highlights.csv", views_highlights.as_csv, name="highlights_csv"),
    # The boards (boards_views.py).
    path("me/recognition/boards/", boards_views.mine, name="boards"),
    path("console/recognition/boards/", boards_views.console, name="console_boards"),
    path(
        "console/recognition/boards/setting",
        boards_views.console_setting,
        name="console_boards_setting",
    ),
    path(
        "console/recognition/boards/executives",
        boards_views.console_executive,
        name="console_boards_executive",
    ),
    # Badges (views_badges.py).
    path("me/recognition/badges/", views_badges.mine, name="badges"),
    path("me/recognition/badges/visibility", views_badges.visibility, name="badge_visibility"),
    path(
        "recognition/people/<int:person_id>/badges/",
        views_badges.of_person,
        name="badges_of_person",
    ),
    path("console/recognition/badges/", views_badges.console, name="console_badges"),
    path("console/recognition/badges/new", views_badges.new, name="badge_new"),
    path("console/recognition/badges/<int:badge_id>/", views_badges.edit, name="badge_edit"),
    path(
        "console/recognition/badges/<int:badge_id>/retire",
        views_badges.retire,
        name="badge_retire",
    ),
    # Rewards (views_rewards.py).
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
    # Campaigns, challenges and the program calendar (views_campaigns.py, views_calendar.py).
    path("console/recognition/campaigns/", views_campaigns.campaigns, name="campaign_list"),
    path(
        "console/recognition/campaigns/<int:campaign_id>/",
        views_campaigns.campaign,
        name="campaign",
    ),
    path(
        "console/recognition/campaigns/<int:campaign_id>/archive",
        views_campaigns.campaign_archive,
        name="campaign_archive",
    ),
    path("console/recognition/challenges/new", views_campaigns.challenge_new, name="challenge_new"),
    path(
        "console/recognition/challenges/<int:challenge_id>/",
        views_campaigns.challenge_edit,
        name="challenge_edit",
    ),
    path(
        "console/recognition/challenges/<int:challenge_id>/archive",
        views_campaigns.challenge_archive,
        name="challenge_archive",
    ),
    path("me/recognition/challenges/", views_campaigns.my_challenges, name="challenge_mine"),
    path("console/recognition/calendar/", views_calendar.calendar_page, name="calendar"),
    path(
        "console/recognition/calendar/feeds", views_calendar.feed_create, name="calendar_feed_new"
    ),
    path(
        "console/recognition/calendar/feeds/<int:feed_id>/revoke",
        views_calendar.feed_revoke,
        name="calendar_feed_revoke",
    ),
    # Prize draws (views_draws.py).
    path("me/recognition/draws/", views_draws.mine, name="draws"),
    path(
        "me/recognition/draws/<int:draw_id>/<slug:choice>",
        views_draws.entry,
        name="draw_entry",
    ),
    path(
        "recognition/draws/<int:draw_id>/verify",
        views_draws.verification,
        name="draw_verification",
    ),
    path("console/recognition/draws/", views_draws.console, name="console_draws"),
    path("console/recognition/draws/<int:draw_id>/", views_draws.edit, name="draw_edit"),
    path(
        "console/recognition/draws/<int:draw_id>/<slug:decision>",
        views_draws.decide,
        name="draw_decide",
    ),
    path("calendar/<str:token>.ics", calendar.feed_view, name="calendar_feed"),
]
