from django.urls import path

from ambassade.push import views

app_name = "push"

urlpatterns = [
    path("me/push/", views.device, name="device"),
    path("me/push/stop", views.stop, name="stop"),
    path("me/push/<int:subscription_id>/remove", views.remove, name="remove"),
]
