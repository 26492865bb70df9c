from django.urls import path

from ambassade.core import search_views, settings_views, views

app_name = "console"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("search/", search_views.search_page, name="search"),
    path("audit/", views.audit_log, name="audit"),
    path("audit/export.csv", views.audit_log_export, name="audit_export"),
    path("outbox/", views.outbox, name="outbox"),
    path("outbox/<str:name>", views.outbox_message, name="outbox_message"),
    path("settings/", settings_views.organisation_settings, name="settings"),
]
