"""Every candidate of every chosen kernel computes its math, on any machine.

``_kernels`` picks one way of writing an elementwise kernel per process, by
timing; a test machine would exercise only its own pick. Here each candidate is
run directly, and through the public activation with the choice forced, against
the reference math computed in float64 (and in long double where there is one),
over inputs from 0 to the dtype's largest: the same values to rounding, no
RuntimeWarning, no overflow. The choosing machinery itself: forced choices, the
environment variable, the cache and the rule that the default stays unless
another candidate is clearly faster.
"""

import os
import subprocess
import sys
import time

import numpy as np
import pytest
from scipy.special import expit

from sklearn_toynet import ToyNetClassifier, _kernels
from sklearn_toynet._activations import ACTIVATIONS, DERIVATIVES

# The math each kernel must compute, computed in float64 the plain way.
REFERENCES = {
    "logistic": lambda z: expit(z),
    "tanh": lambda z: np.tanh(z),
    "expm1": lambda z: np.expm1(z),
}
# The inputs a kernel is given: any float, but only non-positive ones to expm1.
DOMAINS = {"expm1": lambda Z: -np.abs(Z)}
# Where each kernel runs, with that function's own reference math.
USES = {
    "logistic": (ACTIVATIONS["logistic"], expit),
    "tanh": (ACTIVATIONS["tanh"], np.tanh),
    "expm1": (
        ACTIVATIONS["elu"],
        lambda z: np.where(z > 0, z, np.expm1(np.minimum(z, 0))),
    ),
    "softplus slope": (
        lambda A: DERIVATIVES["softplus"](A, np.ones_like(A)),
        lambda A: -np.expm1(-A),
    ),
}
USE_CASES = [
    (use, name, dtype)
    for use in USES
    for name in _kernels.candidates(use if use in REFERENCES else "expm1")
    for dtype in (np.float32, np.float64)
]
KERNEL_CASES = [
    (kernel, name, dtype)
    for kernel in REFERENCES
    for name in _kernels.candidates(kernel)
    for dtype in (np.float32, np.float64)
]


def extreme_inputs(dtype, kernel=None):
    """A grid around 0, the saturation and overflow points, and the dtype's limits."""
    info = np.finfo(dtype)
    special = [0.0, info.tiny, info.eps, 1e-30, 0.5, 17, 20, 33, 40, 86, 88, 90]
    special += [300, 700, 708, 710, 1e10, float(info.max)]
    grid = np.concatenate([np.linspace(-50, 50, 2001), special, np.negative(special)])
    # 2-D and more than ``SMALL`` entries, as a layer's block.
    Z = np.resize(grid, (8, grid.size // 8 + 1)).astype(dtype)
    return DOMAINS.get(kernel, lambda Z: Z)(Z)


@pytest.fixture
def restore_choices():
    """Leave the process's choices as they were (forced or measured)."""
    saved = dict(_kernels._forced_choices())
    yield
    for kernel in _kernels._CANDIDATES:
        _kernels.force(kernel, saved.get(kernel))


def assert_matches_reference(reference_math, out, Z, dtype):
    reference = reference_math(Z.astype(np.float64))
    assert out.dtype == dtype
    assert np.isfinite(out).all()
    # Absolute: the tanh identity rounds the sigmoid's far tail to 0, and
    # ``1 - 2 / (1 + exp(2 z))`` loses tanh's relative precision near 0.
    eps = np.finfo(dtype).eps
    np.testing.assert_allclose(out, reference, rtol=4 * eps, atol=4 * eps)


@pytest.mark.parametrize("kernel, name, dtype", KERNEL_CASES)
def test_candidate_computes_the_reference_math_quietly(kernel, name, dtype):
    Z = extreme_inputs(dtype, kernel)
    function = _kernels.candidates(kernel)[name]
    # Overflow, division by zero or an invalid operation would raise here,
    # even ones numpy would otherwise report only as a warning.
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        out = function(Z.copy())
    assert_matches_reference(REFERENCES[kernel], out, Z, dtype)


@pytest.mark.parametrize("use, name, dtype", USE_CASES)
def test_forced_choice_runs_where_the_kernel_is_used(use, name, dtype, restore_choices):
    kernel = use if use in REFERENCES else "expm1"
    _kernels.force(kernel, name)
    function, reference_math = USES[use]
    Z = extreme_inputs(dtype)
    if use == "softplus slope":  # a softplus output: positive
        Z = np.abs(Z)
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        out = function(Z.copy())
    assert _kernels.choices()[f"{kernel} {np.dtype(dtype)}"] == name
    assert_matches_reference(reference_math, out, Z, dtype)


@pytest.mark.parametrize(
    "kernel, activation", [("logistic", "logistic"), ("tanh", "tanh"), ("expm1", "elu")]
)
def test_every_choice_trains_the_same_network_to_rounding(
    kernel, activation, restore_choices
):
    rng = np.random.RandomState(0)
    X = rng.normal(size=(400, 6))
    y = (X[:, 0] * X[:, 1] > 0).astype(int)
    coefs = {}
    for name in _kernels.candidates(kernel):
        _kernels.force(kernel, name)
        model = ToyNetClassifier(
            hidden_layer_sizes=(16,),  # batches of 200 x 16: the chosen kernel
            activation=activation,
            max_iter=5,
            random_state=0,
            tol=None,  # exactly 5 epochs: the weights are compared, not converged
        ).fit(X, y)
        coefs[name] = model.coefs_
    first, *others = coefs.values()
    for other in others:
        for W, W_other in zip(first, other):
            np.testing.assert_allclose(W_other, W, rtol=1e-9, atol=1e-12)


def test_choice_is_measured_once_and_cached(restore_choices):
    _kernels.force("logistic", None)
    first = _kernels.choose("logistic", np.float64)
    assert _kernels.choose("logistic", np.dtype("float64")) is first
    assert first in _kernels.candidates("logistic").values()
    assert "logistic float64" in _kernels.choices()


def _fake_kernel(monkeypatch, seconds):
    """A kernel whose candidates sleep for the given times, the default first."""

    def sleeper(pause):
        return lambda Z: time.sleep(pause)

    fake = {name: sleeper(pause) for name, pause in seconds.items()}
    monkeypatch.setitem(_kernels._CANDIDATES, "fake", fake)
    monkeypatch.setattr(_kernels, "BLOCK", (2, 2))
    return _kernels._fastest("fake", np.dtype(np.float64))


def test_a_clearly_faster_candidate_replaces_the_default(monkeypatch):
    assert _fake_kernel(monkeypatch, {"slow": 0.004, "fast": 0.0}) == "fast"


def test_the_default_stays_unless_another_is_clearly_faster(monkeypatch):
    # 2% faster at best (the sleeps' own jitter only lengthens them): within
    # the margin, so the default stays.
    assert _kernels.MARGIN >= 0.05
    pick = _fake_kernel(monkeypatch, {"default": 0.0100, "close": 0.0098})
    assert pick == "default"


def test_force_refuses_an_unknown_kernel_or_candidate():
    with pytest.raises(ValueError, match="Unknown kernel 'softsign'"):
        _kernels.force("softsign", "exp")
    with pytest.raises(ValueError, match="not a candidate of 'logistic'"):
        _kernels.force("logistic", "erf")


@pytest.mark.slow  # three fresh interpreters
def test_environment_variable_forces_the_choice():
    code = (
        "import numpy as np; from sklearn_toynet import _kernels, _activations;"
        "_activations.logistic(np.zeros((64, 64)));"
        "print(_kernels.choices()['logistic float64'])"
    )
    for name in _kernels.candidates("logistic"):
        env = {**os.environ, _kernels.ENV_VAR: f"logistic={name}"}
        out = subprocess.run(
            [sys.executable, "-c", code],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        assert out.stdout.strip() == name


def test_a_malformed_environment_variable_is_named_in_the_error():
    with pytest.raises(ValueError, match="SKLEARN_TOYNET_KERNELS holds 'logistic'"):
        _kernels._parse("logistic")
    with pytest.raises(ValueError, match="'logistic=erf'"):
        _kernels._parse("tanh=exp, logistic=erf")
    with pytest.raises(ValueError, match="'softsign=exp'"):
        _kernels._parse("softsign=exp")
    assert _kernels._parse(" tanh=exp, logistic=tanh ") == {
        "tanh": "exp",
        "logistic": "tanh",
    }
