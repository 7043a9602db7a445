"""Error responses that name the fix: bad input is a 4xx with a sentence a person can act on."""

from __future__ import annotations

import sys
from http import HTTPStatus

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from assistant.retrieval import IndexNotReadyError
from assistant.sessions import UnknownSession

UNKNOWN_SESSION = (
    "unknown session_id: this server did not issue it to you (ids are issued with a first answer, and an "
    "API key sees only its own); omit `session_id` to start a new conversation and continue with the "
    "`session_id` of its answer"
)


class InputTooLargeError(ValueError):
    """A message or body over the configured limit."""


def field_path(loc: tuple[object, ...] | list[object]) -> str:
    """A field's place as a client writes it: `messages[1].content`, not `body.messages.1.content`."""
    path = ""
    for part in loc:
        if part == "body" and not path:
            continue
        path += f"[{part}]" if isinstance(part, int) else f".{part}" if path else str(part)
    return path or "body"


def _describe(error: dict, fields: str = "") -> str:
    where = field_path(error.get("loc", ()))
    kind = error.get("type", "")
    if kind == "json_invalid":
        reason = error.get("ctx", {}).get("error", "syntax error")
        return f"the request body is not valid JSON ({reason}); send a JSON object"
    if kind == "missing":
        return f"`{where}` is required"
    if kind == "extra_forbidden":
        return f"`{where}` is not a known field; send only {fields}" if fields else f"`{where}` is not a known field"
    if kind == "value_error" and "error" in error.get("ctx", {}):
        return f"`{where}` {error['ctx']['error']}"  # our own validators' sentences, without pydantic's prefix
    return f"`{where}`: {error.get('msg', 'invalid value')}"


def _body_fields(request: Request) -> str:
    """The fields the route's body model takes, to name in an unknown-field error."""
    body = getattr(request.scope.get("route"), "body_field", None)
    names = list(getattr(body.field_info.annotation, "model_fields", {})) if body is not None else []
    return ", ".join(names[:-1]) + f" and {names[-1]}" if len(names) > 1 else "".join(names)


def _unreadable_body(exc: HTTPException) -> bool:
    # FastAPI raises 400 from the exception that stopped it reading the body (bytes that are not UTF-8);
    # JSON syntax errors are RequestValidationError already.
    return exc.status_code == 400 and exc.__cause__ is not None


def _unreadable_body_error(cause: BaseException | None) -> str:
    """Why the JSON parser gave up on a body, in words that say what to send instead."""
    if isinstance(cause, RecursionError):
        return "the request body nests JSON arrays or objects too deeply; send a flat JSON object"
    if isinstance(cause, ValueError) and "integer string conversion" in str(cause):
        return (
            f"a number in the request body has more than {sys.get_int_max_str_digits():,} digits; "
            "send a shorter number, or the value as a string"
        )
    return "the request body could not be read: send a JSON object encoded as UTF-8"


def _http_error(request: Request, exc: HTTPException) -> str:
    """Starlette's and FastAPI's own HTTP errors, with the fix named where they only give the status."""
    if _unreadable_body(exc):
        return _unreadable_body_error(exc.__cause__)
    if exc.detail != HTTPStatus(exc.status_code).phrase:
        return str(exc.detail)  # our own message, which names the fix already
    if exc.status_code == 404:
        return f"no endpoint at {request.url.path}; the API is listed at /docs"
    if exc.status_code == 405:
        return f"{request.method} is not allowed on {request.url.path}; the API is listed at /docs"
    return str(exc.detail)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = list(exc.errors())
        fields = _body_fields(request)
        message = "; ".join(_describe(e, fields) for e in errors) or "invalid request"
        detail = [{"loc": list(e.get("loc", ())), "msg": e.get("msg"), "type": e.get("type")} for e in errors]
        return JSONResponse(status_code=422, content={"error": message, "detail": detail})

    @app.exception_handler(HTTPException)
    async def _http(request: Request, exc: HTTPException) -> JSONResponse:
        # An unreadable body is the caller's to fix like any invalid body: 422, as for bad JSON.
        status = 422 if _unreadable_body(exc) else exc.status_code
        return JSONResponse(status_code=status, content={"error": _http_error(request, exc)}, headers=exc.headers)

    @app.exception_handler(InputTooLargeError)
    async def _too_large(_: Request, exc: InputTooLargeError) -> JSONResponse:
        return JSONResponse(status_code=413, content={"error": str(exc)})

    @app.exception_handler(UnknownSession)
    async def _unknown_session(_: Request, exc: UnknownSession) -> JSONResponse:
        # The same answer for an id that never existed and one that is someone else's: nothing to probe.
        return JSONResponse(status_code=404, content={"error": UNKNOWN_SESSION, "code": "unknown_session"})

    @app.exception_handler(IndexNotReadyError)
    async def _not_ready(_: Request, exc: IndexNotReadyError) -> JSONResponse:
        return JSONResponse(status_code=503, content={"error": f"{exc}; the server keeps running meanwhile"})
