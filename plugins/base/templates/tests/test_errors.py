"""Tests of the validation error responses, on a route that mimics a login."""

from collections.abc import Iterator

import httpx2
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import BaseModel, ConfigDict, Field

from app.main import app

PASSWORD = "hunter2"


class Credentials(BaseModel):
    model_config = ConfigDict(extra="forbid")

    username: str
    password: str = Field(min_length=8)


@pytest.fixture
def credentials_client() -> Iterator[TestClient]:
    """Yield a client for an app with one JSON route and the app's error handlers."""
    credentials_app = FastAPI(exception_handlers=app.exception_handlers)

    @credentials_app.post("/credentials", status_code=204)
    def accept_credentials(credentials: Credentials) -> None:
        pass

    with TestClient(credentials_app) as client:
        yield client


def post_json(client: TestClient, body: str) -> httpx2.Response:
    return client.post(
        "/credentials",
        content=body.encode(),
        headers={"Content-Type": "application/json"},
    )


def test_validation_error_omits_input(credentials_client: TestClient) -> None:
    response = credentials_client.post(
        "/credentials", json={"username": "alice", "password": PASSWORD}
    )

    assert response.status_code == 422
    assert PASSWORD not in response.text
    assert response.json() == {
        "detail": [
            {
                "type": "string_too_short",
                "loc": ["body", "password"],
                "msg": "String should have at least 8 characters",
            }
        ]
    }


def test_validation_error_omits_wrong_type_input(
    credentials_client: TestClient,
) -> None:
    response = credentials_client.post(
        "/credentials", json={"username": "alice", "password": [PASSWORD]}
    )

    assert response.status_code == 422
    assert PASSWORD not in response.text
    assert response.json()["detail"][0]["loc"] == ["body", "password"]


def test_validation_error_lone_surrogate_value(
    credentials_client: TestClient,
) -> None:
    # The escape sequence stays in the JSON text, which is how a client sends
    # a lone surrogate, because UTF-8 cannot encode it.
    response = post_json(
        credentials_client, r'{"username": "alice", "password": "\ud800"}'
    )

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "password"]


def test_validation_error_lone_surrogate_key(
    credentials_client: TestClient,
) -> None:
    response = post_json(
        credentials_client,
        r'{"username": "alice", "password": "long enough", "\ud800": 1}',
    )

    assert response.status_code == 422
    error = response.json()["detail"][0]
    assert error["type"] == "extra_forbidden"
    assert error["loc"] == ["body", r"\ud800"]

