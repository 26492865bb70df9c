from django.urls import path

from ambassade.digests import views

app_name = "digests"

urlpatterns = [
    path("me/digest/", views.settings_page, name="settings"),
    path("digest/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("digest/share/<str:signed>/", views.share, name="share"),
]
