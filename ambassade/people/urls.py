from django.urls import path

from ambassade.people import views

app_name = "people"

urlpatterns = [
    path("me/", views.me, name="me"),
    path("me/tokens/", views.tokens, name="tokens"),
    path("me/tokens/<int:token_id>/revoke", views.revoke_token, name="revoke_token"),
    path("console/people/", views.directory, name="directory"),
]
