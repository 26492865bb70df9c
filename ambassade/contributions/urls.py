from django.urls import path

from ambassade.contributions import views

app_name = "contributions"

urlpatterns = [
    path("me/contributions/", views.mine, name="mine"),
    path("me/contributions/report/", views.my_report, name="my_report"),
    path("me/contributions/<int:contribution_id>/edit", views.edit, name="edit"),
    path("me/contributions/<int:contribution_id>/delete", views.delete, name="delete"),
    path(
        "console/contributions/people/<int:person_id>/report/",
        views.person_report,
        name="person_report",
    ),
]
