from django.urls import path

from ambassade.alumni import views

app_name = "alumni"

urlpatterns = [
    path("me/alumni/directory/", views.my_directory, name="mine"),
    path("console/alumni/", views.console_directory, name="directory"),
    path("console/people/<int:person_id>/end-alumni-offer/", views.end_offer, name="end_offer"),
]
