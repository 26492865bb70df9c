"""SAML 2.0 endpoints, one set per connection (the entity id is the metadata's address)."""

from django.urls import URLPattern, path

from ambassade.identity import saml_views

urlpatterns: list[URLPattern] = [
    path("sso/saml/<int:pk>/start", saml_views.start, name="saml_start"),
    path("sso/saml/<int:pk>/acs", saml_views.acs, name="saml_acs"),
    path("sso/saml/<int:pk>/metadata", saml_views.metadata, name="saml_metadata"),
    path("sso/saml/<int:pk>/sls", saml_views.single_logout_service, name="saml_sls"),
    path("sso/saml/<int:pk>/logout", saml_views.logout, name="saml_logout"),
]
