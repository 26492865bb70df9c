"""Recognition's pages: the person's own under /me/, the working group's under /console/."""

from django.urls import URLPattern, path

from ambassade.recognition import calendar, views_calendar, views_campaigns

app_name = "recognition"

urlpatterns: list[URLPattern] = [
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
    path("calendar/<str:token>.ics", calendar.feed_view, name="calendar_feed"),
]
