from django.urls import path

from ambassade.crisis import views

app_name = "crisis"

urlpatterns = [
    path("crisis/", views.current, name="current"),
    path("console/crisis/", views.console, name="console"),
    path("console/crisis/<int:crisis_id>/", views.crisis_page, name="crisis"),
    path("console/crisis/<int:crisis_id>/end", views.end, name="end"),
    path("console/crisis/<int:crisis_id>/timeline.csv", views.timeline_csv, name="timeline_csv"),
]
