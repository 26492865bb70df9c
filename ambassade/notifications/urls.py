from django.urls import path

from ambassade.notifications import views

app_name = "notifications"

urlpatterns = [
    path("me/notifications/", views.notification_list, name="list"),
    path("me/notifications/<int:notification_id>/", views.open_notification, name="open"),
    path("me/notifications/read-all", views.read_all, name="read_all"),
    path("me/notifications/settings/", views.preferences, name="preferences"),
    path(
        "console/notifications/",
        views.notification_list,
        {"space": "console"},
        name="console_list",
    ),
    path(
        "console/notifications/settings/",
        views.preferences,
        {"space": "console"},
        name="console_preferences",
    ),
    path("console/notifications/report/", views.report, name="report"),
]
