"""Label smoothing: the loss is the cross-entropy against the smoothed targets.

With ``label_smoothing=eps`` the 0/1 targets become ``Y * (1 - eps) + eps / K``
(``K`` the softmax's classes, 2 for each sigmoid output). The loss value is
then the true cross-entropy against those soft targets, whose exact gradient
the backward pass returns: checked by central finite differences in float64
for binary, multiclass and multilabel outputs and for the classifier's
squared error, with and without sample weights, and against a direct NumPy
computation. On 0/1 targets the soft forms are the 0/1 forms.
"""

import numpy as np
import pytest

from sklearn_toynet._activations import OUTPUT_ACTIVATIONS
from sklearn_toynet._losses import LOSSES, Objective, smoothed_targets

from _gradients_helpers import (
    analytic_and_numeric,
    assert_away_from_relu_kink,
    assert_gradients_match,
    make_problem,
)

CLASSIFIER_PAIRINGS = [
    "log_loss-logistic-binary",
    "log_loss-softmax-multiclass",
    "log_loss-logistic-multilabel",
    "squared_error-logistic",
    "squared_error-softmax",
]


@pytest.mark.parametrize("weighted", [False, True], ids=["plain", "weighted"])
@pytest.mark.parametrize(
    "activation, depth", [("identity", ()), ("tanh", (5,)), ("relu", (4, 3))]
)
@pytest.mark.parametrize("pairing", CLASSIFIER_PAIRINGS)
def test_smoothed_loss_gradient_matches_finite_differences(
    pairing, activation, depth, weighted
):
    net, X, Y, loss = make_problem(pairing, activation, depth, True, n_samples=9)
    if pairing == "squared_error-logistic":
        Y = np.round(Y)  # a classifier's 0/1 targets
    assert_away_from_relu_kink(net, X)
    sample_weight = None
    if weighted:
        sample_weight = np.random.RandomState(1).uniform(0.1, 3.0, X.shape[0])
    grads, numeric = analytic_and_numeric(
        net, X, Y, sample_weight, loss, alpha=0.1, label_smoothing=0.3
    )
    assert_gradients_match(grads, numeric)


def _outputs_and_targets(out_activation, n_outputs, seed=0, n_samples=11):
    rng = np.random.RandomState(seed)
    P = OUTPUT_ACTIVATIONS[out_activation](rng.normal(size=(n_samples, n_outputs)))
    if out_activation == "softmax":
        Y = np.eye(n_outputs)[rng.randint(0, n_outputs, n_samples)]
    else:
        Y = rng.randint(0, 2, (n_samples, n_outputs)).astype(float)
    return P, Y


# (output activation, outputs): binary, multiclass, multilabel
OUTPUTS = [("logistic", 1), ("softmax", 4), ("logistic", 3)]


@pytest.mark.parametrize("weighted", [False, True], ids=["plain", "weighted"])
@pytest.mark.parametrize("out_activation, n_outputs", OUTPUTS)
def test_smoothed_log_loss_is_the_cross_entropy_against_smoothed_targets(
    out_activation, n_outputs, weighted
):
    eps = 0.2
    P, Y = _outputs_and_targets(out_activation, n_outputs)
    w = np.random.RandomState(3).uniform(0, 2, len(P)) if weighted else None
    value, delta = Objective("log_loss", label_smoothing=eps).loss_and_delta(
        out_activation, Y, P.copy(), w
    )
    # Written out from the definition, one class count per output kind.
    K = n_outputs if out_activation == "softmax" else 2
    soft = np.where(Y == 1, 1 - eps + eps / K, eps / K)
    if out_activation == "softmax":
        per_row = -(soft * np.log(P)).sum(axis=1)
    else:
        per_row = -(soft * np.log(P) + (1 - soft) * np.log(1 - P)).sum(axis=1)
    row_weight = np.ones(len(P)) if w is None else w
    assert value == pytest.approx(np.average(per_row, weights=row_weight), rel=1e-12)
    expected_delta = (P - soft) * (row_weight / row_weight.sum())[:, None]
    np.testing.assert_allclose(delta, expected_delta, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("out_activation, n_outputs", OUTPUTS)
def test_smoothed_squared_error_uses_the_smoothed_targets(out_activation, n_outputs):
    eps = 0.1
    P, Y = _outputs_and_targets(out_activation, n_outputs, seed=4)
    value, _ = Objective("squared_error", label_smoothing=eps).loss_and_delta(
        out_activation, Y, P.copy()
    )
    K = n_outputs if out_activation == "softmax" else 2
    soft = Y * (1 - eps) + eps / K
    assert value == pytest.approx(0.5 * ((P - soft) ** 2).sum() / len(P), rel=1e-12)
    plain, _ = Objective("squared_error").loss_and_delta(out_activation, Y, P.copy())
    assert value != pytest.approx(plain, rel=1e-6)


@pytest.mark.parametrize("out_activation, n_outputs", OUTPUTS)
def test_smoothed_targets_keep_their_classes_and_sum(out_activation, n_outputs):
    eps = 0.25
    _, Y = _outputs_and_targets(out_activation, n_outputs, seed=5)
    soft = smoothed_targets(Y, out_activation, eps)
    K = n_outputs if out_activation == "softmax" else 2
    np.testing.assert_allclose(soft[Y == 1], 1 - eps + eps / K, rtol=1e-15)
    np.testing.assert_allclose(soft[Y == 0], eps / K, rtol=1e-15)
    if out_activation == "softmax":  # still a distribution over the classes
        np.testing.assert_allclose(soft.sum(axis=1), 1.0, rtol=1e-15)
    assert (soft[Y == 1] > soft.max(where=Y == 0, initial=0)).all()


@pytest.mark.parametrize(
    "soft, hard, out_activation, n_outputs",
    [
        ("soft_log_loss", "log_loss", "logistic", 3),
        ("soft_categorical_log_loss", "categorical_log_loss", "softmax", 4),
    ],
)
def test_soft_forms_on_0_1_targets_are_the_0_1_forms(
    soft, hard, out_activation, n_outputs
):
    P, Y = _outputs_and_targets(out_activation, n_outputs, seed=6)
    np.testing.assert_allclose(
        LOSSES[soft](Y, P, P - Y), LOSSES[hard](Y, P, P - Y), rtol=1e-12
    )


@pytest.mark.parametrize("out_activation, n_outputs", OUTPUTS)
def test_no_smoothing_runs_the_0_1_forms_bit_for_bit(out_activation, n_outputs):
    P, Y = _outputs_and_targets(out_activation, n_outputs, seed=7)
    w = np.random.RandomState(8).uniform(0, 2, len(P))
    hard = "categorical_log_loss" if out_activation == "softmax" else "log_loss"
    per_entry = LOSSES[hard](Y, P, P - Y).reshape(len(P), -1).sum(axis=1)
    value, delta = Objective("log_loss", label_smoothing=0.0).loss_and_delta(
        out_activation, Y, P.copy(), w
    )
    assert value == float(per_entry @ w) / float(w.sum())
    np.testing.assert_array_equal(delta, (P - Y) * (w / w.sum())[:, None])


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("out_activation, n_outputs", OUTPUTS)
def test_smoothed_loss_is_finite_at_saturated_outputs(out_activation, n_outputs, dtype):
    Z = np.random.RandomState(9).choice([-1e30, 1e30], (4, n_outputs)).astype(dtype)
    P = OUTPUT_ACTIVATIONS[out_activation](Z)
    _, Y = _outputs_and_targets(out_activation, n_outputs, n_samples=4)
    Y = Y.astype(dtype)
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        value, delta = Objective("log_loss", label_smoothing=0.1).loss_and_delta(
            out_activation, Y, P
        )
    assert np.isfinite(value) and value > 0
    assert delta.dtype == dtype and np.isfinite(delta).all()
