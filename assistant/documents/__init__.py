"""Documents: loading files of every supported type into sections."""

from assistant.documents.loaders import SUPPORTED_SUFFIXES, discover, load_document
from assistant.documents.model import Document, DocumentError, Section

__all__ = ["SUPPORTED_SUFFIXES", "Document", "DocumentError", "Section", "discover", "load_document"]
