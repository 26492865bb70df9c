from django.urls import path

from ambassade.analytics import views

app_name = "analytics"

urlpatterns = [
    path(
        "console/analytics/programs/<int:program_id>/",
        views.program_dashboard,
        name="program",
    ),
    path("me/figures/", views.mine, name="mine"),
    path("analytics/how-we-count/", views.how_we_count, name="how_we_count"),
]
