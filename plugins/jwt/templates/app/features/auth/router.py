"""HTTP routes of the auth feature, mounted under /auth.

The routes are plain functions, so FastAPI runs them in its thread pool, where
password hashing and database calls do not block the event loop.
"""

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, status
from fastapi.security import OAuth2PasswordRequestForm

from app.core.database import SessionDep
from app.features.auth import service
from app.features.auth.dependencies import CurrentUser
from app.features.auth.models import User
from app.features.auth.schemas import RefreshRequest, Token, UserCreate, UserRead

router = APIRouter(prefix="/auth", tags=["auth"])

BEARER_CHALLENGE = {"WWW-Authenticate": "Bearer"}


@router.post("/register", status_code=status.HTTP_201_CREATED, response_model=UserRead)
def register(user_in: UserCreate, db: SessionDep) -> User:
    """Create a user. Emails are compared without regard to case."""
    try:
        return service.register_user(db, user_in.email, user_in.password)
    except service.EmailAlreadyRegisteredError:
        raise HTTPException(
            status_code=status.HTTP_409_CONFLICT,
            detail="A user with this email already exists",
        ) from None


@router.post("/login")
def login(
    form_data: Annotated[OAuth2PasswordRequestForm, Depends()], db: SessionDep
) -> Token:
    """Exchange an email (the form's username field) and password for tokens."""
    user = service.authenticate_user(db, form_data.username, form_data.password)
    if user is None:
        raise HTTPException(
            status_code=status.HTTP_401_UNAUTHORIZED,
            detail="Incorrect email or password",
            headers=BEARER_CHALLENGE,
        )
    if not user.is_active:
        raise HTTPException(
            status_code=status.HTTP_403_FORBIDDEN, detail="Inactive user"
        )
    return service.issue_token_pair(db, user)


@router.get("/me", response_model=UserRead)
def read_current_user(current_user: CurrentUser) -> User:
    return current_user


@router.post("/refresh")
def refresh(body: RefreshRequest, db: SessionDep) -> Token:
    """Exchange a refresh token for a new token pair. Each refresh token works once."""
    try:
        return service.rotate_refresh_token(db, body.refresh_token)
    except service.InvalidRefreshTokenError:
        raise HTTPException(
            status_code=status.HTTP_401_UNAUTHORIZED,
            detail="Invalid or expired refresh token",
            headers=BEARER_CHALLENGE,
        ) from None


@router.post("/logout", status_code=status.HTTP_204_NO_CONTENT)
def logout(body: RefreshRequest, db: SessionDep) -> None:
    """Revoke the refresh token and all tokens refreshed from the same login.

    Access tokens already issued stay valid until they expire.
    """
    try:
        service.revoke_refresh_token_family(db, body.refresh_token)
    except service.InvalidRefreshTokenError:
        raise HTTPException(
            status_code=status.HTTP_401_UNAUTHORIZED,
            detail="Invalid or expired refresh token",
            headers=BEARER_CHALLENGE,
        ) from None
