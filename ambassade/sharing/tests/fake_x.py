"""A local X API that keeps tokens as X does: access tokens that expire, refresh tokens
that work once (spent when the request arrives), posts, timelines and metrics.

    with local_x(monkeypatch) as x:
        account = x.account(person)            # connected, its access token expired
        ...
        x.refreshes, x.refused_refreshes, x.tweets
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from ambassade.sharing import crypto
from ambassade.sharing.models import NetworkApp, SocialAccount
from ambassade.sharing.networks import x as x_module
from ambassade.sharing.networks.base import Credentials
from ambassade.sharing.tests.networks.fake_api import FakeApi, Recorded, Reply, fake_api

USER_ID = "2244994945"


@dataclass
class LocalX:
    api: FakeApi
    refresh_delay: float = 0.3
    valid_access: set[str] = field(default_factory=set)
    valid_refresh: set[str] = field(default_factory=set)
    tweets: list[dict[str, Any]] = field(default_factory=list)
    refreshes: int = 0
    refused_refreshes: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    numbers: Any = field(default_factory=lambda: itertools.count(1))

    def _authorised(self, request: Recorded) -> bool:
        token = (request.header("Authorization") or "").removeprefix("Bearer ")
        return token in self.valid_access

    def token(self, request: Recorded) -> Reply:
        spent = request.form().get("refresh_token", "")
        with self.lock:
            known = spent in self.valid_refresh
            self.valid_refresh.discard(spent)  # single use, from the moment it arrives
            if not known:
                self.refused_refreshes += 1
                return Reply(400, {"error": "invalid_request", "error_description": "spent"})
            self.refreshes += 1
            number = next(self.numbers)
            access, refresh = f"acc-{number}", f"ref-{number}"
            self.valid_access.add(access)
            self.valid_refresh.add(refresh)
        body = {"access_token": access, "refresh_token": refresh, "expires_in": 7200}
        return Reply(200, body, delay=self.refresh_delay)

    def me(self, request: Recorded) -> Reply:
        if not self._authorised(request):
            return Reply(401, {"title": "Unauthorized", "detail": "Unauthorized", "status": 401})
        metrics = {"followers_count": 5120, "following_count": 1, "post_count": 3}
        body = {"id": USER_ID, "name": "Alice", "username": "alice", "public_metrics": metrics}
        return Reply(200, {"data": body})

    def post(self, request: Recorded) -> Reply:
        if not self._authorised(request):
            return Reply(401, {"title": "Unauthorized", "detail": "Unauthorized", "status": 401})
        tweet = {"id": str(1445880548472328192 + len(self.tweets)), "text": request.json()["text"]}
        self.tweets.append(tweet)
        return Reply(201, {"data": tweet})

    def tweet(self, request: Recorded) -> Reply:
        if not self._authorised(request):
            return Reply(401, {"title": "Unauthorized", "detail": "Unauthorized", "status": 401})
        counts = {"like_count": 17, "repost_count": 4, "reply_count": 2, "impression_count": 900}
        tweet_id = request.path.rsplit("/", 1)[-1]
        return Reply(200, {"data": {"id": tweet_id, "text": "…", "public_metrics": counts}})

    def account(self, person: Any, *, expired: bool = True) -> SocialAccount:
        """A connected X account whose stored access token has expired (or not)."""
        self.valid_refresh.add("ref-0")
        if not expired:
            self.valid_access.add("acc-0")
        found = SocialAccount(
            organisation=person.organisation,
            person=person,
            network="x",
            remote_id=USER_ID,
            handle="@alice",
        )
        found.store(
            Credentials(
                secrets={"access_token": "acc-0", "refresh_token": "ref-0", "user_id": USER_ID},
                expires_at=datetime.now(UTC) + (timedelta(hours=-1 if expired else 2)),
            )
        )
        found.save()
        return found


@contextmanager
def local_x(monkeypatch: Any, settings: Any, organisation: Any) -> Iterator[LocalX]:
    NetworkApp.objects.get_or_create(
        organisation=organisation,
        network="x",
        defaults={
            "client_id": "client",
            "client_secret": crypto.encrypt({"client_secret": "secret"}),
        },
    )
    with fake_api() as api:
        monkeypatch.setattr(x_module, "API_BASE", api.url)
        served = LocalX(api)
        api.on("POST", "/2/oauth2/token", served.token)
        api.on("GET", "/2/users/me", served.me)
        api.on("POST", "/2/tweets", served.post)
        yield served


def route_tweet(served: LocalX, tweet_id: str) -> None:
    served.api.on("GET", f"/2/tweets/{tweet_id}", served.tweet)
