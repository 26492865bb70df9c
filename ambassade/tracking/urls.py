from django.urls import path

from ambassade.tracking import views

app_name = "tracking"

urlpatterns = [
    path("console/links/", views.links, name="links"),
    path("console/links/settings/", views.tracking_settings, name="settings"),
]
