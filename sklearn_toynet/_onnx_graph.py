"""The ONNX graph of a fitted ToyNet network: layers, activations, batch norm.

Used by :mod:`sklearn_toynet.onnx`, which registers it with skl2onnx; this
module needs only ``onnx`` and the network's plan (``Network.layers()``, from
``_base.fitted_network``). Each layer is written as ToyNet's
:meth:`Network.forward` computes it, in the same order of operations
(``Z = A @ W + b``, then ``(Z - mean) * inv_std * gamma + beta``, then the
activation), so ONNX Runtime reproduces ToyNet's outputs to rounding.

Rows whose output overflows (an input near the float limit) are computed again
as ToyNet's ``Network.predict`` computes them, through saturated layers whose
inputs are clipped to ToyNet's ``input_bound`` and pre-activations to ``big``;
an ``If`` runs those layers only when some output is not finite.
"""

import numpy as np
from onnx import TensorProto, helper

from ._activations import ELU_ALPHA, LEAKY_SLOPE, exp_cap
from ._array_api import is_numpy
from ._batchnorm import EPSILON
from ._network import big

PROTO = {
    np.dtype(np.float32): TensorProto.FLOAT,
    np.dtype(np.float64): TensorProto.DOUBLE,
    np.dtype(np.int64): TensorProto.INT64,
    np.dtype(np.bool_): TensorProto.BOOL,
}


class Graph:
    """Adds nodes and constants of one dtype to a skl2onnx container."""

    def __init__(self, scope, container, dtype, cache=None):
        self.scope, self.container = scope, container
        self.dtype = np.dtype(dtype)
        # The weights' names by array: a branch reuses the outer graph's.
        self.cache = {} if cache is None else dict(cache)

    def const(self, value, name="c", dtype=None, proto=None):
        """An initializer holding ``value`` (in the graph's dtype by default).

        ``proto`` (an ONNX element type) is needed only for strings.
        """
        key = (id(value), dtype) if is_numpy(value) else None
        if key in self.cache:
            return self.cache[key][1]
        array = value
        value = np.asarray(value, dtype=dtype or self.dtype)
        proto = PROTO[value.dtype] if proto is None else proto
        unique = self.scope.get_unique_variable_name(name)
        content = value.ravel().tolist()
        if proto == TensorProto.STRING:
            content = [str(s).encode("utf-8") for s in content]
        self.container.add_initializer(unique, proto, list(value.shape), content)
        if key is not None:
            self.cache[key] = (array, unique)  # holding the array keeps its id
        return unique

    def op(self, op_type, *inputs, out=None, domain="", **attrs):
        """One node; returns the name of its (first) output."""
        outputs = (
            out
            if out is not None
            else self.scope.get_unique_variable_name(op_type.lower())
        )
        outputs = [outputs] if isinstance(outputs, str) else list(outputs)
        self.container.add_node(
            op_type,
            list(inputs),
            outputs,
            op_domain=domain,
            name=self.scope.get_unique_operator_name(op_type),
            **attrs,
        )
        return outputs[0]


# -- activations: Z (a variable name) -> A, written with ONNX operators ----------------
# ONNX Runtime (1.32, CPU) has no double kernels for Erf, Elu, LeakyRelu and
# Softplus: a double graph writes those from operators it has (Max, Min, Exp,
# Log, Abs), and GELU's erf runs in float32 between two casts.
def _double(g):
    return g.dtype == np.float64


def _erf(g, x):
    if not _double(g):
        return g.op("Erf", x)
    as_float = g.op("Cast", x, to=TensorProto.FLOAT)
    return g.op("Cast", g.op("Erf", as_float), to=TensorProto.DOUBLE)


def _gelu(g, Z):
    # The exact form 0.5 z (1 + erf(z / sqrt 2)), in the order ONNX Runtime fuses.
    erf = _erf(g, g.op("Div", Z, g.const(np.sqrt(2.0))))
    return g.op("Mul", g.op("Mul", Z, g.op("Add", erf, g.const(1.0))), g.const(0.5))


def _leaky_relu(g, Z):
    if not _double(g):
        return g.op("LeakyRelu", Z, alpha=LEAKY_SLOPE)
    return g.op("Max", Z, g.op("Mul", Z, g.const(LEAKY_SLOPE)))  # as ToyNet's


def _elu(g, Z):
    if not _double(g):
        return g.op("Elu", Z, alpha=ELU_ALPHA)
    # max(z, 0) + alpha (exp(min(z, 0)) - 1), as ToyNet's (which uses expm1).
    negative = g.op("Sub", g.op("Exp", g.op("Min", Z, g.const(0.0))), g.const(1.0))
    negative = g.op("Mul", negative, g.const(ELU_ALPHA))
    return g.op("Add", g.op("Max", Z, g.const(0.0)), negative)


def _softplus(g, Z):
    if not _double(g):
        return g.op("Softplus", Z)  # stable in ONNX Runtime
    # max(z, 0) + log(1 + exp(-|z|)): no overflow, as ToyNet's logaddexp(z, 0).
    tail = g.op("Exp", g.op("Neg", g.op("Abs", Z)))
    tail = g.op("Log", g.op("Add", tail, g.const(1.0)))
    return g.op("Add", g.op("Max", Z, g.const(0.0)), tail)


HIDDEN = {
    "identity": lambda g, Z: Z,
    "logistic": lambda g, Z: g.op("Sigmoid", Z),
    "tanh": lambda g, Z: g.op("Tanh", Z),
    "relu": lambda g, Z: g.op("Relu", Z),
    "leaky_relu": _leaky_relu,
    "elu": _elu,
    "gelu": _gelu,
    "silu": lambda g, Z: g.op("Mul", Z, g.op("Sigmoid", Z)),
    "softplus": _softplus,
}


def _capped_exp(g, Z):
    # ToyNet's exp, capped where it caps (in the graph's dtype): no overflow.
    return g.op("Exp", g.op("Min", Z, g.const(exp_cap(g.dtype))))


OUTPUT = {
    "identity": lambda g, Z: Z,
    "logistic": lambda g, Z: g.op("Sigmoid", Z),
    "softmax": lambda g, Z: g.op("Softmax", Z, axis=1),
    "exp": _capped_exp,
}


def check_supported(net):
    """Raise a ValueError naming any layer of ``net`` the graph cannot express."""
    for layer in net.layers():
        if not layer.is_output and layer.activation not in HIDDEN:
            raise ValueError(
                f"ONNX export does not support the hidden activation "
                f"{layer.activation!r}; supported: {sorted(HIDDEN)}."
            )
        if layer.is_output and layer.activation not in OUTPUT:
            raise ValueError(
                f"ONNX export does not support the output activation "
                f"{layer.activation!r}."
            )


def _clip(g, A, bound):
    if g.dtype == np.float64:
        # ONNX Runtime 1.32 fails to load a double Clip that follows a Relu
        # (its Relu-Clip fusion handles float only): Max then Min instead.
        return g.op("Min", g.op("Max", A, g.const(-bound)), g.const(bound))
    return g.op("Clip", A, g.const(-bound), g.const(bound))


def _batch_norm(g, Z, norm):
    """ToyNet's inference formula, op for op: ``(Z - mean) * inv_std * gamma + beta``.

    ``inv_std`` is computed as ToyNet computes it, in the wider of the model's
    dtype and the graph's (ToyNet's dtype for input of the graph's dtype).
    (Folding the statistics into the layer's weights saves three operators but
    rounds differently; the tests measure both.)
    """
    var = norm.running_var
    inv_std = 1 / np.sqrt(var.astype(np.result_type(var, g.dtype)) + EPSILON)
    Z = g.op("Sub", Z, g.const(norm.running_mean))
    Z = g.op("Mul", Z, g.const(inv_std))
    Z = g.op("Mul", Z, g.const(norm.gamma))
    return g.op("Add", Z, g.const(norm.beta))


def _layers(g, X, plan, saturate):
    """ToyNet's ``Network.forward`` at inference, with or without saturation.

    Saturation bounds and the exponential's cap come from the graph's dtype, as
    ToyNet's come from the dtype it computes in (float64 for float64 input,
    whatever the weights' dtype).
    """
    A = X
    for layer in plan:
        if saturate:
            A = _clip(g, A, layer.input_bound(g.dtype))
        Z = g.op("MatMul", A, g.const(layer.W))
        if layer.b is not None:
            Z = g.op("Add", Z, g.const(layer.b))
        if saturate:
            Z = _clip(g, Z, big(g.dtype))
        if layer.is_output:
            return OUTPUT[layer.activation](g, Z)
        if layer.batch_norm is not None:
            Z = _batch_norm(g, Z, layer.batch_norm)
            if saturate:
                Z = _clip(g, Z, big(g.dtype))
        A = HIDDEN[layer.activation](g, Z)
    raise AssertionError("unreachable: a network has an output layer")


class _Branch:
    """A container for an ``If`` branch: nodes and constants of a subgraph."""

    def __init__(self, container):
        self.nodes, self.initializers = [], []
        self.container = container

    def add_initializer(self, name, proto, shape, content):
        self.initializers.append(helper.make_tensor(name, proto, shape, content))

    def add_node(self, op_type, inputs, outputs, op_domain="", name=None, **attrs):
        node = helper.make_node(op_type, inputs, outputs, name=name, **attrs)
        self.nodes.append(node)

    def graph(self, name, output, proto):
        out = helper.make_tensor_value_info(output, proto, None)
        return helper.make_graph(
            self.nodes, name, [], [out], initializer=self.initializers
        )


def forward(g, X, net, saturate=True):
    """Append the layers of ``net`` after variable ``X``; return its output.

    ``net`` is a :class:`Network` (``fitted_network(est)``). Computes in
    ``g.dtype`` (the input's precision) as ToyNet's ``Network.predict``:
    every row through the unguarded layers, then, only if some output is not finite
    (an input so large that a product overflowed), those rows again through
    saturated layers, in an ``If`` whose branch costs nothing otherwise.
    Without ``saturate``, only the unguarded layers.
    """
    plan = net.layers()
    P = _layers(g, X, plan, saturate=False)
    if not saturate:
        return P
    # One cheap test on the sum of the outputs: it is inf or NaN (so ``s - s``
    # is NaN) if any output is. A sum that overflows on finite outputs only
    # sends every row through the check below, which keeps them.
    total = g.op("ReduceSum", P, keepdims=0)
    any_bad = g.op("IsNaN", g.op("Sub", total, total))
    # The branch reads the input through a name of our own. ``X`` may be a
    # pipeline step's output variable, which skl2onnx renames after conversion
    # when the final output wants its name (a scaler's "variable" before a
    # regressor's "variable"); it renames the main graph only, so a branch
    # reading ``X`` would then read the regressor's own output: a cycle.
    X = g.op("Identity", X)
    branches = {}
    for key, recompute in [("then_branch", True), ("else_branch", False)]:
        branch = _Branch(g.container)
        sub = Graph(g.scope, branch, g.dtype, g.cache)
        if recompute:
            # Row-wise: a row with any inf or NaN takes its saturated values.
            bad = sub.op(
                "Cast", sub.op("IsNaN", sub.op("Sub", P, P)), to=PROTO[g.dtype]
            )
            ones = sub.const(np.ones((plan[-1].W.shape[1], 1)))
            row_bad = sub.op("Greater", sub.op("MatMul", bad, ones), sub.const(0.0))
            S = _layers(sub, X, plan, saturate=True)
            result = sub.op("Where", row_bad, S, P)
        else:
            result = sub.op("Identity", P)
        branches[key] = branch.graph(key, result, PROTO[g.dtype])
    return g.op("If", any_bad, **branches)
