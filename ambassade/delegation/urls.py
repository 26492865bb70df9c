from django.urls import path

from ambassade.delegation import views

app_name = "delegation"

urlpatterns = [
    path("me/delegates/", views.delegates, name="delegates"),
    path("me/writing-for/", views.writing_for, name="writing_for"),
    path("me/writing-for/<int:delegation_id>/new", views.write, name="write"),
    path("me/drafts/<int:draft_id>/", views.draft, name="draft"),
    path("me/delegations/<int:delegation_id>/end", views.end, name="end"),
]
