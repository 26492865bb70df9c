"""The admins' single sign-on pages, in the organisation settings."""

from django.urls import path

from ambassade.identity import views

urlpatterns = [
    path("console/identity/", views.connections, name="connections"),
    path("console/identity/policy/", views.policy, name="policy"),
    path("console/identity/new/<str:protocol>/", views.new_connection, name="new"),
    path("console/identity/<int:pk>/", views.connection, name="connection"),
    path("console/identity/<int:pk>/edit/", views.edit, name="edit"),
    path("console/identity/<int:pk>/test/", views.test, name="test"),
    path("console/identity/<int:pk>/switch/", views.switch, name="switch"),
    path("console/identity/<int:pk>/delete/", views.delete, name="delete"),
]
