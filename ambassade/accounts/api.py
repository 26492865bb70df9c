"""The organisation's two-factor policy and one's own sessions, under /api/v1/."""

from __future__ import annotations

from datetime import datetime

from allauth.usersessions.models import UserSession
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from ambassade.accounts import actions
from ambassade.accounts.models import User
from ambassade.core.api import ApiError, ErrorResponse, permit
from ambassade.core.authz import Actor

router = Router(tags=["accounts"])


class TwoFactorPolicyOut(Schema):
    required_for_console: bool
    grace_days: int
    required_since: datetime | None
    deadline: datetime | None


class TwoFactorPolicyPatch(Schema):
    required_for_console: bool | None = None
    grace_days: int | None = Field(None, ge=0, le=actions.MAX_GRACE_DAYS)


class AccountSessionOut(Schema):
    id: int
    user_agent: str
    created_at: datetime
    last_seen_at: datetime
    current: bool


def _policy_out(policy: object) -> dict[str, object]:
    return {
        "required_for_console": policy.required_for_console,  # type: ignore[attr-defined]
        "grace_days": policy.grace_days,  # type: ignore[attr-defined]
        "required_since": policy.required_since,  # type: ignore[attr-defined]
        "deadline": policy.deadline,  # type: ignore[attr-defined]
    }


@router.get("/organisation/two-factor", response={200: TwoFactorPolicyOut, 403: ErrorResponse})
def get_two_factor_policy(request: HttpRequest) -> dict[str, object]:
    actor = permit(request, "organisation.settings")
    return _policy_out(actions.policy_for(actor.organisation))


@router.patch(
    "/organisation/two-factor",
    response={200: TwoFactorPolicyOut, 403: ErrorResponse, 422: ErrorResponse},
)
def update_two_factor_policy(
    request: HttpRequest, payload: TwoFactorPolicyPatch
) -> dict[str, object]:
    actor = permit(request, "organisation.settings")
    changes = {
        name: value for name, value in payload.dict(exclude_unset=True).items() if value is not None
    }
    return _policy_out(actions.update_two_factor_policy(actor, changes))


def _own_user(actor: Actor) -> User:
    user = actor.person.user if actor.person is not None else None
    if user is None:
        raise ApiError(403, "forbidden", "Only a person's own token or session has sessions.")
    return user


@router.get("/me/sessions", response={200: list[AccountSessionOut], 403: ErrorResponse})
def list_sessions(request: HttpRequest) -> list[dict[str, object]]:
    actor = permit(request, "sessions.view_own")
    user = _own_user(actor)
    # The session that sent this request, if the browser session authenticated it.
    current = request.session.session_key if request.user.is_authenticated else None
    return [
        {
            "id": session.pk,
            "user_agent": session.user_agent,
            "created_at": session.created_at,
            "last_seen_at": session.last_seen_at,
            "current": current is not None and session.session_key == current,
        }
        for session in sorted(
            UserSession.objects.purge_and_list(user), key=lambda found: found.created_at
        )
    ]


@router.delete(
    "/me/sessions/{session_id}",
    response={204: None, 403: ErrorResponse, 404: ErrorResponse},
)
def end_session(request: HttpRequest, session_id: int) -> Status[None]:
    actor = permit(request, "sessions.manage_own")
    actions.end_session(actor, _own_user(actor), session_id)
    return Status(204, None)
