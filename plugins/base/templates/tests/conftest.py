"""Fixtures that run the app against a fresh SQLite database per test."""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine
from sqlalchemy.orm import Session, sessionmaker

# app.core.database reads the settings at import, so the test values must be set
# before the app is imported. They take precedence over a developer's .env file.
# Requests use the per-test database of the client fixture, so the in-memory URL
# only serves the lifespan's create_all.
os.environ["SECRET_KEY"] = "test-secret-key-" * 4  # 64 bytes
os.environ["DATABASE_URL"] = "sqlite://"

from app.core.config import get_settings
from app.core.database import Base, get_db
from app.main import app


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    """Create an engine on an empty SQLite file with all tables."""
    engine = create_engine(
        f"sqlite:///{tmp_path / 'test.db'}",
        connect_args={"check_same_thread": False},
    )
    Base.metadata.create_all(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def session_factory(engine: Engine) -> sessionmaker[Session]:
    """Open sessions on the test database, for tests that read or change rows."""
    return sessionmaker(bind=engine, autoflush=False)


@pytest.fixture
def client(session_factory: sessionmaker[Session]) -> Iterator[TestClient]:
    """Yield a client for the real app, with get_db bound to the test database."""

    def get_test_db() -> Iterator[Session]:
        with session_factory() as session:
            yield session

    get_settings.cache_clear()
    app.dependency_overrides[get_db] = get_test_db
    with TestClient(app) as test_client:
        yield test_client
    app.dependency_overrides.clear()
    get_settings.cache_clear()
