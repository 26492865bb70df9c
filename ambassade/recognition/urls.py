"""Recognition's pages: the person's own under /me/, the working group's under /console/."""

from django.urls import URLPattern, path  # noqa: F401 (each area adds its paths below)

app_name = "recognition"

urlpatterns: list[URLPattern] = []
