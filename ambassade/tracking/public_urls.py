"""The public short links at the root: /r/<code> and the conversion pixel."""

from django.urls import path

from ambassade.tracking import views

urlpatterns = [
    path("r/c/<str:token>.gif", views.conversion_pixel, name="conversion_pixel"),
    path("r/<str:code>", views.follow, name="follow"),
    # A trailing slash some sites add still leads on; anything else is an orphan visit.
    path("r/<path:code>", views.follow, name="follow_any"),
]
