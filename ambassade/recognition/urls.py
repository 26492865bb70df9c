"""Recognition's pages: the person's own under /me/, the working group's under /console/."""

from django.urls import URLPattern, path

from ambassade.recognition import views_badges

app_name = "recognition"

urlpatterns: list[URLPattern] = [
    path("me/recognition/badges/", views_badges.mine, name="badges"),
    path("me/recognition/badges/visibility", views_badges.visibility, name="badge_visibility"),
    path(
        "recognition/people/<int:person_id>/badges/",
        views_badges.of_person,
        name="badges_of_person",
    ),
    path("console/recognition/badges/", views_badges.console, name="console_badges"),
    path("console/recognition/badges/new", views_badges.new, name="badge_new"),
    path("console/recognition/badges/<int:badge_id>/", views_badges.edit, name="badge_edit"),
    path(
        "console/recognition/badges/<int:badge_id>/retire",
        views_badges.retire,
        name="badge_retire",
    ),
]
