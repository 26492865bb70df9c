from django.urls import path

from ambassade.learning import views_console, views_mine

app_name = "learning"

urlpatterns = [
    path("me/learning/", views_mine.path, name="path"),
    path("me/learning/<int:module_id>/", views_mine.module, name="module"),
    path("me/learning/<int:module_id>/quiz", views_mine.start, name="start"),
    path("me/learning/attempts/<int:attempt_id>/", views_mine.attempt, name="attempt"),
    path("console/learning/", views_console.index, name="index"),
    path("console/learning/progress.csv", views_console.progress_csv, name="progress_csv"),
    path("console/learning/new", views_console.new, name="new"),
    path("console/learning/<int:module_id>/", views_console.edit, name="edit"),
    path("console/learning/<int:module_id>/image", views_console.image, name="image"),
    path("console/learning/<int:module_id>/publish", views_console.publish, name="publish"),
    path("console/learning/<int:module_id>/remove", views_console.remove, name="remove"),
    path(
        "console/learning/<int:module_id>/questions/new",
        views_console.question,
        name="question_new",
    ),
    path(
        "console/learning/<int:module_id>/questions/<int:question_id>/",
        views_console.question,
        name="question",
    ),
    path(
        "console/learning/<int:module_id>/questions/<int:question_id>/delete",
        views_console.delete_question,
        name="question_delete",
    ),
    path(
        "console/learning/<int:module_id>/requirements",
        views_console.add_requirement,
        name="requirement_add",
    ),
    path(
        "console/learning/<int:module_id>/requirements/<int:requirement_id>/delete",
        views_console.remove_requirement,
        name="requirement_delete",
    ),
]
