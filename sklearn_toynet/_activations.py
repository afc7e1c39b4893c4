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
    """Sigmoid ``1 / (1 + exp(-Z))``, in place.

    Computed through the identity ``sigmoid(z) = (1 + tanh(z / 2)) / 2``: ``tanh``
    saturates instead of overflowing, so no input raises a RuntimeWarning, and it
    is 2-5x faster than ``scipy.special.expit`` (see benchmarks/).

    In the lower tail ``1 + tanh(z / 2)`` cancels to nothing (exactly 0 below
    z = -37 in float64, where expit still gives 1e-17): there, and only there,
    ``exp(z) / (1 + exp(z))`` keeps every digit, so small probabilities and
    their logs stay as accurate as MLPClassifier's.
    """
    if Z.size < SMALL:
        # One call beats the several below on small blocks (the blog's 4 x 4).
        return expit(Z, out=Z)
    cutoff = np.log(np.finfo(Z.dtype).eps) / 4  # -9 in float64, -4 in float32
    tail = np.less(Z, cutoff)
    Z_tail = Z[tail] if tail.any() else None
    Z *= 0.5
    np.tanh(Z, out=Z)
    Z *= 0.5
    Z += 0.5
    if Z_tail is not None:
        E = np.exp(Z_tail)  # < 1: no overflow; underflow to 0 is silent
        E /= 1 + E
        Z[tail] = E
    return Z


def tanh(Z):
    """Hyperbolic tangent, in place."""
    return np.tanh(Z, out=Z)


def relu(Z):
    """Rectified linear unit ``max(Z, 0)``, in place."""
    return np.maximum(Z, 0, out=Z)


def softmax(Z):
    """Row-wise softmax, in place; subtracting the row maximum keeps exp finite."""
    Z -= Z.max(axis=1, keepdims=True)
    np.exp(Z, out=Z)
    Z /= Z.sum(axis=1, keepdims=True)
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


DERIVATIVES = {
    "identity": identity_derivative,
    "logistic": logistic_derivative,
    "tanh": tanh_derivative,
    "relu": relu_derivative,
    "softmax": softmax_derivative,
    "exp": exp_derivative,
}
