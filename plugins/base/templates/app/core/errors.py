"""Error responses shared by all routes."""

from fastapi import Request, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse


async def request_validation_error_handler(
    _request: Request, exc: RequestValidationError
) -> JSONResponse:
    """Return 422 with the type, location and message of each validation error.

    FastAPI's default handler also returns each rejected value as "input" and
    the validator's context as "ctx", which would echo a submitted password or
    token. Neither is returned here. The messages that pydantic writes name the
    constraint, not the value.
    """
    errors = [
        {
            "type": error["type"],
            "loc": [_to_utf8_safe(part) for part in error["loc"]],
            "msg": _to_utf8_safe(error["msg"]),
        }
        for error in exc.errors()
    ]
    return JSONResponse(
        status_code=status.HTTP_422_UNPROCESSABLE_CONTENT, content={"detail": errors}
    )


def _to_utf8_safe(value: str | int) -> str | int:
    # A JSON body may contain a lone surrogate such as "\ud800", which UTF-8
    # cannot encode, and a location or message that quotes it would make the
    # response fail with a 500. Such code points are written as "\ud800".
    if isinstance(value, str):
        return value.encode("utf-8", "backslashreplace").decode("utf-8")
    return value
