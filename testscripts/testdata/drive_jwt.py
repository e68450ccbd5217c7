"""Drive the JWT auth routes of a running fastman project over HTTP.

Usage: python drive_jwt.py BASE_URL   (for example http://127.0.0.1:8765)

The script waits up to 30 seconds for GET /health, then runs register, login,
me, refresh, refresh-token reuse and logout against the server. It prints one
line per step and exits with status 1 at the first unexpected response, or 2
for a usage error. It uses only the standard library.
"""

import json
import secrets
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from email.message import Message
from typing import Any

HEALTH_TIMEOUT_SECONDS = 30
REQUEST_TIMEOUT_SECONDS = 10
PASSWORD = secrets.token_urlsafe(16)


class StepError(Exception):
    """An HTTP response did not match what the step expects."""


class Response:
    def __init__(self, status: int, body: bytes, headers: Message) -> None:
        self.status = status
        self.body = body
        self.headers = headers

    def json(self) -> Any:
        try:
            return json.loads(self.body)
        except ValueError as error:
            raise StepError(f"response body is not JSON: {self.body!r}") from error


class Client:
    def __init__(self, base_url: str) -> None:
        self.base_url = base_url.rstrip("/")
        # No proxy handler, so requests go straight to base_url even when
        # HTTP_PROXY is set in the environment.
        self.opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

    def request(
        self,
        method: str,
        path: str,
        *,
        json_body: Any = None,
        form: dict[str, str] | None = None,
        token: str | None = None,
    ) -> Response:
        headers = {"Accept": "application/json"}
        data = None
        if json_body is not None:
            data = json.dumps(json_body).encode()
            headers["Content-Type"] = "application/json"
        elif form is not None:
            data = urllib.parse.urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"

        request = urllib.request.Request(
            self.base_url + path, data=data, headers=headers, method=method
        )
        try:
            with self.opener.open(request, timeout=REQUEST_TIMEOUT_SECONDS) as reply:
                return Response(reply.status, reply.read(), reply.headers)
        except urllib.error.HTTPError as error:
            # urllib raises HTTPError for 4xx and 5xx responses, which the steps
            # check like any other response.
            with error:
                return Response(error.code, error.read(), error.headers)


def expect_status(response: Response, expected: int, step: str) -> None:
    if response.status != expected:
        raise StepError(
            f"{step}: expected HTTP {expected}, got {response.status} "
            f"with body {response.body[:500]!r}"
        )


def expect_token_pair(body: Any, step: str) -> None:
    for field in ("access_token", "refresh_token"):
        if not isinstance(body.get(field), str) or body[field].count(".") != 2:
            raise StepError(f"{step}: {field} is missing or not a JWT in {body!r}")
    if body.get("token_type") != "bearer":
        raise StepError(f"{step}: expected token_type 'bearer' in {body!r}")


def expect_unauthorized(response: Response, step: str) -> None:
    expect_status(response, 401, step)
    if response.headers.get("WWW-Authenticate", "").lower() != "bearer":
        raise StepError(f"{step}: 401 without 'WWW-Authenticate: Bearer' header")


def wait_for_health(client: Client) -> None:
    deadline = time.monotonic() + HEALTH_TIMEOUT_SECONDS
    last_error = "no response"
    while time.monotonic() < deadline:
        try:
            response = client.request("GET", "/health")
        except (urllib.error.URLError, OSError) as error:
            last_error = str(error)
        else:
            if response.status == 200 and response.json() == {"status": "ok"}:
                return
            last_error = f"HTTP {response.status} with body {response.body[:200]!r}"
        time.sleep(0.5)
    raise StepError(
        f"health: {client.base_url}/health did not return 200 "
        f'{{"status": "ok"}} within {HEALTH_TIMEOUT_SECONDS} s (last: {last_error})'
    )


def run(client: Client) -> None:
    wait_for_health(client)
    print("ok   health: GET /health returned 200")

    # Mixed case checks that the server stores the email lowercased.
    email = f"Drive-{uuid.uuid4().hex[:12]}@Example.com"
    response = client.request(
        "POST", "/auth/register", json_body={"email": email, "password": PASSWORD}
    )
    expect_status(response, 201, "register")
    user = response.json()
    if user.get("email") != email.lower():
        raise StepError(f"register: expected email {email.lower()!r} in {user!r}")
    if "password" in user or "hashed_password" in user:
        raise StepError(f"register: response exposes the password: {user!r}")
    print(f"ok   register: created user {user['id']} <{user['email']}>")

    response = client.request(
        "POST", "/auth/login", form={"username": email, "password": PASSWORD}
    )
    expect_status(response, 200, "login")
    first_pair = response.json()
    expect_token_pair(first_pair, "login")
    print("ok   login: form login returned an access and a refresh token")

    response = client.request("GET", "/auth/me", token=first_pair["access_token"])
    expect_status(response, 200, "me")
    if response.json().get("email") != user["email"]:
        raise StepError(f"me: expected {user['email']!r}, got {response.json()!r}")
    print("ok   me: GET /auth/me returned the registered user")

    response = client.request(
        "POST",
        "/auth/refresh",
        json_body={"refresh_token": first_pair["refresh_token"]},
    )
    expect_status(response, 200, "refresh")
    second_pair = response.json()
    expect_token_pair(second_pair, "refresh")
    if second_pair["refresh_token"] == first_pair["refresh_token"]:
        raise StepError("refresh: the refresh token was not rotated")
    print("ok   refresh: returned a new token pair with a rotated refresh token")

    response = client.request("GET", "/auth/me", token=second_pair["access_token"])
    expect_status(response, 200, "me after refresh")
    if response.json().get("email") != user["email"]:
        raise StepError(f"me after refresh: got {response.json()!r}")
    print("ok   me after refresh: the new access token works")

    response = client.request(
        "POST",
        "/auth/refresh",
        json_body={"refresh_token": first_pair["refresh_token"]},
    )
    expect_unauthorized(response, "refresh reuse")
    print("ok   refresh reuse: the used refresh token was rejected with 401")

    response = client.request(
        "POST",
        "/auth/refresh",
        json_body={"refresh_token": second_pair["refresh_token"]},
    )
    expect_unauthorized(response, "family revoked")
    print("ok   family revoked: the successor refresh token was rejected with 401")

    # The family is revoked, so log in again to get a live refresh token.
    response = client.request(
        "POST", "/auth/login", form={"username": email, "password": PASSWORD}
    )
    expect_status(response, 200, "login again")
    third_pair = response.json()
    expect_token_pair(third_pair, "login again")

    response = client.request(
        "POST", "/auth/logout", json_body={"refresh_token": third_pair["refresh_token"]}
    )
    expect_status(response, 204, "logout")
    if response.body:
        raise StepError(f"logout: expected an empty body, got {response.body!r}")
    response = client.request(
        "POST",
        "/auth/refresh",
        json_body={"refresh_token": third_pair["refresh_token"]},
    )
    expect_unauthorized(response, "refresh after logout")
    print("ok   logout: returned 204 and the refresh token no longer works")


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(f"usage: {argv[0]} BASE_URL", file=sys.stderr)
        return 2
    base_url = argv[1]
    if urllib.parse.urlsplit(base_url).scheme not in ("http", "https"):
        print(
            f"invalid BASE_URL {base_url!r}: expected an http:// or https:// URL",
            file=sys.stderr,
        )
        return 2

    try:
        run(Client(base_url))
    except StepError as error:
        print(f"FAIL {error}", file=sys.stderr)
        return 1
    except (urllib.error.URLError, OSError) as error:
        print(f"FAIL request to {base_url} failed: {error}", file=sys.stderr)
        return 1
    print("PASS all steps")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
