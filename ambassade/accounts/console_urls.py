from django.urls import path

from ambassade.accounts import console_views

app_name = "accounts_console"

urlpatterns = [
    path("two-factor/", console_views.two_factor_policy, name="two_factor_policy"),
]
