from django.urls import path

from ambassade.field import console_views, views

app_name = "field"

urlpatterns = [
    path("me/field-reports/", views.mine, name="mine"),
    path("me/field-reports/new", views.new, name="new"),
    path("me/field-reports/<int:report_id>/", views.mine_detail, name="mine_detail"),
    path("field-reports/<int:report_id>/photo", views.photo, name="photo"),
    path("console/field-reports/", console_views.queue, name="queue"),
    path("console/field-reports/figures/", console_views.figures_page, name="figures"),
    path("console/field-reports/routing/", console_views.routing_page, name="routing"),
    path("console/field-reports/<int:report_id>/", console_views.detail, name="detail"),
    path("console/field-reports/<int:report_id>/<str:step>", console_views.act, name="act"),
]
