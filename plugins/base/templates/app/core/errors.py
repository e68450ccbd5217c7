"""Error responses shared by all routes."""

from fastapi import Request, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse


async def request_validation_error_handler(
    _request: Request, exc: RequestValidationError
) -> JSONResponse:
    """Return 422 with the type, location and message of each validation error.

    FastAPI's default handler also returns each rejected value as "input" and
    the validator's context as "ctx". That echoes a submitted password or token,
    and fails with a 500 when the value contains a lone surrogate such as
    "\\ud800", which UTF-8 cannot encode. Neither is returned here.

    NOTE: a validator whose error message contains a lone surrogate still
    causes a 500, because pydantic-core fails to build that error before this
    handler runs.
    """
    errors = [
        {"type": error["type"], "loc": error["loc"], "msg": error["msg"]}
        for error in exc.errors()
    ]
    return JSONResponse(
        status_code=status.HTTP_422_UNPROCESSABLE_CONTENT, content={"detail": errors}
    )
