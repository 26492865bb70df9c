"""OpenID Connect endpoints, one pair per connection (the callback is the redirect URI)."""

from django.urls import URLPattern, path

from ambassade.identity import oidc_views

urlpatterns: list[URLPattern] = [
    path("sso/oidc/<int:pk>/start", oidc_views.start, name="oidc_start"),
    path("sso/oidc/<int:pk>/callback", oidc_views.callback, name="oidc_callback"),
]
