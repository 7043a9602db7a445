"""Error responses that name the fix: bad input is a 4xx with a sentence a person can act on."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from assistant.retrieval import IndexNotReadyError


class InputTooLargeError(ValueError):
    """A message or body over the configured limit."""


def _describe(error: dict) -> str:
    where = ".".join(str(p) for p in error.get("loc", ()) if p != "body") or "body"
    kind = error.get("type", "")
    if kind == "json_invalid":
        reason = error.get("ctx", {}).get("error", "syntax error")
        return f"the request body is not valid JSON ({reason}); send a JSON object"
    if kind == "missing":
        return f"`{where}` is required"
    if kind == "extra_forbidden":
        return f"`{where}` is not a known field; send only message, session_id, role, lang and include_retrieved"
    return f"`{where}`: {error.get('msg', 'invalid value')}"


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = list(exc.errors())
        message = "; ".join(_describe(e) for e in errors) or "invalid request"
        detail = [{"loc": list(e.get("loc", ())), "msg": e.get("msg"), "type": e.get("type")} for e in errors]
        return JSONResponse(status_code=422, content={"error": message, "detail": detail})

    @app.exception_handler(InputTooLargeError)
    async def _too_large(_: Request, exc: InputTooLargeError) -> JSONResponse:
        return JSONResponse(status_code=413, content={"error": str(exc)})

    @app.exception_handler(IndexNotReadyError)
    async def _not_ready(_: Request, exc: IndexNotReadyError) -> JSONResponse:
        return JSONResponse(status_code=503, content={"error": f"{exc}; the server keeps running meanwhile"})
