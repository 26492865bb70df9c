from django.urls import path

from ambassade.people import (
    candidate_views,
    departure_views,
    directory_views,
    import_views,
    me_views,
    operator_views,
    person_views,
    segment_views,
    setup_views,
    views,
    welcome_views,
)

app_name = "people"

urlpatterns = [
    path("setup/", setup_views.first_run_setup, name="first_run"),
    path("operator/organisations/", operator_views.organisations, name="operator_organisations"),
    path(
        "operator/organisations/<int:organisation_id>/suspend",
        operator_views.suspend,
        name="operator_suspend",
    ),
    path(
        "operator/organisations/<int:organisation_id>/resume",
        operator_views.resume,
        name="operator_resume",
    ),
    path("me/", views.me, name="me"),
    path("me/home/", welcome_views.home, name="home"),
    path("me/tokens/", views.tokens, name="tokens"),
    path("me/tokens/<int:token_id>/revoke", views.revoke_token, name="revoke_token"),
    path("me/self-assessment/", me_views.self_assessment, name="self_assessment"),
    path("me/data.zip", me_views.my_data, name="my_data"),
    path("me/alumni/", me_views.alumni, name="alumni"),
    path("me/erasure-request", me_views.request_erasure, name="request_erasure"),
    path("welcome/<str:token>/", welcome_views.welcome, name="welcome"),
    path("console/people/", directory_views.directory, name="directory"),
    path("console/people/bulk", directory_views.bulk_action, name="bulk"),
    path("console/people/new/", person_views.create_person, name="create"),
    path("console/people/structure/", person_views.structure, name="structure"),
    path("console/people/candidates/", candidate_views.candidates, name="candidates"),
    path("console/people/imports/", import_views.upload, name="import_upload"),
    path("console/people/imports/<int:import_id>/", import_views.preview, name="import_preview"),
    path("console/people/imports/<int:import_id>/apply", import_views.apply, name="import_apply"),
    path(
        "console/people/imports/<int:import_id>/discard",
        import_views.discard,
        name="import_discard",
    ),
    path("console/people/segments/", segment_views.segments, name="segments"),
    path(
        "console/people/segments/<int:segment_id>/",
        segment_views.edit_segment,
        name="edit_segment",
    ),
    path(
        "console/people/segments/<int:segment_id>/delete",
        segment_views.delete_segment,
        name="delete_segment",
    ),
    path("console/people/<int:person_id>/", person_views.person_detail, name="person"),
    path("console/people/<int:person_id>/edit/", person_views.edit_person, name="edit"),
    path("console/people/<int:person_id>/roles", person_views.set_roles, name="set_roles"),
    path("console/people/<int:person_id>/invite", person_views.invite, name="invite"),
    path("console/people/<int:person_id>/left", departure_views.mark_left, name="mark_left"),
    path(
        "console/people/<int:person_id>/second-factor/reset",
        person_views.reset_second_factor,
        name="reset_second_factor",
    ),
    path("console/people/<int:person_id>/hr-notes/", person_views.hr_notes, name="hr_notes"),
    path("console/people/<int:person_id>/data.zip", person_views.export_data, name="export"),
    path("console/people/<int:person_id>/erase/", person_views.erase, name="erase"),
]
