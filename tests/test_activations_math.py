"""The hidden activations compute their definitions, and their exact slopes.

Each of "leaky_relu", "elu", "gelu", "silu" and "softplus" matches its textbook
formula; each derivative matches central finite differences of its function;
and both stay finite, quiet and in the input's dtype for any finite input, down
to float64's and float32's largest values.
"""

import numpy as np
import pytest
from scipy.special import erf, ndtr

from sklearn_toynet._activations import (
    ACTIVATIONS,
    DERIVATIVES,
    HIDDEN_ACTIVATIONS,
    NEEDS_Z,
)

# The definitions, written the plain way (overflowing far out, fine near 0).
DEFINITIONS = {
    "leaky_relu": lambda z: np.where(z > 0, z, 0.01 * z),
    "elu": lambda z: np.where(z > 0, z, np.exp(z) - 1),
    "gelu": lambda z: 0.5 * z * (1 + erf(z / np.sqrt(2))),
    "silu": lambda z: z / (1 + np.exp(-z)),
    "softplus": lambda z: np.log(1 + np.exp(z)),
}
# (slope far below 0, slope far above 0)
LIMITING_SLOPES = {
    "identity": (1, 1),
    "logistic": (0, 0),
    "tanh": (0, 0),
    "relu": (0, 1),
    "leaky_relu": (0.01, 1),
    "elu": (0, 1),
    "gelu": (0, 1),
    "silu": (0, 1),
    "softplus": (0, 1),
}
Z = np.linspace(-20, 20, 4001)


def slope(name, Z_):
    """dA/dZ at ``Z_`` through the derivative as the backward pass calls it."""
    A = ACTIVATIONS[name](Z_.copy())
    return DERIVATIVES[name](Z_ if name in NEEDS_Z else A, np.ones_like(Z_))


@pytest.mark.parametrize("name", list(DEFINITIONS))
def test_activation_matches_its_definition(name):
    np.testing.assert_allclose(
        ACTIVATIONS[name](Z.copy()), DEFINITIONS[name](Z), rtol=1e-12, atol=1e-15
    )


@pytest.mark.parametrize("name", HIDDEN_ACTIVATIONS)
def test_derivative_matches_central_differences(name):
    Z_ = Z[np.abs(Z) > 1e-3]  # a relu's kink at 0 has no derivative
    h = 1e-6
    numeric = (
        ACTIVATIONS[name](Z_ + h) - ACTIVATIONS[name](Z_ - h)
    ) / (2 * h)  # fmt: skip
    np.testing.assert_allclose(slope(name, Z_), numeric, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("name", HIDDEN_ACTIVATIONS)
def test_activation_and_slope_finite_for_any_finite_input(name, dtype):
    info = np.finfo(dtype)
    Z_ = np.array(
        [-info.max, -1e300, -1e30, -800, -40, -info.tiny, 0, info.smallest_subnormal,
         1e-10, 40, 800, 1e30, 1e300, info.max],
    ).clip(-info.max, info.max).astype(dtype)  # fmt: skip
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        A = ACTIVATIONS[name](Z_.copy())
        dA = slope(name, Z_)
    assert A.dtype == dtype and dA.dtype == dtype
    assert np.isfinite(A).all() and np.isfinite(dA).all()
    below, above = LIMITING_SLOPES[name]
    np.testing.assert_allclose(dA[[0, -1]], [below, above], atol=1e-12)
    assert (np.abs(A) <= np.abs(Z_) + 1).all()  # never larger than a linear unit


@pytest.mark.parametrize("name", ["softplus", "elu", "gelu", "silu"])
def test_smooth_activations_keep_every_digit_in_the_tails(name):
    # Far below 0, softplus, gelu and silu are tiny (gelu's 1 + erf would round
    # to 0 there). elu's slope exp(z), read from its output as A + 1, is right
    # to float64 rounding of 1: the bit that matters next to the other slopes.
    z = np.array([-30.0])
    expected = {
        "softplus": np.exp(-30.0),
        "elu": np.expm1(-30.0),
        "gelu": -30.0 * ndtr(-30.0),
        "silu": -30.0 * np.exp(-30.0) / (1 + np.exp(-30.0)),
    }[name]
    assert expected != 0
    assert ACTIVATIONS[name](z.copy())[0] == pytest.approx(expected, rel=1e-10, abs=0)
    if name == "elu":
        assert slope(name, z)[0] == pytest.approx(np.exp(-30.0), rel=0, abs=1e-15)
