"""The L2 penalty, sample weights and class weights enter the exact gradient.

With each, the gradient ``loss_and_gradient`` fills in matches central finite
differences of the loss it returns (in float64), and differs from the gradient
without it; the estimator trains on the class-weighted loss, with its exact
gradient.
"""

import numpy as np
import pytest
from sklearn.utils.class_weight import compute_sample_weight

from sklearn_toynet import ToyNetClassifier, _training
from sklearn_toynet._network import Network

from _gradients_helpers import (
    HIDDEN_ACTIVATIONS,
    PAIRINGS,
    analytic_and_numeric,
    assert_away_from_relu_kink,
    assert_gradients_match,
    make_problem,
)


@pytest.mark.parametrize("activation", HIDDEN_ACTIVATIONS)
@pytest.mark.parametrize(
    "pairing", ["log_loss-softmax-multiclass", "squared_error-identity"]
)
def test_l2_penalty_gradient_matches_finite_differences(pairing, activation):
    net, X, Y, loss = make_problem(pairing, activation, (4, 3), True)
    assert_away_from_relu_kink(net, X)
    grads, numeric = analytic_and_numeric(net, X, Y, None, loss, alpha=0.7)
    assert_gradients_match(grads, numeric)
    # The penalty really is in there: without it the weight gradients differ.
    plain, _ = analytic_and_numeric(net, X, Y, None, loss, alpha=0.0)
    assert not np.allclose(grads[0], plain[0])


@pytest.mark.parametrize("alpha", [0.0, 0.3])
@pytest.mark.parametrize("pairing", list(PAIRINGS))
def test_sample_weighted_gradient_matches_finite_differences(pairing, alpha):
    net, X, Y, loss = make_problem(pairing, "tanh", (5,), True)
    sample_weight = np.random.RandomState(1).uniform(0.1, 3.0, X.shape[0])
    grads, numeric = analytic_and_numeric(net, X, Y, sample_weight, loss, alpha=alpha)
    assert_gradients_match(grads, numeric)
    # Non-uniform weights change the gradient.
    unweighted, _ = analytic_and_numeric(net, X, Y, None, loss, alpha=alpha)
    assert not np.allclose(grads[0], unweighted[0])


@pytest.mark.parametrize(
    "class_weight, y",
    [
        ("balanced", np.array([0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 1])),
        ({0: 1.0, 1: 5.0, 2: 0.5}, np.array([0, 1, 2, 0, 1, 2, 0, 0, 2, 2, 1, 0])),
    ],
    ids=["balanced-binary", "dict-multiclass"],
)
def test_class_weight_gradient_matches_finite_differences(monkeypatch, class_weight, y):
    """The estimator trains on the weighted loss, with its exact gradient."""
    seen = []
    original = _training.loss_and_gradient

    def recording(net, batch, grads, objective, **kwargs):
        sample_weight = batch.sample_weight
        seen.append(
            (
                [p.copy() for p in net.params()],
                batch.X.copy(),
                batch.Y.copy(),
                None if sample_weight is None else sample_weight.copy(),
                objective,
            )
        )
        return original(net, batch, grads, objective, **kwargs)

    monkeypatch.setattr(_training, "loss_and_gradient", recording)
    X = np.random.RandomState(0).normal(size=(len(y), 3))
    clf = ToyNetClassifier(
        hidden_layer_sizes=(4,),
        activation="tanh",
        solver="sgd",
        class_weight=class_weight,
        batch_size=len(y),
        shuffle=False,
        max_iter=2,
        tol=None,
        alpha=0.01,
        random_state=0,
    ).fit(X, y)
    assert len(seen) == 2
    params, X_seen, Y_seen, sample_weight, objective = seen[-1]
    np.testing.assert_allclose(sample_weight, compute_sample_weight(class_weight, y))

    net = Network(
        [p.copy() for p in params[:2]],
        [p.copy() for p in params[2:]],
        activation="tanh",
        out_activation=clf.out_activation_,
    )
    grads, numeric = analytic_and_numeric(
        net, X_seen, Y_seen, sample_weight, objective.loss, alpha=objective.alpha
    )
    assert_gradients_match(grads, numeric)
    # The weights change the gradient the estimator follows.
    unweighted, _ = analytic_and_numeric(
        net, X_seen, Y_seen, None, objective.loss, alpha=objective.alpha
    )
    assert not np.allclose(grads[0], unweighted[0])
