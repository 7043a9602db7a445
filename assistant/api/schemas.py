"""The HTTP contract of the chat API; later channels and the eval harness rely on these names."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from assistant.service import ChatResult


def storable(value: str) -> str:
    """Refuse, as a 422, text the database would refuse with an error (a 500): NUL, lone surrogates."""
    if "\x00" in value:  # PostgreSQL text cannot hold it
        raise ValueError("contains a NUL character (\\x00); remove it")
    try:
        value.encode("utf-8")  # JSON escapes like "\\ud800" decode to half a character no driver can send
    except UnicodeEncodeError:
        raise ValueError("is not valid Unicode (a lone surrogate such as \\ud800); send whole characters") from None
    return value


#: A string the database can store; for request fields and path ids.
StorableStr = Annotated[str, AfterValidator(storable)]


class ChatIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)

    message: StorableStr = Field(description="The user's question, in English or Chinese (1 to 4,000 characters).")
    session_id: StorableStr | None = Field(default=None, max_length=128, description="Continue a conversation.")
    role: Literal["student", "enterprise", "teacher", "admin"] = "student"
    lang: Literal["auto", "en", "zh"] = "auto"
    include_retrieved: bool = Field(default=False, description="Also return the retrieved passages (evaluation).")


class CitationOut(BaseModel):
    n: int
    doc_id: str
    section: str
    title: str
    quote: str
    section_title: str = ""
    language: str = Field(default="en", description="Language of `quote` (the version of the section quoted).")
    translation: str = Field(
        default="", description='"unofficial" when `quote` is from our own translation (the paper in Chinese).'
    )
    original_quote: str = Field(
        default="", description="For a translated quote: the original text it renders, quoted from the original."
    )


class RetrievedOut(BaseModel):
    doc_id: str
    section: str
    chunk_id: str
    score: float
    text: str


class ChatOut(BaseModel):
    session_id: str
    answer: str
    citations: list[CitationOut]
    tool_calls: list[dict[str, object]] = Field(default_factory=list)
    refused: bool
    timings_ms: dict[str, float]
    language: str
    role: str
    decline_reason: str | None = None
    relevance: float | None = None
    retrieved: list[RetrievedOut] | None = None
    pending_action: dict[str, Any] | None = Field(
        default=None, description="A proposed side effect: {kind, summary, token}; confirm it to carry it out."
    )
    action_result: dict[str, Any] | None = Field(default=None, description="Outcome of a confirmed action.")
    message_id: str | None = Field(default=None, description="This answer's id, for POST /v1/feedback.")
    document: dict[str, Any] | None = Field(
        default=None,
        description="A drafted agreement: `id`, `kind`, `title`, `download_url` (the .docx), `placeholders`.",
    )
    llm: dict[str, Any] | None = Field(
        default=None,
        description="LLM mode only: `mode` (llm | offline-fallback), `model`, `removed_citations` (invalid [n] "
        "taken out), `blocked_tool_calls`, `fallback_reason`, `steps`, `retries`, `context_tokens`.",
    )

    @classmethod
    def from_result(cls, result: ChatResult, include_retrieved: bool = False) -> ChatOut:
        return cls(
            session_id=result.session_id,
            answer=result.answer,
            citations=[
                CitationOut(
                    n=c.n,
                    doc_id=c.doc_id,
                    section=c.section,
                    title=c.title,
                    quote=c.quote,
                    section_title=c.section_title,
                    language=c.language,
                    translation=c.translation,
                    original_quote=c.original_quote,
                )
                for c in result.citations
            ],
            tool_calls=result.tool_calls,
            refused=result.refused,
            timings_ms=result.timings_ms,
            language=result.language,
            role=result.role,
            decline_reason=result.decline_reason,
            relevance=result.relevance,
            retrieved=[RetrievedOut(**vars(p)) for p in result.retrieved] if include_retrieved else None,
            pending_action=result.pending_action,
            action_result=result.action_result,
            message_id=result.message_id,
            llm=result.llm,
            document=result.document,
        )


class ErrorOut(BaseModel):
    error: str = Field(description="What is wrong and how to fix it.")
    detail: list[dict[str, object]] | None = None


def _error(description: str) -> dict[str, Any]:
    return {"model": ErrorOut, "description": description}


#: What any conversation endpoint may answer besides its own result, for the OpenAPI schema.
CONVERSATION_ERRORS: dict[int | str, dict[str, Any]] = {
    401: _error("`ASSISTANT_API_KEYS` is set and no valid `Authorization: Bearer <key>` was sent"),
    404: _error("`session_id` was not issued to this caller: omit it to start a new conversation"),
    408: _error("the request body did not arrive in time"),
    413: _error("the message is over 4,000 characters or the body over 64 KiB"),
    422: _error("the body is malformed; `error` names the field and the fix"),
    429: _error("too many requests from this address or session; `Retry-After` says when to try again"),
}


class ActionOut(BaseModel):
    status: Literal["confirmed", "cancelled", "dismissed"]
    booking_ref: str | None = None
    cancellation_code: str | None = Field(
        default=None, description="With a confirmed booking: cancels it from any other chat; show it to the user."
    )
    message: str


class HealthOut(BaseModel):
    status: Literal["ok", "empty", "unavailable"]
    index: dict[str, object]
    embedder: str
    store: str
    worker: int = Field(description="Process id of the API worker that answered (several share one deployment).")
    database: str = Field(default="ok", description="`ok`, or why the records database does not answer (then 503).")
