"""Tests of the validation error responses that all routes share."""

from collections.abc import Iterator

import httpx2
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import BaseModel, Field

from app.main import app

PASSWORD = "hunter2"


class Credentials(BaseModel):
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


def post_json_text(client: TestClient, body: str) -> httpx2.Response:
    """POST a JSON text as written, for escapes such as a lone surrogate.

    UTF-8 cannot encode a lone surrogate, so a client sends it as the escape
    sequence "\\ud800" in the JSON text.
    """
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


def test_validation_error_lone_surrogate_input(
    credentials_client: TestClient,
) -> None:
    response = post_json_text(
        credentials_client, r'{"username": "alice", "password": "\ud800"}'
    )

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "password"]
