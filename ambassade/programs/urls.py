from django.urls import path

from ambassade.programs import ambassador_views as mine
from ambassade.programs import charter_views, invitation_views
from ambassade.programs import console_views as console
from ambassade.programs import link_views as link

app_name = "programs"

urlpatterns = [
    # Program console
    path("console/programs/", console.program_list, name="list"),
    path("console/programs/new", console.program_create, name="create"),
    path("console/programs/bulk-invite", invitation_views.bulk_invite, name="bulk_invite"),
    path("console/programs/<int:program_id>/", console.program_detail, name="detail"),
    path("console/programs/<int:program_id>/edit", console.program_edit, name="edit"),
    path("console/programs/<int:program_id>/targets/", console.targets, name="targets"),
    path(
        "console/programs/<int:program_id>/targets/<int:target_id>/delete",
        console.target_delete,
        name="target_delete",
    ),
    path("console/programs/<int:program_id>/charter/", console.charter_versions, name="charter"),
    path(
        "console/programs/<int:program_id>/charter/preview",
        charter_views.charter_preview,
        name="charter_preview",
    ),
    path(
        "console/programs/<int:program_id>/charter/remind",
        charter_views.charter_remind,
        name="charter_remind",
    ),
    path(
        "console/programs/<int:program_id>/charter/<int:version_id>/",
        console.charter_version,
        name="charter_version",
    ),
    path(
        "console/programs/<int:program_id>/charter/<int:version_id>/publish",
        console.charter_publish,
        name="charter_publish",
    ),
    path(
        "console/programs/<int:program_id>/invitations/",
        invitation_views.invitations,
        name="invitations",
    ),
    path(
        "console/programs/<int:program_id>/campaigns/<int:campaign_id>/",
        console.campaign_detail,
        name="campaign",
    ),
    path("console/ambassador-types/", console.ambassador_types, name="ambassador_types"),
    path(
        "console/ambassador-types/<int:type_id>/",
        console.ambassador_type_edit,
        name="ambassador_type_edit",
    ),
    # Ambassador space
    path("me/programs/", mine.my_programs, name="mine"),
    path("me/programs/<int:program_id>/join", mine.join, name="join"),
    path("me/invitations/<int:invitation_id>/", mine.invitation, name="invitation"),
    path("me/enrolments/<int:enrolment_id>/charter/", mine.reaccept, name="reaccept"),
    path("me/enrolments/<int:enrolment_id>/leave", mine.leave, name="leave"),
    path("me/enrolments/<int:enrolment_id>/visibility", mine.visibility, name="visibility"),
    path(
        "me/enrolments/<int:enrolment_id>/report-consent",
        mine.report_consent,
        name="report_consent",
    ),
    path("me/enrolments/<int:enrolment_id>/review", mine.review, name="review"),
    # The link of the invitation mail
    path("invitations/<str:token>/", link.invitation_link, name="invitation_link"),
    path("invitations/<str:token>/renew", link.ask_for_new_link, name="invitation_renew"),
]
