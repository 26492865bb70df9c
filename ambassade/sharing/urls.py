from django.urls import path

from ambassade.sharing import console_views, views, views_accounts, views_composer

app_name = "sharing"

urlpatterns = [
    path("share/<int:item_id>/", views_composer.composer, name="composer"),
    path(
        "share/<int:item_id>/preview",
        views_composer.composer_preview,
        name="composer_preview",
    ),
    path("me/posts/", views.posts, name="posts"),
    path("me/posts/<int:target_id>/cancel", views.cancel, name="cancel"),
    path("me/posts/<int:target_id>/verify", views.verify, name="verify"),
    path("me/posts/<int:target_id>/delete", views.delete, name="delete"),
    path("me/posts/<int:target_id>/reschedule", views.reschedule, name="reschedule"),
    path("me/schedule/", views.schedule, name="schedule"),
    path("me/accounts/", views_accounts.accounts, name="accounts"),
    path("me/accounts/<str:code>/password", views_accounts.connect_password, name="connect"),
    path("me/accounts/<str:code>/connect", views_accounts.oauth_start, name="oauth_start"),
    path("me/accounts/<str:code>/callback", views_accounts.oauth_callback, name="oauth_callback"),
    path(
        "me/accounts/<int:account_id>/disconnect",
        views_accounts.disconnect,
        name="disconnect",
    ),
    path("console/sharing/", console_views.console, name="console"),
    path("console/sharing/pause", console_views.pause, name="pause"),
    path("console/sharing/settings/", console_views.settings_page, name="settings"),
]
