from django.urls import path

from ambassade.provisioning import views

app_name = "provisioning"

urlpatterns = [
    path("console/provisioning/", views.console, name="console"),
    path("console/provisioning/tokens/<int:token_id>/revoke", views.revoke, name="revoke"),
    path("console/provisioning/report/", views.report, name="report"),
]
