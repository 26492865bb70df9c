from django.urls import path

from ambassade.coaching import ambassador_views, console_views

app_name = "coaching"

urlpatterns = [
    path("me/coach/", ambassador_views.my_coach, name="mine"),
    path("me/coach/questions/<int:question_id>/", ambassador_views.thread, name="thread"),
    path("me/profile-checklist/", ambassador_views.profile_checklist, name="checklist"),
    path("coaching/questions/<int:question_id>/close", ambassador_views.close, name="close"),
    path(
        "coaching/questions/<int:question_id>/screenshot",
        ambassador_views.screenshot,
        name="screenshot",
    ),
    path("console/coaching/", console_views.coach_home, name="coach_home"),
    path(
        "console/coaching/questions/<int:question_id>/",
        console_views.coach_thread,
        name="coach_thread",
    ),
    path("console/coaching/reviews/<int:review_id>/", console_views.coach_review, name="review"),
    path("console/coaching/assignments/", console_views.assignments, name="assignments"),
    path(
        "console/coaching/assignments/<int:ambassador_id>/remove",
        console_views.unassign,
        name="unassign",
    ),
    path(
        "console/coaching/coaches/<int:coach_id>/capacity",
        console_views.capacity,
        name="capacity",
    ),
    path("console/coaching/overview/", console_views.overview, name="overview"),
    path("console/coaching/checklist/", console_views.explanations, name="explanations"),
]
