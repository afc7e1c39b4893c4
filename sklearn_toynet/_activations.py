"""Activation functions and their derivatives, looked up by name.

Every function works in place on its argument, so the forward pass can reuse one
buffer per layer. Derivatives are written in terms of the activation's *output*
``A`` (the blog's ``nonlin(l1, deriv=True) == l1 * (1 - l1)``): backprop never
needs the pre-activations ``Z`` again.
"""

import numpy as np
from scipy.special import expit

# Below this many entries, scipy's expit (one ufunc call) is faster than the tanh
# identity (four calls and a tail fix); above it, the identity is 2x faster.
SMALL = 1024


def identity(Z):
    """Leave ``Z`` as it is."""
    return Z


def logistic(Z):
    """Sigmoid ``1 / (1 + exp(-Z))`` of a hidden layer, in place.

    Large blocks go through the identity ``sigmoid(z) = (1 + tanh(z / 2)) / 2``:
    ``tanh`` saturates instead of overflowing, so no input raises a
    RuntimeWarning, and it is 2x faster than ``scipy.special.expit`` on a
    200 x 100 block (see benchmarks/). It rounds values below about 1e-16 to 0,
    which a hidden unit never notices; the output layer uses
    :func:`exact_logistic`.
    """
    if Z.size < SMALL:
        # One call beats the four below on small blocks (the blog's 4 x 4).
        return expit(Z, out=Z)
    Z *= 0.5
    np.tanh(Z, out=Z)
    Z *= 0.5
    Z += 0.5
    return Z


def exact_logistic(Z):
    """Sigmoid of the output layer, in place, exact down to the smallest floats.

    Probabilities (and ``predict_log_proba``) keep every digit in the tails, as
    MLPClassifier's do; ``expit`` never overflows.
    """
    return expit(Z, out=Z)


def tanh(Z):
    """Hyperbolic tangent, in place."""
    return np.tanh(Z, out=Z)


def relu(Z):
    """Rectified linear unit ``max(Z, 0)``, in place."""
    return np.maximum(Z, 0, out=Z)


def softmax(Z):
    """Row-wise softmax, in place; subtracting the row maximum keeps exp finite.

    numpy reduces a short last axis slowly, so the row maxima come from a
    transposed copy and the row sums from a product with ones: 3x faster on a
    batch of 200 x 10 (see benchmarks/).
    """
    Z -= np.ascontiguousarray(Z.T).max(axis=0)[:, None]
    np.exp(Z, out=Z)
    Z /= (Z @ np.ones(Z.shape[1], dtype=Z.dtype))[:, None]
    return Z


def exp(Z):
    """Exponential (the Poisson loss's log link), in place, capped below overflow."""
    np.minimum(Z, np.log(np.finfo(Z.dtype).max) / 2, out=Z)
    return np.exp(Z, out=Z)


ACTIVATIONS = {
    "identity": identity,
    "logistic": logistic,
    "tanh": tanh,
    "relu": relu,
    "softmax": softmax,
    "exp": exp,
}


# Derivatives: multiply ``delta`` (dLoss/dA) in place by dA/dZ, given A.


def identity_derivative(A, delta):
    """dA/dZ = 1."""
    return delta


def logistic_derivative(A, delta):
    """dA/dZ = A (1 - A): the blog's ``nonlin(l, deriv=True)``."""
    delta *= A
    delta *= 1 - A
    return delta


def tanh_derivative(A, delta):
    """dA/dZ = 1 - A**2."""
    delta *= 1 - A**2
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


# The output layer's activations: the same, but an exact sigmoid.
OUTPUT_ACTIVATIONS = {**ACTIVATIONS, "logistic": exact_logistic}

DERIVATIVES = {
    "identity": identity_derivative,
    "logistic": logistic_derivative,
    "tanh": tanh_derivative,
    "relu": relu_derivative,
    "softmax": softmax_derivative,
    "exp": exp_derivative,
}
