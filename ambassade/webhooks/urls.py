from django.urls import path

from ambassade.webhooks import views

app_name = "webhooks"

urlpatterns = [
    path("console/settings/webhooks/", views.endpoints, name="endpoints"),
    path("console/settings/webhooks/<int:endpoint_id>/", views.endpoint, name="endpoint"),
    path("console/settings/webhooks/<int:endpoint_id>/switch", views.switch, name="switch"),
    path("console/settings/webhooks/<int:endpoint_id>/rotate", views.rotate, name="rotate"),
    path("console/settings/webhooks/<int:endpoint_id>/test", views.send_test, name="test"),
    path("console/settings/webhooks/<int:endpoint_id>/delete", views.delete, name="delete"),
    path(
        "console/settings/webhooks/<int:endpoint_id>/messages/<int:message_id>",
        views.message,
        name="message",
    ),
    path(
        "console/settings/webhooks/<int:endpoint_id>/messages/<int:message_id>/replay",
        views.replay,
        name="replay",
    ),
]
