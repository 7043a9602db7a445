"""Dependencies built once per process in the lifespan, handed to routes through `Annotated` aliases."""

from __future__ import annotations

import logging
import secrets
import threading
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Annotated

from fastapi import Depends, Header, HTTPException, Request

from assistant import cedict
from assistant.agreements import AgreementService, DraftStore
from assistant.answer import ScopePolicy
from assistant.embedders import Embedder, make_embedder
from assistant.history import History
from assistant.lexicon import Lexicon
from assistant.records import RecordsService
from assistant.records.db import make_engine, migrate, session_factory
from assistant.records.semantic import RecordVectors
from assistant.retrieval import HybridRetriever
from assistant.service import Assistant
from assistant.sessions import Owner, SessionRegistry
from assistant.settings import Settings
from assistant.tools.conversation import Conversation
from assistant.understanding import Understander
from assistant.understanding.contacts import find_name
from assistant.understanding.dates import find_dates
from assistant.vectorstore import ChromaVectorStore

logger = logging.getLogger(__name__)


@dataclass
class Container:
    settings: Settings
    store: ChromaVectorStore
    embedder: Embedder
    retriever: HybridRetriever
    assistant: Assistant
    records: RecordsService
    history: History
    agreements: AgreementService
    understander: Understander

    @property
    def sessions(self) -> SessionRegistry:
        return self.history.registry

    @classmethod
    def build(cls, settings: Settings, embedder: Embedder | None = None) -> Container:
        store = ChromaVectorStore(settings)
        embedder = embedder or make_embedder(settings)
        retriever = HybridRetriever(store, embedder, settings)
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        engine = make_engine(settings.effective_database_url)
        migrate(engine)
        records = RecordsService(
            session_factory(engine),
            RecordVectors(store, embedder),
            confirmation_ttl=timedelta(minutes=settings.confirmation_ttl_min),
        )
        agreements = AgreementService(retriever, DraftStore(records.sessions), lambda: records.clock())
        understander = Understander(
            embedder, settings.understanding_dir / "intents.yaml", settings.data_dir / "understanding"
        )
        conversation = Conversation(records, Lexicon.build([], settings.lexicon_dir), understander, agreements)
        history = History(records.sessions)
        agent = None
        if settings.llm_configured:
            # Imported only when configured: the offline default never loads LangChain.
            from assistant.llm import build_agent

            agent = build_agent(settings, retriever, records, agreements)
        assistant = Assistant(
            retriever,
            ScopePolicy(floor=settings.relevance_floor),
            conversation,
            history,
            agent,
            turn_slots(settings),
        )
        return cls(settings, store, embedder, retriever, assistant, records, history, agreements, understander)

    def warm_up(self) -> None:
        """Load the index and run the models once so the first user does not pay for it."""
        self.records.index()
        self.retriever.refresh(force=True)
        self.embedder.embed_query("warm-up")
        self.understander.classifier()  # reads the examples and the fitted model before the first user
        # dateparser reads its language data on first use (about 0.2 s), jieba's tagger its model.
        find_dates("next Tuesday, 下周三 or 2027年3月1日", date.today())
        find_name("我叫王磊", None)
        if self.retriever.ready:
            # One English and one Chinese search load jieba and the dictionary before the first user.
            self.retriever.search("industry-education integration")
            self.retriever.search("产教融合的实施路径")
            # Words the glossary lacks go to CC-CEDICT, parsed on first use (about a second); that search
            # may not have needed it.
            cedict.dictionary()


def turn_slots(settings: Settings) -> AbstractContextManager[object]:
    """The queue offline turns wait in: this worker's own, or one shared by the host's workers."""
    if settings.turn_queue == "host":
        from assistant.host_semaphore import HostSemaphore

        try:
            return HostSemaphore(str(settings.data_dir.resolve()), settings.concurrent_turns)
        except OSError as error:  # no System V IPC here (Windows, a locked-down sandbox)
            logger.warning("ASSISTANT_TURN_QUEUE=host is unavailable (%s): each worker queues its own turns", error)
    return threading.Semaphore(settings.concurrent_turns)


def get_container(request: Request) -> Container:
    container: Container = request.app.state.container
    return container


ContainerDep = Annotated[Container, Depends(get_container)]


def bearer_match(authorization: str | None, accepted: list[str]) -> str | None:
    """Which of the `accepted` secrets an `Authorization: Bearer <secret>` header carries, or None.

    Only the Bearer scheme: a bare token is refused. Every secret is compared, in constant time, as bytes:
    `compare_digest` refuses non-ASCII text, and a stranger's header must not cause a 500.
    """
    scheme, _, given = (authorization or "").partition(" ")
    given = given.strip()
    if scheme != "Bearer" or not given:
        return None
    matched = [secret for secret in accepted if secrets.compare_digest(given.encode(), secret.encode())]
    return matched[0] if matched else None


def get_owner(container: ContainerDep, authorization: Annotated[str | None, Header()] = None) -> Owner:
    """The caller of a conversation endpoint: anyone without `ASSISTANT_API_KEYS`, else the key's tenant."""
    keys = container.settings.api_keys
    if not keys:
        return Owner()
    key = bearer_match(authorization, keys)
    if key is None:
        raise HTTPException(
            status_code=401,
            detail="conversation endpoints need `Authorization: Bearer <key>` with one of ASSISTANT_API_KEYS",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return Owner.of_api_key(key)


OwnerDep = Annotated[Owner, Depends(get_owner)]
