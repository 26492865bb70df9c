"""The project's names for signing in and out (``accounts:login``, ``accounts:logout``),
django-allauth's views behind the single sign-on routes (``views.login``); allauth's own
pages follow under the same prefix."""

from django.urls import path

from ambassade.accounts import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.login, name="login"),
    path("logout/", views.logout, name="logout"),
    path("language/", views.switch_language, name="language"),
]
