"""Registration, login and the refresh token lifecycle."""

import logging
import uuid
from datetime import datetime, timedelta, timezone

import jwt
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.core.config import get_settings
from app.features.auth.emails import normalize_email
from app.features.auth.models import RefreshToken, User
from app.features.auth.schemas import Token
from app.features.auth.security import (
    DUMMY_HASH,
    TokenType,
    create_token,
    decode_token,
    hash_password,
    verify_password,
)

logger = logging.getLogger(__name__)


class EmailAlreadyRegisteredError(Exception):
    """Raised when a user with the same normalized email already exists."""


class InvalidRefreshTokenError(Exception):
    """Raised when a refresh token is malformed, expired, used or revoked."""


def register_user(db: Session, email: str, password: str) -> User:
    """Create a user. Raises EmailAlreadyRegisteredError for a taken email.

    Raises ValueError for an invalid email, which UserCreate has already
    rejected for requests.
    """
    email = normalize_email(email)
    if db.scalar(select(User.id).where(User.email == email)) is not None:
        raise EmailAlreadyRegisteredError(email)

    user = User(email=email, hashed_password=hash_password(password))
    db.add(user)
    try:
        db.commit()
    except IntegrityError as error:
        # Another request registered the same email after the check above.
        db.rollback()
        raise EmailAlreadyRegisteredError(email) from error
    db.refresh(user)
    return user


def authenticate_user(db: Session, email: str, password: str) -> User | None:
    """Return the user with this email and password, or None.

    The email is normalized as at registration. An invalid or unknown email
    costs one hash verification, like a wrong password, so response times do
    not reveal which emails are registered. A matching hash made with an older
    hasher or older parameters is replaced.
    """
    try:
        email = normalize_email(email)
    except ValueError:
        user = None
    else:
        user = db.scalar(select(User).where(User.email == email))
    if user is None:
        verify_password(password, DUMMY_HASH)
        return None

    matches, new_hash = verify_password(password, user.hashed_password)
    if not matches:
        return None
    if new_hash is not None:
        user.hashed_password = new_hash
        db.commit()
    return user


def issue_token_pair(db: Session, user: User, family_id: str | None = None) -> Token:
    """Create an access token and a refresh token for the user and commit.

    A login passes no family_id and starts a new family. A refresh passes the
    family of the token it replaces.
    """
    settings = get_settings()
    now = datetime.now(timezone.utc)
    subject = str(user.id)

    access_token = create_token(
        subject,
        TokenType.ACCESS,
        jti=uuid.uuid4().hex,
        issued_at=now,
        expires_at=now + timedelta(minutes=settings.access_token_expire_minutes),
    )

    stored = RefreshToken(
        jti=uuid.uuid4().hex,
        user_id=user.id,
        family_id=family_id or uuid.uuid4().hex,
        expires_at=now + timedelta(days=settings.refresh_token_expire_days),
    )
    db.add(stored)
    refresh_token = create_token(
        subject,
        TokenType.REFRESH,
        jti=stored.jti,
        issued_at=now,
        expires_at=stored.expires_at,
    )

    if family_id is None:
        # Expired refresh tokens are rejected by their exp claim before any
        # lookup, so their rows are deleted at the user's next login.
        db.execute(
            delete(RefreshToken).where(
                RefreshToken.user_id == user.id, RefreshToken.expires_at < now
            )
        )
    db.commit()
    return Token(access_token=access_token, refresh_token=refresh_token)


def rotate_refresh_token(db: Session, refresh_token: str) -> Token:
    """Exchange a refresh token for a new token pair in the same family.

    Raises InvalidRefreshTokenError when the token is invalid, expired, revoked
    or already used. Presenting a used token also revokes its whole family. A
    used token comes back only when it was copied, and the server cannot tell
    whether the client or an attacker has its successor.
    """
    stored = _find_stored_token(db, refresh_token)

    # Marking the token used in one conditional UPDATE means that only one of
    # two concurrent requests with the same token can claim it.
    claimed = db.execute(
        update(RefreshToken)
        .where(
            RefreshToken.jti == stored.jti,
            RefreshToken.used.is_(False),
            RefreshToken.revoked.is_(False),
        )
        .values(used=True)
    )
    if claimed.rowcount != 1:
        db.refresh(stored)
        if not stored.revoked:
            _revoke_family(db, stored.family_id)
            db.commit()
            logger.warning(
                "Refresh token %s of user %s was reused; revoked its family %s",
                stored.jti,
                stored.user_id,
                stored.family_id,
            )
        raise InvalidRefreshTokenError("Refresh token was already used or revoked")

    user = db.get(User, stored.user_id)
    if user is None or not user.is_active:
        db.commit()
        raise InvalidRefreshTokenError("User is missing or inactive")
    return issue_token_pair(db, user, family_id=stored.family_id)


def revoke_refresh_token_family(db: Session, refresh_token: str) -> None:
    """Revoke the refresh token and every token in its family.

    Access tokens issued to the family stay valid until they expire, because
    they are checked by signature alone.
    """
    stored = _find_stored_token(db, refresh_token)
    _revoke_family(db, stored.family_id)
    db.commit()


def _find_stored_token(db: Session, refresh_token: str) -> RefreshToken:
    try:
        claims = decode_token(refresh_token, TokenType.REFRESH)
    except jwt.InvalidTokenError as error:
        raise InvalidRefreshTokenError(str(error)) from error

    stored = db.get(RefreshToken, claims["jti"])
    if stored is None or str(stored.user_id) != claims["sub"]:
        raise InvalidRefreshTokenError("Refresh token is not on record")
    return stored


def _revoke_family(db: Session, family_id: str) -> None:
    db.execute(
        update(RefreshToken)
        .where(RefreshToken.family_id == family_id)
        .values(revoked=True)
    )
