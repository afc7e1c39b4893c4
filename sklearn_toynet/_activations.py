"""Activation functions and their derivatives, looked up by name.

Every function works in place on its argument, so the forward pass can reuse one
buffer per layer. Derivatives are written in terms of the activation's *output*
``A`` (the blog's ``nonlin(l1, deriv=True) == l1 * (1 - l1)``), so backprop
needs no pre-activations ``Z``, except for the activations in ``NEEDS_Z``
("gelu", "silu"), whose slope is not a function of their output: their
derivatives take ``Z``, which the forward pass keeps for them.

Each function and derivative stays finite, without a RuntimeWarning, for any
finite input, float64's and float32's largest included.
"""

import math
from typing import NamedTuple

import numpy as np
from scipy.special import erfc, expit

from ._array_api import is_numpy, namespace, ones_vector
from ._kernels import candidate, choose

# Below this many entries, scipy's expit (one ufunc call) beats the forms of
# several calls below, whatever the CPU: the blog's 4 x 4 block takes it.
SMALL = 1024


def identity(Z):
    """Leave ``Z`` as it is."""
    return Z


def logistic(Z):
    """Sigmoid ``1 / (1 + exp(-Z))`` of a hidden layer, in place.

    Three ways of writing it give the same values to rounding; which is fastest
    depends on the CPU (numpy's ``tanh`` and ``exp`` are vectorized for some SIMD
    levels, scipy's ``expit`` for none), so ``_kernels`` times them once per
    process and dtype. None overflows or warns for any finite input.
    """
    if Z.size < SMALL:
        return expit(Z, out=Z)
    return choose("logistic", Z.dtype)(Z)


# The first candidate is the default, kept unless another is clearly faster:
# the exp form is never far from the fastest (at worst 2x, float32 on AVX-512,
# where the tanh identity wins), the others are on some CPU (tanh: 2x slower in
# float64 on AVX2; expit: 2-5x slower in float32 anywhere).
@candidate("logistic", "exp")
def _logistic_exp(Z):
    """``1 / (1 + exp(-Z))``, with ``-Z`` capped where ``exp`` stays finite.

    Below the cap (about -708 in float64, -86 in float32) the sigmoid is under
    the smallest normal float: it gives that instead of a smaller number.
    """
    np.negative(Z, out=Z)
    np.minimum(Z, _exp_limit(Z.dtype), out=Z)
    np.exp(Z, out=Z)
    Z += 1
    return np.reciprocal(Z, out=Z)


@candidate("logistic", "tanh")
def _logistic_tanh(Z):
    """``(1 + tanh(Z / 2)) / 2``: ``tanh`` saturates instead of overflowing.

    Rounds values below about 1e-16 (1e-8 in float32) to 0, which a hidden unit
    never notices; the output layer uses :func:`exact_logistic`.
    """
    Z *= 0.5
    np.tanh(Z, out=Z)
    Z *= 0.5
    Z += 0.5
    return Z


@candidate("logistic", "expit")
def _logistic_expit(Z):
    """scipy's ``expit``: one call, not vectorized."""
    return expit(Z, out=Z)


_EXP_LIMITS = {}  # dtype -> the limit of ``_exp_limit``, computed once


def _exp_limit(dtype):
    """A whole ``x`` with ``1 / (1 + exp(x))`` still a normal float of ``dtype``."""
    limit = _EXP_LIMITS.get(dtype)
    if limit is None:
        tiny = np.finfo(dtype).smallest_normal
        limit = _EXP_LIMITS[dtype] = float(np.floor(-np.log(tiny)) - 1)
    return limit


def exact_logistic(Z):
    """Sigmoid of the output layer, in place, exact down to the smallest floats.

    Probabilities (and ``predict_log_proba``) keep every digit in the tails, as
    MLPClassifier's do; ``expit`` never overflows.
    """
    return expit(Z, out=Z)


def tanh(Z):
    """Hyperbolic tangent, in place.

    numpy's ``tanh``, or ``1 - 2 / (1 + exp(2 Z))`` where ``exp`` is faster
    (float64 on AVX2): ``_kernels`` times them once per process and dtype.
    """
    if Z.size < SMALL:
        return np.tanh(Z, out=Z)
    return choose("tanh", Z.dtype)(Z)


@candidate("tanh", "tanh")
def _tanh_numpy(Z):
    """numpy's ``tanh``: exact to the last digit, vectorized on some CPUs only."""
    return np.tanh(Z, out=Z)


#: ``tanh`` is +-1 to rounding beyond ``|Z| = 32``, in float32 and float64.
TANH_SATURATION = 32.0


@candidate("tanh", "exp")
def _tanh_exp(Z):
    """``1 - 2 / (1 + exp(2 Z))``, ``Z`` clipped where ``tanh`` is +-1 anyway.

    Exact to rounding in absolute terms (near 0 the relative error is larger,
    as for any difference of two numbers near 1).
    """
    np.clip(Z, -TANH_SATURATION, TANH_SATURATION, out=Z)
    Z *= 2
    np.exp(Z, out=Z)
    Z += 1
    np.divide(-2, Z, out=Z)
    Z += 1
    return Z


def relu(Z):
    """Rectified linear unit ``max(Z, 0)``, in place."""
    return np.maximum(Z, 0, out=Z)


def softmax(Z):
    """Row-wise softmax, in place; subtracting the row maximum keeps exp finite.

    numpy reduces a short last axis slowly, so the row maxima come from a
    transposed copy and the row sums from a product with ones: 3x faster on a
    batch of 200 x 10 (see benchmarks/). The maxima are the ufunc's reduce,
    without ``.max``'s Python layer.
    """
    Z -= np.maximum.reduce(np.ascontiguousarray(Z.T), axis=0)[:, None]
    np.exp(Z, out=Z)
    Z /= (Z @ ones_vector(Z.shape[1], Z.dtype))[:, None]
    return Z


def exp_cap(dtype):
    """Where :func:`exp` caps its input: half the log of the dtype's largest value.

    ``exp`` of it is the square root of the largest value, so the Poisson
    loss's products of two such stay finite.
    """
    return np.log(np.finfo(dtype).max) / 2


def exp(Z):
    """Exponential (the Poisson loss's log link), in place, capped below overflow."""
    np.minimum(Z, exp_cap(Z.dtype), out=Z)
    return np.exp(Z, out=Z)


def expm1_of_nonpositive(X):
    """``exp(X) - 1`` of ``X <= 0``, in place: "elu" and softplus's slope.

    numpy's ``expm1`` (exact near 0) or ``exp`` then ``- 1`` (the same to
    rounding in absolute terms): numpy's ``expm1`` has no AVX2 loop, where it
    is up to 7x slower. ``_kernels`` times them once per process and dtype.
    """
    if X.size < SMALL:
        return np.expm1(X, out=X)
    return choose("expm1", X.dtype)(X)


@candidate("expm1", "expm1")
def _expm1_numpy(X):
    """numpy's ``expm1``: exact near 0, vectorized on some CPUs only."""
    return np.expm1(X, out=X)


@candidate("expm1", "exp")
def _expm1_exp(X):
    """``exp(X) - 1``; for ``X <= 0``, ``exp`` lies in [0, 1]: nothing overflows."""
    np.exp(X, out=X)
    X -= 1
    return X


LEAKY_SLOPE = 0.01  # leaky_relu's slope for negative inputs
ELU_ALPHA = 1.0  # elu's limit -alpha for large negative inputs
GELU_CUTOFF = 40.0  # beyond it, the normal density z * phi(z) is 0 in any float


def leaky_relu(Z):
    """Leaky rectified linear unit ``max(Z, 0.01 Z)``, in place."""
    return np.maximum(Z, LEAKY_SLOPE * Z, out=Z)


def elu(Z):
    """Exponential linear unit: ``Z`` if positive, else ``exp(Z) - 1``, in place."""
    negative = expm1_of_nonpositive(np.minimum(Z, 0))  # -1 far below 0
    negative *= ELU_ALPHA
    np.maximum(Z, 0, out=Z)
    Z += negative
    return Z


def gelu(Z):
    """Gaussian error linear unit ``0.5 Z (1 + erf(Z / sqrt(2)))``, in place.

    The exact (erf) form, not the tanh approximation; ``1 + erf(x)`` is computed
    as ``erfc(-x)``, the same number without cancellation for negative ``Z``.
    """
    Phi = np.multiply(Z, -1 / math.sqrt(2), dtype=Z.dtype)
    erfc(Phi, out=Phi)
    Z *= 0.5
    Z *= Phi
    return Z


def silu(Z):
    """Sigmoid linear unit (swish) ``Z * sigmoid(Z)``, in place."""
    Z *= expit(Z)
    return Z


def softplus(Z):
    """Softplus ``log(1 + exp(Z))``, in place, as ``logaddexp(Z, 0)``: no overflow."""
    return np.logaddexp(Z, 0, out=Z)


ACTIVATIONS = {
    "identity": identity,
    "logistic": logistic,
    "tanh": tanh,
    "relu": relu,
    "leaky_relu": leaky_relu,
    "elu": elu,
    "gelu": gelu,
    "silu": silu,
    "softplus": softplus,
    "softmax": softmax,
    "exp": exp,
}

#: The activations a hidden layer may have (``activation=``).
HIDDEN_ACTIVATIONS = (
    "identity",
    "logistic",
    "tanh",
    "relu",
    "leaky_relu",
    "elu",
    "gelu",
    "silu",
    "softplus",
)


def per_layer(activation, n_hidden):
    """The list of hidden activation names: a single name holds for every layer."""
    if isinstance(activation, str):
        return [activation] * n_hidden
    return list(activation)


# Derivatives: multiply ``delta`` (dLoss/dA) in place by dA/dZ, given A.


def identity_derivative(A, delta):
    """dA/dZ = 1."""
    return delta


def logistic_derivative(A, delta):
    """dA/dZ = A (1 - A): the blog's ``nonlin(l, deriv=True)``."""
    delta *= A
    # A float 1.0, not 1: NumPy converts a Python float operand faster than an
    # int (0.40 against 0.49 us on the blog's 4 x 1 arrays), to the same values.
    delta *= 1.0 - A
    return delta


def tanh_derivative(A, delta):
    """dA/dZ = 1 - A**2."""
    delta *= 1.0 - A**2
    return delta


def relu_derivative(A, delta):
    """dA/dZ = 1 where the unit is active, else 0."""
    delta *= A > 0
    return delta


def softmax_derivative(A, delta):
    """Jacobian-vector product of softmax: ``A * (delta - sum(delta * A))`` per row."""
    dot = np.einsum("ij,ij->i", delta, A)[:, None]
    delta -= dot
    delta *= A
    return delta


def exp_derivative(A, delta):
    """dA/dZ = A."""
    delta *= A
    return delta


def leaky_relu_derivative(A, delta):
    """dA/dZ = 1 where the unit is positive, else 0.01 (at 0 too)."""
    delta *= np.where(A > 0, 1.0, LEAKY_SLOPE).astype(delta.dtype, copy=False)
    return delta


def elu_derivative(A, delta):
    """dA/dZ = 1 where the unit is positive, else ``exp(Z) = A + alpha``."""
    delta *= np.where(A > 0, 1, A + ELU_ALPHA)
    return delta


def softplus_derivative(A, delta):
    """dA/dZ = sigmoid(Z) = ``1 - exp(-A)`` (``A``, a softplus, is positive)."""
    slope = expm1_of_nonpositive(np.negative(A))
    np.negative(slope, out=slope)
    delta *= slope
    return delta


def gelu_derivative(Z, delta):
    """dA/dZ = ``Phi(Z) + Z phi(Z)``, from the pre-activation ``Z``.

    ``Phi`` is the standard normal distribution function, ``phi`` its density;
    beyond ``|Z| = 40`` the second term is below the smallest float, and
    clipping there keeps ``Z**2`` from overflowing.
    """
    Phi = np.multiply(Z, -1 / math.sqrt(2), dtype=Z.dtype)
    erfc(Phi, out=Phi)
    Phi *= 0.5
    near = np.clip(Z, -GELU_CUTOFF, GELU_CUTOFF)
    density = np.square(near)
    density *= -0.5
    np.exp(density, out=density)
    density *= near
    density *= 1 / math.sqrt(2 * math.pi)
    Phi += density
    delta *= Phi
    return delta


def silu_derivative(Z, delta):
    """dA/dZ = ``s (1 + Z (1 - s))`` with ``s = sigmoid(Z)``, from ``Z``.

    For large ``|Z|`` either ``s`` or ``1 - s`` is exactly 0 (never ``inf``
    times 0), so the slope stays finite.
    """
    s = expit(Z)
    slope = 1 - s
    slope *= Z
    slope += 1
    slope *= s
    delta *= slope
    return delta


# The output layer's activations: the same, but an exact sigmoid.
OUTPUT_ACTIVATIONS = {**ACTIVATIONS, "logistic": exact_logistic}

DERIVATIVES = {
    "identity": identity_derivative,
    "logistic": logistic_derivative,
    "tanh": tanh_derivative,
    "relu": relu_derivative,
    "leaky_relu": leaky_relu_derivative,
    "elu": elu_derivative,
    "gelu": gelu_derivative,
    "silu": silu_derivative,
    "softplus": softplus_derivative,
    "softmax": softmax_derivative,
    "exp": exp_derivative,
}

# The derivatives above that read the pre-activation ``Z`` instead of ``A``.
NEEDS_Z = frozenset({"gelu", "silu"})


# -- The generic path: arrays of any other Array API library ------------------------
#
# The same functions written against the array's namespace, for PyTorch, CuPy or
# array-api-strict arrays (see ``_array_api``). They return new arrays instead of
# writing in place (the standard has no ``out=``); callers use what they return.
# NumPy keeps its own in-place functions above: an epoch allocates no activation
# arrays, which benchmarks/RESULTS.md's "Epoch time, 50,000 x 100" rows pay for.
# The sigmoid is written out; scipy.special's ``erfc`` (for "gelu") runs in the
# array's own namespace, as it does when scikit-learn's array API dispatch is on
# (which needs SCIPY_ARRAY_API=1).


def _xp(Z):
    return namespace(Z)


def _generic_exact_logistic(Z):
    """The sigmoid from ``exp(-|Z|)``: exact in both tails, never overflowing."""
    xp = _xp(Z)
    small = xp.exp(-xp.abs(Z))
    return xp.where(Z >= 0, 1 / (1 + small), small / (1 + small))


def _generic_softmax(Z):
    xp = _xp(Z)
    E = xp.exp(Z - xp.max(Z, axis=1, keepdims=True))
    return E / xp.sum(E, axis=1, keepdims=True)


def _generic_exp(Z):
    xp = _xp(Z)
    return xp.exp(xp.clip(Z, max=math.log(xp.finfo(Z.dtype).max) / 2))


def _generic_elu(Z):
    xp = _xp(Z)
    return xp.where(Z > 0, Z, ELU_ALPHA * xp.expm1(xp.clip(Z, max=0.0)))


def _generic_gelu(Z):
    return 0.5 * Z * erfc(Z * (-1 / math.sqrt(2)))


GENERIC_ACTIVATIONS = {
    "identity": identity,
    "logistic": _generic_exact_logistic,
    "tanh": lambda Z: _xp(Z).tanh(Z),
    "relu": lambda Z: _xp(Z).clip(Z, min=0.0),
    "leaky_relu": lambda Z: _xp(Z).where(Z > 0, Z, LEAKY_SLOPE * Z),
    "elu": _generic_elu,
    "gelu": _generic_gelu,
    "silu": lambda Z: Z * _generic_exact_logistic(Z),
    "softplus": lambda Z: _xp(Z).logaddexp(Z, _xp(Z).zeros_like(Z)),
    "softmax": _generic_softmax,
    "exp": _generic_exp,
}
GENERIC_OUTPUT_ACTIVATIONS = GENERIC_ACTIVATIONS  # the sigmoid is exact for both


def _generic_softmax_derivative(A, delta):
    xp = _xp(A)
    return (delta - xp.sum(delta * A, axis=1, keepdims=True)) * A


def _generic_gelu_derivative(Z, delta):
    xp = _xp(Z)
    Phi = 0.5 * erfc(Z * (-1 / math.sqrt(2)))
    near = xp.clip(Z, min=-GELU_CUTOFF, max=GELU_CUTOFF)
    density = xp.exp(-0.5 * near**2) * near * (1 / math.sqrt(2 * math.pi))
    return delta * (Phi + density)


def _generic_silu_derivative(Z, delta):
    s = _generic_exact_logistic(Z)
    return delta * (((1 - s) * Z + 1) * s)


GENERIC_DERIVATIVES = {
    "identity": identity_derivative,
    "logistic": lambda A, delta: delta * A * (1 - A),
    "tanh": lambda A, delta: delta * (1 - A**2),
    "relu": lambda A, delta: _xp(A).where(A > 0, delta, _xp(A).zeros_like(delta)),
    "leaky_relu": lambda A, delta: _xp(A).where(A > 0, delta, LEAKY_SLOPE * delta),
    "elu": lambda A, delta: _xp(A).where(A > 0, delta, delta * (A + ELU_ALPHA)),
    "gelu": _generic_gelu_derivative,
    "silu": _generic_silu_derivative,
    "softplus": lambda A, delta: delta * -_xp(A).expm1(-A),
    "softmax": _generic_softmax_derivative,
    "exp": lambda A, delta: delta * A,
}


class Tables(NamedTuple):
    """The activation tables of one array library's path."""

    activations: dict  # hidden activations, by name
    output_activations: dict
    derivatives: dict


NUMPY_TABLES = Tables(ACTIVATIONS, OUTPUT_ACTIVATIONS, DERIVATIVES)
GENERIC_TABLES = Tables(
    GENERIC_ACTIVATIONS, GENERIC_OUTPUT_ACTIVATIONS, GENERIC_DERIVATIVES
)


def tables(array):
    """The :class:`Tables` for ``array``'s library.

    NumPy's in-place functions for an ndarray or sparse matrix, the generic
    ones for any other array. Asked once per ``Network``, of its weights.
    """
    return NUMPY_TABLES if is_numpy(array) else GENERIC_TABLES
