"""Language-aware text helpers: language detection, sentence splitting and search tokens."""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterator
from functools import lru_cache

import jieba
import snowballstemmer

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_LATIN_WORD = re.compile(r"[a-z0-9]+(?:[.\-][a-z0-9]+)*")

# Abbreviations after which a full stop does not end a sentence.
_ABBREVIATIONS = ("e.g.", "i.e.", "etc.", "No.", "Art.", "Arts.", "vs.", "al.", "Mr.", "Dr.", "approx.")
_SENTENCE_END = re.compile(r"(?<=[.!?;])[\"'”’)]*\s+(?=[\"“(\[]?[A-Z0-9])|(?<=[。！？；])")

STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "been",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "for",
        "from",
        "had",
        "has",
        "have",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "me",
        "my",
        "of",
        "on",
        "or",
        "our",
        "should",
        "so",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "to",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "about",
        "any",
        "some",
        "such",
        "also",
        "may",
        "might",
        "must",
        "more",
        "most",
        "other",
        "over",
        "under",
        "up",
        "out",
        "not",
        "no",
        "yes",
        "s",
        "please",
        "tell",
        "does",
        "did",
        "doing",
        "being",
        "paper",
    ]
)
_ZH_STOPWORDS = frozenset(
    [
        "的",
        "了",
        "是",
        "在",
        "和",
        "与",
        "及",
        "吗",
        "呢",
        "吧",
        "啊",
        "什么",
        "怎么",
        "如何",
        "哪些",
        "哪",
        "有",
        "有没有",
        "请问",
        "一下",
        "我",
        "我们",
        "你",
        "你们",
        "这",
        "那",
        "个",
        "些",
        "都",
        "也",
        "就",
    ]
)


def is_chinese(text: str, threshold: float = 0.15) -> bool:
    """True when enough of the letters are CJK characters for the text to read as Chinese."""
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return False
    return sum(1 for ch in letters if _CJK.match(ch)) / len(letters) >= threshold


def detect_language(text: str) -> str:
    """`zh` or `en`."""
    return "zh" if is_chinese(text) else "en"


def split_sentences(text: str) -> list[str]:
    """Split prose into sentences, keeping each sentence's exact characters (quotes must match the source)."""
    protected = text
    for i, abbr in enumerate(_ABBREVIATIONS):
        protected = protected.replace(abbr + " ", f"{abbr}\x00{i}\x00")
    pieces = _SENTENCE_END.split(protected)
    sentences = []
    for piece in pieces:
        for i, abbr in enumerate(_ABBREVIATIONS):
            piece = piece.replace(f"{abbr}\x00{i}\x00", abbr + " ")
        piece = piece.strip()
        if piece:
            sentences.append(piece)
    return sentences


_PER_THREAD = threading.local()


def _stemmer() -> snowballstemmer.stemmer:
    # A snowball stemmer keeps the word being stemmed in its own state: one per thread, or concurrent
    # requests corrupt each other's words (IndexError under load).
    stemmer = getattr(_PER_THREAD, "stemmer", None)
    if stemmer is None:
        stemmer = _PER_THREAD.stemmer = snowballstemmer.stemmer("english")
    return stemmer


@lru_cache(maxsize=1)
def _jieba() -> jieba.Tokenizer:
    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    return tokenizer


def search_tokens(text: str) -> list[str]:
    """Tokens for lexical search: stemmed English words and jieba-segmented Chinese words, stopwords dropped."""
    return list(_search_tokens(text))


# The composer tokenizes the same corpus sentences for question after question, and stemming and jieba
# were a third of a question's CPU time; tokens depend on the text alone, so they are memoised.
@lru_cache(maxsize=16384)
def _search_tokens(text: str) -> tuple[str, ...]:
    lowered = text.lower()
    tokens: list[str] = []
    words = [w for w in _LATIN_WORD.findall(_CJK_RUN.sub(" ", lowered)) if w not in STOPWORDS]
    tokens.extend(_stem(word) for word in words)
    for run in _CJK_RUN.findall(lowered):
        tokens.extend(w for w in _jieba().cut_for_search(run) if w.strip() and w not in _ZH_STOPWORDS)
    return tuple(tokens)


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    return _stemmer().stemWord(word)


def chinese_words(text: str) -> list[str]:
    """jieba segmentation of the Chinese runs in `text`."""
    return [w for run in _CJK_RUN.findall(text) for w in _jieba().cut(run) if w.strip()]


# Chinese characters that carry what one English word does: the median over the paper's paragraphs and
# their aligned Chinese translation (1.44). Length budgets then hold the same content in either language.
CHINESE_CHARACTERS_PER_WORD = 1.44


def word_count(text: str) -> int:
    """Words for English, characters converted to words for Chinese: how much a passage says."""
    return len(_LATIN_WORD.findall(text.lower())) + round(len(_CJK.findall(text)) / CHINESE_CHARACTERS_PER_WORD)


_PIECE = re.compile(r"\S+\s*|\s+")


class _Reset(str):
    """The type of `RESET`: an empty text told apart from every other piece by identity."""


#: The streamed piece that withdraws the pieces sent before it: the pieces after it make the answer.
RESET: str = _Reset()


def is_reset(piece: str) -> bool:
    return piece is RESET


def text_pieces(text: str, words: int = 6) -> Iterator[str]:
    """Text in small pieces for streaming, whitespace kept, so joining the pieces gives the text back."""
    tokens = _PIECE.findall(text)
    for start in range(0, len(tokens), words):
        yield "".join(tokens[start : start + words])
