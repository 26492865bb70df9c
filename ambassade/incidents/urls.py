from django.urls import path

from ambassade.incidents import console_views, views

app_name = "incidents"

urlpatterns = [
    path("me/reports/", views.mine, name="mine"),
    path("me/reports/new", views.new, name="new"),
    path("me/reports/<int:report_id>/", views.mine_detail, name="mine_detail"),
    path("me/reports/<int:report_id>/<str:step>", views.mine_act, name="mine_act"),
    path("reports/<int:report_id>/screenshot", views.screenshot, name="screenshot"),
    path("console/reports/", console_views.console, name="console"),
    path("console/reports/settings/", console_views.settings_page, name="settings"),
    path("console/reports/<int:report_id>/", console_views.detail, name="detail"),
    path("console/reports/<int:report_id>/<str:step>", console_views.act, name="act"),
]
