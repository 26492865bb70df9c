from django.urls import path

from ambassade.autopilot import views

app_name = "autopilot"

urlpatterns = [
    path("me/autopilot/", views.mine, name="mine"),
    path("me/autopilot/off", views.turn_off, name="off"),
    path("me/autopilot/posts/<int:target_id>/", views.edit, name="edit"),
    path("me/autopilot/posts/<int:target_id>/cancel", views.cancel, name="cancel"),
    path("console/autopilot/", views.console, name="console"),
]
