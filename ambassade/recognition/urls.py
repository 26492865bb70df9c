"""Recognition's pages: the person's own under /me/, the working group's under /console/."""

from django.urls import URLPattern, path

from ambassade.recognition import views_highlights

app_name = "recognition"

urlpatterns: list[URLPattern] = [
    path("console/recognition/highlights/", views_highlights.page, name="highlights"),
    path("console/recognition/highlights.csv", views_highlights.as_csv, name="highlights_csv"),
]
