"""The project's names for signing in and out (``accounts:login``, ``accounts:logout``),
served by django-allauth's views; allauth's own pages follow under the same prefix."""

from allauth.account import views as allauth_views
from django.urls import path

from ambassade.accounts import views

app_name = "accounts"

urlpatterns = [
    path("login/", allauth_views.login, name="login"),
    path("logout/", allauth_views.logout, name="logout"),
    path("language/", views.switch_language, name="language"),
]
