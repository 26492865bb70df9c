"""The HTTP API, /api/v1/, with its OpenAPI document at /api/v1/openapi.json."""

from __future__ import annotations

import ambassade
from ambassade.core.api import BrowserSessionAuth, TokenAuth, install_error_handlers
from ambassade.core.api_document import AmbassadeAPI
from ambassade.core.api_input import StrictJsonParser
from ambassade.core.api_routes import router as core_router
from ambassade.people.api import router as people_router
from ambassade.programs.api import router as programs_router
from ambassade.tracking.api import router as tracking_router

api = AmbassadeAPI(
    title="Ambassade API",
    version=f"1 ({ambassade.__version__})",
    description=(
        "Every operation of the pages is also here. Authenticate with "
        "`Authorization: Bearer <token>` (personal or organisation token, created on the "
        "API tokens page) or with the browser session. Errors always have the shape "
        '`{"error": {"code", "message", "details"}}`. Request bodies are JSON objects '
        "(`Content-Type: application/json`, at most 2.5 MB; 413 beyond, 415 for another "
        "type); unknown fields are refused; text holds no NUL character; date-times without "
        "an offset are read in the organisation's time zone. Lists are paged "
        "(`page` from 1 to 1,000,000, `page_size` up to 200)."
    ),
    auth=[TokenAuth(), BrowserSessionAuth(csrf=True)],
    urls_namespace="api",
    # Swagger UI would load from a CDN, which our Content-Security-Policy forbids.
    docs_url=None,
    parser=StrictJsonParser(),
)
install_error_handlers(api)
api.add_router("/", core_router)
api.add_router("/", people_router)
api.add_router("/", programs_router)
api.add_router("/", tracking_router)
api.add_router("/", "ambassade.content.api.router")
api.add_router("/", "ambassade.sharing.api.router")
api.add_router("/", "ambassade.analytics.api.router")
api.add_router("/", "ambassade.contributions.api.router")
api.add_router("/", "ambassade.notifications.api.router")
api.add_router("/", "ambassade.digests.api.router")
api.add_router("/", "ambassade.learning.api.router")
api.add_router("/", "ambassade.incidents.api.router")
api.add_router("/", "ambassade.analytics.settings_api.router")
api.add_router("/", "ambassade.accounts.api.router")
api.add_router("/", "ambassade.push.api.router")
api.add_router("/", "ambassade.webhooks.api.router")
api.add_router("/", "ambassade.chat_channels.api.router")
api.add_router("/", "ambassade.coaching.api.router")
api.add_router("/", "ambassade.coaching.api_manage.router")
api.add_router("/", "ambassade.delegation.api.router")
api.add_router("/recognition/", "ambassade.recognition.api.router")
api.add_router("/", "ambassade.crisis.api.router")
api.add_router("/", "ambassade.provisioning.api.router")
api.add_router("/", "ambassade.field.api.router")
api.add_router("/", "ambassade.referrals.api.router")
api.add_router("/", "ambassade.alumni.api.router")
api.add_router("/autopilot/", "ambassade.autopilot.api.router")
