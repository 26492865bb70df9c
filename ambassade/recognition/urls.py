"""Recognition's pages: the person's own under /me/, the working group's under /console/."""

from django.urls import URLPattern, path

from ambassade.recognition import boards_views, views_highlights

app_name = "recognition"

urlpatterns: list[URLPattern] = [
    path("console/recognition/highlights/", views_highlights.page, name="highlights"),
    path("console/recognition/highlights.csv", views_highlights.as_csv, name="highlights_csv"),
    # The boards (boards_views.py).
    path("me/recognition/boards/", boards_views.mine, name="boards"),
    path("console/recognition/boards/", boards_views.console, name="console_boards"),
    path(
        "console/recognition/boards/setting",
        boards_views.console_setting,
        name="console_boards_setting",
    ),
    path(
        "console/recognition/boards/executives",
        boards_views.console_executive,
        name="console_boards_executive",
    ),
]
