from django.urls import path

from ambassade.chat_channels import views

app_name = "chat_channels"

urlpatterns = [
    path("console/programs/<int:program_id>/chat/", views.program_channels, name="program"),
    path(
        "console/programs/<int:program_id>/chat/<int:channel_id>/change",
        views.change,
        name="change",
    ),
    path(
        "console/programs/<int:program_id>/chat/<int:channel_id>/test",
        views.send_test,
        name="test",
    ),
    path(
        "console/programs/<int:program_id>/chat/<int:channel_id>/disconnect",
        views.disconnect,
        name="disconnect",
    ),
]
