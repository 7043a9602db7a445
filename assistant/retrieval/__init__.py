"""Hybrid retrieval over the active index generation; see `retriever`."""

from assistant.retrieval.priors import asks_for_back_matter, is_back_matter
from assistant.retrieval.retriever import HybridRetriever, IndexNotReadyError, Passage, Retrieval

__all__ = ["HybridRetriever", "IndexNotReadyError", "Passage", "Retrieval", "asks_for_back_matter", "is_back_matter"]
