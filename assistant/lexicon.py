"""Chinese-to-English query bridge built from the glossary document's table and a small word list."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import yaml

from assistant.cedict import english_senses
from assistant.chunking import Chunk
from assistant.text import chinese_words

_ROW = re.compile(r"^\|([^|]+)\|([^|]+)\|")
_ALTERNATIVES = re.compile(r"[/／、，,()（）+＋]")
_HAS_CJK = re.compile(r"[\u4e00-\u9fff]")


class Lexicon:
    """Maps Chinese terms to the English words the corpus uses, longest match first."""

    def __init__(self, pairs: dict[str, list[str]], synonyms: dict[str, list[str]] | None = None) -> None:
        self._pairs = pairs
        self._terms = sorted(pairs, key=len, reverse=True)
        self._synonyms = synonyms or {}

    def expand_english(self, text: str) -> list[str]:
        """Corpus words for the everyday English words of `text` ("wrote" -> "author")."""
        found: list[str] = []
        for _, synonyms in self.english_synonyms(text):
            found.extend(w for w in synonyms if w not in found)
        return found

    def english_synonyms(self, text: str) -> list[tuple[str, list[str]]]:
        """(everyday word of `text`, the corpus words for it), for the words the list knows."""
        words = re.findall(r"[a-z][a-z-]+", text.lower())
        return [(word, self._synonyms[word]) for word in words if word in self._synonyms]

    def __len__(self) -> int:
        return len(self._pairs)

    def english_for(self, text: str) -> list[str]:
        """English equivalents of the curated terms found in `text` (overlapping shorter terms skipped)."""
        return self.bridge(text)[0]

    def bridge(self, text: str) -> tuple[list[str], list[str]]:
        """(curated English terms, dictionary senses for the remaining Chinese words) of `text`."""
        found: list[str] = []
        covered = [False] * len(text)
        for term in self._terms:
            for match in re.finditer(re.escape(term), text):
                if all(covered[match.start() : match.end()]):
                    continue
                covered[match.start() : match.end()] = [True] * len(term)
                found.extend(w for w in self._pairs[term] if w not in found)
        rest = "".join(ch if not hit else " " for ch, hit in zip(text, covered, strict=True))
        senses: list[str] = []
        for word in chinese_words(rest):
            if len(word) >= 2:
                senses.extend(s for s in english_senses(word) if s not in senses)
        return found, senses

    @classmethod
    def build(cls, glossary_chunks: Iterable[Chunk], lexicon_dir: Path) -> Lexicon:
        pairs = _read_mapping(lexicon_dir / "zh_en.yaml")
        for chunk in glossary_chunks:
            for line in chunk.text.splitlines():
                match = _ROW.match(line.strip())
                if not match:
                    continue
                english, chinese = match.group(1).strip(), match.group(2).strip()
                if _HAS_CJK.search(english) and not _HAS_CJK.search(chinese):
                    english, chinese = chinese, english  # the Chinese glossary puts its own term first
                for zh in filter(None, (part.strip() for part in _ALTERNATIVES.split(chinese))):
                    if _HAS_CJK.search(zh) and len(zh) >= 2:
                        pairs.setdefault(zh, [])
                        if english not in pairs[zh]:
                            pairs[zh].insert(0, english)
        return cls(pairs, _read_mapping(lexicon_dir / "en_synonyms.yaml"))


def _read_mapping(path: Path) -> dict[str, list[str]]:
    if not path.exists():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {str(k): [str(v) for v in (vs if isinstance(vs, list) else [vs])] for k, vs in data.items()}
