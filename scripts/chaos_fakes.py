"""Fake Mastodon, X and Bluesky servers on 127.0.0.1 that misbehave, for chaos_publishing.py.

Each fake answers the calls the network modules of ``ambassade/sharing/networks/`` make,
in the networks' own formats, and at random (once ``chaos`` is on):

- answers slowly, but within the client's time limit;
- *accepts* a post, then answers only after the client has given up (an uncertain
  outcome: the post exists, the client cannot know);
- fails before accepting (HTTP 503), or rate-limits (HTTP 429 with the network's reset
  header, a few seconds ahead);
- expires access tokens after ``token_ttl`` seconds (X: HTTP 401, Bluesky:
  ``ExpiredToken``); X refresh tokens are single-use, as on X.

Network semantics kept on purpose: Mastodon remembers an ``Idempotency-Key`` only once
the first request with it has *finished* (a repeat while it is still running creates a
second status); X has no idempotency key and its timeline shows a post only
``read_lag`` seconds after it was created; a Bluesky record key can be created once.

Every accepted post is recorded with the tracked-link code found in its text (one per
share target), so duplicates and lost posts can be counted.
"""

from __future__ import annotations

import html
import json
import random
import re
import secrets
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

LINK_CODE = re.compile(r"/r/([A-Za-z0-9]{7,16})")
LINK = re.compile(r"https?://\S+/r/[A-Za-z0-9]{7,16}")


@dataclass
class Faults:
    """Probabilities per request (once ``chaos`` is on) and timings, in seconds."""

    client_timeout: float = 2.0  # OUTBOUND_TIMEOUT_SECONDS given to the workers
    slow: float = 0.10
    accept_then_hang: float = 0.04
    error: float = 0.03
    rate_limit: float = 0.03
    token_ttl: float = 60.0
    read_lag: float = 3.0  # X's timeline


@dataclass
class Accepted:
    network: str
    account: str  # the network's account id
    ref: str  # the tracked-link code in the text: one per share target
    key: str  # idempotency key or record key, when the network has one
    received: float  # epoch seconds: when the request arrived
    remote_id: str


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        try:
            return json.loads(self.body or b"null")
        except ValueError:
            return None

    def form(self) -> dict[str, str]:
        return {key: values[0] for key, values in parse_qs(self.body.decode()).items()}

    def bearer(self) -> str:
        value = self.headers.get("authorization", "")
        return value[7:] if value.startswith("Bearer ") else ""


@dataclass
class Answer:
    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # sleep before answering
    after: Any = None  # called once the answer is written (or the client gave up)


class Fake:
    """What the three fakes share: chaos switch, random faults, tokens, the record."""

    network = ""

    def __init__(self, faults: Faults, seed: int) -> None:
        self.faults = faults
        self.random = random.Random(seed)
        self.lock = threading.RLock()
        self.chaos = False
        self.accepted: list[Accepted] = []
        self.tokens: dict[str, tuple[str, float]] = {}  # access token -> (account, expiry)
        self.counts: dict[str, int] = {}
        self.url = ""
        self._server: ThreadingHTTPServer | None = None

    # -- helpers ------------------------------------------------------------------------

    def count(self, what: str) -> None:
        with self.lock:
            self.counts[what] = self.counts.get(what, 0) + 1

    def roll(self, probability: float) -> bool:
        if not self.chaos:
            return False
        with self.lock:
            return self.random.random() < probability

    def slow_delay(self) -> float:
        if self.roll(self.faults.slow):
            self.count("slow answers")
            return self.random.uniform(0.3, max(0.4, self.faults.client_timeout * 0.7))
        return 0.0

    def issue(self, account: str, ttl: float | None = None) -> str:
        token = secrets.token_urlsafe(16)
        lifetime = self.faults.token_ttl if ttl is None else ttl
        with self.lock:
            self.tokens[token] = (account, time.time() + lifetime)
        return token

    def token_account(self, request: Request) -> tuple[str | None, bool]:
        """(account, expired) of the request's bearer token; (None, False) if unknown."""
        found = self.tokens.get(request.bearer())
        if found is None:
            return None, False
        account, expiry = found
        return account, time.time() >= expiry

    def record(self, account: str, text: str, key: str, received: float, remote_id: str) -> None:
        found = LINK_CODE.search(text)
        with self.lock:
            self.accepted.append(
                Accepted(
                    self.network, account, found.group(1) if found else "", key, received, remote_id
                )
            )

    def chaos_before_write(self) -> Answer | None:
        """A refusal before anything is created, or None."""
        if self.roll(self.faults.rate_limit):
            self.count("rate limited")
            return self.rate_limited(self.random.uniform(3, 12))
        if self.roll(self.faults.error):
            self.count("errors 503")
            return Answer(503, {"error": "Service Unavailable"})
        return None

    def hang(self) -> float:
        """Past the client's time limit, when this accepted write is to end uncertain."""
        if self.roll(self.faults.accept_then_hang):
            self.count("accepted then timed out")
            return self.faults.client_timeout + 1.5
        return self.slow_delay()

    def rate_limited(self, seconds: float) -> Answer:
        raise NotImplementedError

    def handle(self, request: Request) -> Answer:
        raise NotImplementedError

    # -- serving ------------------------------------------------------------------------

    def start(self) -> str:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def _serve(self) -> None:
                received = time.time()
                length = int(self.headers.get("Content-Length") or 0)
                parts = urlsplit(self.path)
                request = Request(
                    self.command,
                    parts.path,
                    {k: v[0] for k, v in parse_qs(parts.query).items()},
                    {k.lower(): v for k, v in self.headers.items()},
                    self.rfile.read(length),
                )
                request.headers["x-received"] = str(received)
                try:
                    answer = fake.handle(request)
                except Exception as error:  # a bug of the fake must be visible, not fatal
                    fake.count(f"fake error {type(error).__name__}")
                    answer = Answer(500, {"error": "fake failed"})
                if answer.delay:
                    time.sleep(answer.delay)
                body = b"" if answer.body is None else json.dumps(answer.body).encode()
                try:
                    self.send_response(answer.status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    for name, value in answer.headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up: that was the point
                finally:
                    if answer.after is not None:
                        answer.after()

            do_GET = do_POST = _serve

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, args=(0.1,), daemon=True).start()
        self._server = server
        self.url = f"http://127.0.0.1:{server.server_address[1]}"
        return self.url

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None


def _iso(moment: float) -> str:
    return datetime.fromtimestamp(moment, UTC).isoformat(timespec="milliseconds")


class FakeMastodon(Fake):
    network = "mastodon"

    def __init__(self, faults: Faults, seed: int) -> None:
        super().__init__(faults, seed)
        self.statuses: dict[str, list[dict[str, Any]]] = {}  # account -> statuses, newest last
        self.keys: dict[tuple[str, str], dict[str, Any]] = {}  # finished (account, key)
        self.next_id = 100000

    def rate_limited(self, seconds: float) -> Answer:
        reset = datetime.now(UTC) + timedelta(seconds=seconds)
        return Answer(429, {"error": "Too many requests"}, {"X-RateLimit-Reset": reset.isoformat()})

    def connect(self, account: str) -> str:
        """A token for this account; Mastodon tokens do not expire."""
        self.statuses.setdefault(account, [])
        return self.issue(account, ttl=10**9)

    def handle(self, request: Request) -> Answer:
        account, _expired = self.token_account(request)
        if account is None:
            return Answer(401, {"error": "The access token is invalid"})
        path = request.path
        if path == "/api/v1/accounts/verify_credentials":
            return Answer(
                200,
                {
                    "id": account,
                    "username": f"u{account}",
                    "acct": f"u{account}",
                    "followers_count": 100 + int(account) % 50,
                },
                delay=self.slow_delay(),
            )
        refused = self.chaos_before_write() if self.chaos else None
        if refused is not None:
            return refused
        if path == "/api/v1/statuses" and request.method == "POST":
            return self._post(account, request)
        listing = re.fullmatch(r"/api/v1/accounts/([^/]+)/statuses", path)
        if listing:
            limit = min(int(request.query.get("limit", "20") or 20), 40)
            with self.lock:
                found = list(reversed(self.statuses.get(listing.group(1), [])))[:limit]
            return Answer(200, found, delay=self.slow_delay())
        one = re.fullmatch(r"/api/v1/statuses/([^/]+)", path)
        if one:
            with self.lock:
                found = [s for s in self.statuses.get(account, []) if s["id"] == one.group(1)]
            if found:
                return Answer(200, found[0], delay=self.slow_delay())
            return Answer(404, {"error": "Record not found"})
        if path == "/api/v2/instance":
            return Answer(
                200,
                {
                    "configuration": {
                        "statuses": {"max_characters": 500, "characters_reserved_per_url": 23}
                    }
                },
            )
        return Answer(404, {"error": f"no fake route {request.method} {path}"})

    def _post(self, account: str, request: Request) -> Answer:
        payload = request.json() or {}
        key = request.headers.get("idempotency-key", "")
        with self.lock:
            done = self.keys.get((account, key)) if key else None
        if done is not None:  # a repeat after the first request finished: the same status
            self.count("idempotent repeats")
            return Answer(200, done, delay=self.slow_delay())
        with self.lock:
            self.next_id += 1
            status_id = str(self.next_id)
        text = str(payload.get("status", ""))
        status = {
            "id": status_id,
            "uri": f"{self.url}/users/u{account}/statuses/{status_id}",
            "url": f"{self.url}/@u{account}/{status_id}",
            "created_at": _iso(time.time()),
            "content": "<p>" + html.escape(text).replace("\n", "<br>") + "</p>",
            "visibility": "public",
            "favourites_count": 0,
            "reblogs_count": 0,
            "replies_count": 0,
        }
        with self.lock:
            self.statuses.setdefault(account, []).append(status)
        self.record(account, text, key, float(request.headers["x-received"]), status_id)

        def finished() -> None:  # Mastodon stores the key once the request is over
            if key:
                with self.lock:
                    self.keys[(account, key)] = status

        return Answer(200, status, delay=self.hang(), after=finished)


class FakeX(Fake):
    network = "x"

    def __init__(self, faults: Faults, seed: int) -> None:
        super().__init__(faults, seed)
        self.refresh_tokens: dict[str, str] = {}  # valid refresh token -> account
        # What each used refresh token was exchanged for, and which access tokens came
        # back in use: a grant neither of whose tokens was ever seen again was lost by a
        # client that died between X's rotation and storing it (see lost_in_flight).
        self.rotated: dict[str, tuple[str, str]] = {}  # old refresh -> (new refresh, access)
        self.used_access: set[str] = set()
        self.lost_in_flight: set[str] = set()  # accounts
        self.tweets: dict[str, list[dict[str, Any]]] = {}
        self.next_id = 1800000000000000000

    def rate_limited(self, seconds: float) -> Answer:
        return Answer(
            429,
            {"title": "Too Many Requests", "detail": "Too Many Requests"},
            {"x-rate-limit-reset": str(int(time.time() + seconds) + 1)},
        )

    def connect(self, account: str) -> dict[str, Any]:
        self.tweets.setdefault(account, [])
        return self._grant(account)

    def _grant(self, account: str) -> dict[str, Any]:
        refresh = secrets.token_urlsafe(16)
        with self.lock:
            self.refresh_tokens[refresh] = account
        return {
            "token_type": "bearer",
            "access_token": self.issue(account),
            "refresh_token": refresh,
            "expires_in": int(self.faults.token_ttl),
            "scope": "tweet.read tweet.write users.read offline.access",
        }

    def _lost_in_flight(self, presented: str) -> None:
        """A refresh token used again whose answer was never used: the client lost it."""
        with self.lock:
            new_refresh, access = self.rotated.get(presented, ("", ""))
            account = self.refresh_tokens.get(new_refresh)
            if account is not None and access not in self.used_access:
                self.lost_in_flight.add(account)
                what = "grants lost by the client (answer never used)"
                self.counts[what] = self.counts.get(what, 0) + 1

    def handle(self, request: Request) -> Answer:
        if request.path == "/2/oauth2/token":
            form = request.form()
            presented = form.get("refresh_token", "")
            with self.lock:  # single use: the old refresh token stops working at once
                account = self.refresh_tokens.pop(presented, None)
            if account is None:
                self.count("refused refresh tokens")
                self._lost_in_flight(presented)
                return Answer(
                    400,
                    {
                        "error": "invalid_request",
                        "error_description": "Value passed for the token was invalid.",
                    },
                )
            self.count("token refreshes")
            grant = self._grant(account)
            with self.lock:
                self.rotated[presented] = (grant["refresh_token"], grant["access_token"])
            return Answer(200, grant, delay=self.slow_delay())
        account, expired = self.token_account(request)
        if account is not None:
            with self.lock:
                self.used_access.add(request.bearer())
        if account is None or expired:
            if expired:
                self.count("expired tokens seen")
            return Answer(
                401,
                {
                    "title": "Unauthorized",
                    "type": "about:blank",
                    "status": 401,
                    "detail": "Unauthorized",
                },
            )
        if request.path == "/2/users/me":
            return Answer(
                200,
                {
                    "data": {
                        "id": account,
                        "name": f"U {account}",
                        "username": f"u{account}",
                        "public_metrics": {"followers_count": 200},
                    }
                },
                delay=self.slow_delay(),
            )
        refused = self.chaos_before_write()
        if refused is not None:
            return refused
        if request.path == "/2/tweets" and request.method == "POST":
            return self._post(account, request)
        timeline = re.fullmatch(r"/2/users/([0-9]+)/tweets", request.path)
        if timeline:
            shown_before = time.time() - self.faults.read_lag
            limit = min(int(request.query.get("max_results", "10") or 10), 100)
            with self.lock:
                shown = [
                    t
                    for t in self.tweets.get(timeline.group(1), [])
                    if t["_created"] <= shown_before
                ]
            data = [{k: v for k, v in t.items() if not k.startswith("_")} for t in reversed(shown)][
                :limit
            ]
            return Answer(
                200,
                {"data": data, "meta": {"result_count": len(data)}}
                if data
                else {"meta": {"result_count": 0}},
                delay=self.slow_delay(),
            )
        one = re.fullmatch(r"/2/tweets/([0-9]+)", request.path)
        if one:
            return Answer(
                200,
                {
                    "data": {
                        "id": one.group(1),
                        "text": "",
                        "public_metrics": {
                            "like_count": 1,
                            "retweet_count": 0,
                            "reply_count": 0,
                            "impression_count": 10,
                        },
                    }
                },
                delay=self.slow_delay(),
            )
        return Answer(404, {"title": "Not Found", "detail": f"no fake route {request.path}"})

    def _post(self, account: str, request: Request) -> Answer:
        text = str((request.json() or {}).get("text", ""))
        with self.lock:
            self.next_id += 1
            tweet_id = str(self.next_id)
        links = LINK.findall(text)
        shown = text
        urls = []
        for number, link in enumerate(links):  # X rewrites links to t.co
            short = f"https://t.co/{tweet_id[-6:]}{number}"
            shown = shown.replace(link, short)
            urls.append({"url": short, "expanded_url": link, "display_url": link[:20]})
        tweet = {
            "id": tweet_id,
            "text": html.escape(shown, quote=False),
            "created_at": _iso(time.time()),
            "entities": {"urls": urls},
            "_created": time.time(),
        }
        with self.lock:
            self.tweets.setdefault(account, []).append(tweet)
        self.record(account, text, "", float(request.headers["x-received"]), tweet_id)
        return Answer(201, {"data": {"id": tweet_id, "text": tweet["text"]}}, delay=self.hang())


class FakeBluesky(Fake):
    """A PDS: sessions from an app password, records with caller-chosen keys."""

    network = "bluesky"

    def __init__(self, faults: Faults, seed: int) -> None:
        super().__init__(faults, seed)
        self.passwords: dict[str, str] = {}  # did or handle -> app password
        self.refresh_tokens: dict[str, str] = {}
        self.records: dict[tuple[str, str], dict[str, Any]] = {}  # (did, rkey)

    def rate_limited(self, seconds: float) -> Answer:
        return Answer(
            429,
            {"error": "RateLimitExceeded", "message": "Rate Limit Exceeded"},
            {"ratelimit-reset": str(int(time.time() + seconds) + 1)},
        )

    def connect(self, account: str) -> tuple[str, str]:
        """(handle, app password) the person types to connect."""
        handle = f"u{account}.test"
        password = secrets.token_urlsafe(12)
        self.passwords[f"did:plc:{account}"] = password
        self.passwords[handle] = password
        return handle, password

    def _session(self, did: str) -> dict[str, Any]:
        refresh = secrets.token_urlsafe(16)
        with self.lock:
            self.refresh_tokens[refresh] = did
        return {
            "did": did,
            "handle": f"u{did.rsplit(':', 1)[-1]}.test",
            "accessJwt": self.issue(did),
            "refreshJwt": refresh,
            "active": True,
        }

    def handle(self, request: Request) -> Answer:
        nsid = request.path.removeprefix("/xrpc/")
        if nsid == "com.atproto.server.createSession":
            body = request.json() or {}
            identifier = str(body.get("identifier", ""))
            if not self.passwords.get(identifier) or self.passwords[identifier] != body.get(
                "password"
            ):
                return Answer(
                    401,
                    {
                        "error": "AuthenticationRequired",
                        "message": "Invalid identifier or password",
                    },
                )
            did = (
                identifier
                if identifier.startswith("did:")
                else ("did:plc:" + identifier.removeprefix("u").removesuffix(".test"))
            )
            return Answer(200, self._session(did))
        if nsid == "com.atproto.server.refreshSession":
            did = self.refresh_tokens.get(request.bearer())
            if did is None:
                return Answer(400, {"error": "ExpiredToken", "message": "Token has expired"})
            self.count("token refreshes")
            return Answer(200, self._session(did), delay=self.slow_delay())
        did, expired = self.token_account(request)
        if did is None:
            return Answer(401, {"error": "AuthenticationRequired", "message": "Invalid token"})
        if expired:
            self.count("expired tokens seen")
            return Answer(400, {"error": "ExpiredToken", "message": "Token has expired"})
        if nsid == "app.bsky.actor.getProfile":
            return Answer(200, {"did": did, "handle": "x.test", "followersCount": 300})
        refused = self.chaos_before_write()
        if refused is not None:
            return refused
        if nsid == "com.atproto.repo.createRecord":
            return self._create(did, request)
        if nsid == "com.atproto.repo.getRecord":
            with self.lock:
                found = self.records.get(
                    (request.query.get("repo", ""), request.query.get("rkey", ""))
                )
            if found is None:
                return Answer(
                    400, {"error": "RecordNotFound", "message": "Could not locate record"}
                )
            return Answer(200, found, delay=self.slow_delay())
        if nsid == "app.bsky.feed.getPosts":
            return Answer(
                200,
                {
                    "posts": [
                        {
                            "uri": request.query.get("uris", ""),
                            "likeCount": 2,
                            "repostCount": 0,
                            "replyCount": 0,
                        }
                    ]
                },
            )
        return Answer(501, {"error": "MethodNotImplemented", "message": nsid})

    def _create(self, did: str, request: Request) -> Answer:
        body = request.json() or {}
        rkey = str(body.get("rkey", "")) or secrets.token_hex(6)
        uri = f"at://{did}/app.bsky.feed.post/{rkey}"
        record = {"uri": uri, "cid": "bafy" + rkey, "value": body.get("record") or {}}
        with self.lock:
            exists = (did, rkey) in self.records
            if not exists:
                self.records[(did, rkey)] = record
        if exists:  # the reference PDS answers 500 to a second record with the same key
            self.count("second createRecord refused")
            return Answer(500, {"error": "InternalServerError", "message": "Internal Server Error"})
        text = str((body.get("record") or {}).get("text", ""))
        self.record(did, text, rkey, float(request.headers["x-received"]), uri)
        return Answer(200, {"uri": uri, "cid": record["cid"]}, delay=self.hang())
