"""SQLAlchemy engine, declarative base and the request-scoped session."""

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends
from sqlalchemy import create_engine, make_url
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

from app.core.config import get_settings

database_url = make_url(get_settings().database_url)

# Python's sqlite3 module rejects a connection used from a thread other than the
# one that opened it, and FastAPI may run a request's sync dependencies and its
# route on different threads of its pool.
connect_args = (
    {"check_same_thread": False} if database_url.get_backend_name() == "sqlite" else {}
)

engine = create_engine(database_url, connect_args=connect_args)
SessionLocal = sessionmaker(bind=engine, autoflush=False)


class Base(DeclarativeBase):
    """Base class of all ORM models."""


def get_db() -> Iterator[Session]:
    """Yield a session for one request and close it after the response."""
    with SessionLocal() as session:
        yield session


SessionDep = Annotated[Session, Depends(get_db)]
