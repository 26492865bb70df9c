from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path

from ambassade.api import api
from ambassade.core import app_views, brand
from ambassade.core import views as core_views

# The operator's admin signs in through the same protected form as everyone (rate limits,
# second factor), not through Django's own login form.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("brand/<str:colour>.css", brand.brand_css, name="brand_css"),
    # The installable app (core/app_views.py): at the root, so the worker's scope is "/".
    path("manifest.webmanifest", app_views.manifest, name="app_manifest"),
    path("sw.js", app_views.service_worker, name="service_worker"),
    path("offline", app_views.offline, name="offline"),
    path("app-icons/<str:colour>/<int:size>.png", app_views.app_icon, name="app_icon"),
    path(
        "app-icons/<str:colour>/<int:size>-maskable.png",
        app_views.app_icon,
        {"maskable": True},
        name="app_icon_maskable",
    ),
    path("accounts/", include("ambassade.accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("console/", include("ambassade.core.urls")),
    path("console/security/", include("ambassade.accounts.console_urls")),
    path("", include("ambassade.people.urls")),
    path("", include("ambassade.programs.urls")),
    path("", include("ambassade.content.urls")),
    path("", include("ambassade.tracking.urls")),
    path("", include("ambassade.tracking.public_urls")),
    path("", include("ambassade.sharing.urls")),
    path("", include("ambassade.analytics.urls")),
    path("", include("ambassade.contributions.urls")),
    path("", include("ambassade.push.urls")),
    path("", include("ambassade.webhooks.urls")),
    path("", include("ambassade.chat_channels.urls")),
    path("", include("ambassade.notifications.urls")),
    path("", include("ambassade.digests.urls")),
    path("", include("ambassade.learning.urls")),
    path("", include("ambassade.incidents.urls")),
    path("", include("ambassade.coaching.urls")),
    path("", include("ambassade.delegation.urls")),
    path("", include("ambassade.recognition.urls")),
    path("", include("ambassade.referrals.urls")),
    path("", include("ambassade.alumni.urls")),
    path("", include("ambassade.autopilot.urls")),
    path("", include("ambassade.crisis.urls")),
    path("", include("ambassade.identity.urls")),
    path("", include("ambassade.provisioning.urls")),
    path("", include("ambassade.field.urls")),
    path("scim/v2/", include("ambassade.provisioning.scim_urls")),
    path("api/v1/", api.urls),
    path("operator/", admin.site.urls),
]

handler400 = "ambassade.core.errors.bad_request"
handler404 = "ambassade.core.errors.not_found"
handler403 = "ambassade.core.errors.forbidden"
handler500 = "ambassade.core.errors.server_error"

if settings.SERVE_MEDIA:
    # Uploaded and fetched images (content previews). The embedded default serves them
    # itself; a production reverse proxy may serve DATA_DIR/media/ and set SERVE_MEDIA=false.
    # Names are content hashes, so they cannot be guessed or enumerated.
    urlpatterns.append(re_path(r"^media/(?P<path>.+)$", core_views.media, name="media"))
