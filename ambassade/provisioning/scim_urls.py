"""/scim/v2/ (included from ambassade/urls.py): the SCIM 2.0 service."""

from django.urls import path, re_path

from ambassade.provisioning.scim import group_views, views

app_name = "scim"

urlpatterns = [
    path("", views.unknown, name="root"),
    path("ServiceProviderConfig", views.service_provider_config, name="service_provider_config"),
    path("ResourceTypes", views.resource_types, name="resource_types"),
    path("ResourceTypes/<str:name>", views.resource_types, name="resource_type"),
    path("Schemas", views.schemas, name="schemas"),
    path("Schemas/<str:urn>", views.schemas, name="schema"),
    path("Users", views.user_list, name="users"),
    path("Users/<str:scim_id>", views.user_detail, name="user"),
    path("Groups", group_views.group_list, name="groups"),
    path("Groups/<str:scim_id>", group_views.group_detail, name="group"),
    re_path(r"^(?P<rest>.+)$", views.unknown, name="unknown"),
]
