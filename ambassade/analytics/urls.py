from django.urls import path

from ambassade.analytics import dashboard_views, settings_views, views

app_name = "analytics"

urlpatterns = [
    path("console/analytics/", dashboard_views.index, name="index"),
    path(
        "console/analytics/programs/<int:program_id>/",
        dashboard_views.program_dashboard,
        name="program",
    ),
    path(
        "console/analytics/programs/<int:program_id>/content/",
        dashboard_views.content_dashboard,
        name="content",
    ),
    path(
        "console/analytics/programs/<int:program_id>/networks/",
        dashboard_views.network_dashboard,
        name="networks",
    ),
    path(
        "console/analytics/programs/<int:program_id>/people/",
        dashboard_views.people_dashboard,
        name="people",
    ),
    path(
        "console/analytics/programs/<int:program_id>/people/<int:person_id>/",
        dashboard_views.person_dashboard,
        name="person",
    ),
    path("console/analytics/settings/", settings_views.settings_page, name="settings"),
    path("me/figures/", views.mine, name="mine"),
    path("analytics/how-we-count/", views.how_we_count, name="how_we_count"),
]
