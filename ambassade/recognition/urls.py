"""Recognition's pages: the person's own under /me/, the working group's under /console/."""

from django.urls import URLPattern, path

from ambassade.recognition import views_points

app_name = "recognition"

urlpatterns: list[URLPattern] = [
    path("me/recognition/", views_points.mine, name="mine"),
    path("console/recognition/", views_points.console, name="console"),
    path(
        "console/recognition/programs/<int:program_id>/rules/",
        views_points.program_rules,
        name="rules",
    ),
]
