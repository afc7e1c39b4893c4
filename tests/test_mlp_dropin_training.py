"""ToyNet trains as MLP does: as well, and from the same seed to the same weights.

Accuracy and R^2 on iris, digits and a regression are within a few points of
MLP's; and with the same ``random_state`` (glorot init, shuffles, early-stopping
split, update rules) every solver lands on MLP's very weights and loss.
"""

import numpy as np
import pytest
from sklearn.datasets import (
    load_digits,
    load_iris,
    make_multilabel_classification,
    make_regression,
)
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier, MLPRegressor
from sklearn.preprocessing import StandardScaler, scale

from sklearn_toynet import ToyNetClassifier, ToyNetRegressor

from _helpers import SKLEARN_VERSION, quiet_fit
from _mlp_helpers import X_iris, y_iris

# -- quality ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "dataset, params",
    [
        ("iris", dict(hidden_layer_sizes=(20,), max_iter=300)),
        ("digits", dict(hidden_layer_sizes=(32,), max_iter=60)),
        ("iris", dict(hidden_layer_sizes=(20,), solver="lbfgs")),
        ("digits", dict(hidden_layer_sizes=(32,), solver="sgd", max_iter=60)),
    ],
    ids=["iris-adam", "digits-adam", "iris-lbfgs", "digits-sgd"],
)
def test_accuracy_is_comparable_to_mlp(dataset, params):
    loader = load_iris if dataset == "iris" else load_digits
    X, y = loader(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, stratify=y, random_state=0
    )
    scaler = StandardScaler().fit(X_train)
    X_train, X_test = scaler.transform(X_train), scaler.transform(X_test)
    scores = {}
    for Estimator in (MLPClassifier, ToyNetClassifier):
        est = quiet_fit(Estimator(random_state=0, **params), X_train, y_train)
        scores[Estimator] = est.score(X_test, y_test)
    assert scores[ToyNetClassifier] > 0.85
    assert abs(scores[ToyNetClassifier] - scores[MLPClassifier]) <= 0.04


@pytest.mark.parametrize("solver", ["adam", "lbfgs"])
def test_regression_r2_is_comparable_to_mlp(solver):
    X, y = make_regression(300, n_features=8, noise=5.0, random_state=0)
    y = scale(y)
    X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
    scores = {}
    for Estimator in (MLPRegressor, ToyNetRegressor):
        params = dict(hidden_layer_sizes=(32,), solver=solver, random_state=0)
        est = quiet_fit(Estimator(max_iter=300, **params), X_train, y_train)
        scores[Estimator] = est.score(X_test, y_test)
    assert scores[ToyNetRegressor] > 0.9
    assert abs(scores[ToyNetRegressor] - scores[MLPRegressor]) <= 0.04


# -- identical training ------------------------------------------------------------


def trajectory_data(target):
    if target == "multiclass":
        return X_iris, y_iris
    if target == "binary":
        return X_iris[:100], y_iris[:100]
    if target == "multilabel":
        return make_multilabel_classification(80, random_state=0)
    X, Y = make_regression(100, 5, n_targets=2, random_state=0)
    Y /= 100
    if target == "regression":
        return X, Y[:, 0]
    if target == "counts":
        return X, np.abs(Y[:, 0]) * 3
    return X, Y  # "multioutput"


TRAJECTORIES = [
    ("multiclass", dict(solver="sgd", shuffle=False)),
    ("multiclass", dict(solver="sgd")),
    ("multiclass", dict(solver="sgd", nesterovs_momentum=False, alpha=0.1)),
    ("multiclass", dict(solver="sgd", learning_rate="invscaling", batch_size=32)),
    ("multiclass", dict(solver="adam")),
    ("multiclass", dict(solver="adam", activation="logistic")),
    ("multiclass", dict(solver="lbfgs")),
    ("binary", dict(solver="sgd", early_stopping=True)),
    ("multilabel", dict(solver="adam")),
    ("multilabel", dict(solver="adam", early_stopping=True)),
    ("regression", dict(solver="sgd", activation="tanh")),
    ("regression", dict(solver="adam")),
    ("regression", dict(solver="lbfgs")),
    ("counts", dict(solver="adam", loss="poisson")),
    ("regression", dict(solver="sgd", batch_size=16, momentum=0.5)),
    ("multioutput", dict(solver="adam", alpha=0.0, batch_size=25)),
]


@pytest.mark.skipif(
    SKLEARN_VERSION < (1, 7),
    reason="the comparison uses MLP's sample_weight and loss='poisson', new in 1.7",
)
@pytest.mark.parametrize(
    "target, params",
    TRAJECTORIES,
    ids=[f"{t}-" + "-".join(f"{k}={v}" for k, v in p.items()) for t, p in TRAJECTORIES],
)
def test_same_random_state_trains_the_same_weights_as_mlp(target, params):
    """Same draws, same batches, same gradients, same steps: MLP's very weights.

    ToyNet's "glorot" init draws what MLP draws from the same random_state, and
    its shuffles, early-stopping split (binary, multilabel) and update rules are
    MLP's: a fit from code written for MLP lands on MLP's model.
    """
    X, y = trajectory_data(target)
    MLP, ToyNet = (
        (MLPClassifier, ToyNetClassifier)
        if target in ("multiclass", "binary", "multilabel")
        else (MLPRegressor, ToyNetRegressor)
    )
    sample_weight = np.arange(len(X)) % 3 + 1.0 if target == "multiclass" else None
    kwargs = dict(hidden_layer_sizes=(5,), max_iter=20, random_state=0, **params)
    mlp = quiet_fit(MLP(**kwargs), X, y, sample_weight=sample_weight)
    ours = quiet_fit(ToyNet(**kwargs), X, y, sample_weight=sample_weight)
    assert ours.n_iter_ == mlp.n_iter_
    # L-BFGS's line search amplifies differences in the last bits of the loss:
    # 1e-10 over these 20 iterations, as the README says (more later).
    atol = 1e-10 if params["solver"] == "lbfgs" else 1e-12
    for a, b in zip(ours.coefs_ + ours.intercepts_, mlp.coefs_ + mlp.intercepts_):
        np.testing.assert_allclose(a, b, rtol=0, atol=atol)
    assert ours.loss_ == pytest.approx(mlp.loss_, rel=1e-9)
    if params.get("early_stopping"):
        assert ours.validation_scores_ == pytest.approx(mlp.validation_scores_)


# The README's claim, at the settings it is made for: default parameters.
DEFAULT_TARGETS = ["multiclass", "binary", "multilabel", "regression", "3-output"]


def default_data(target):
    if target == "3-output":
        X, Y = make_regression(300, 10, n_targets=3, noise=10.0, random_state=0)
        return scale(X), scale(Y)
    X, y = trajectory_data(target)
    return StandardScaler().fit_transform(X), y


@pytest.mark.parametrize("solver", ["sgd", "adam"])
@pytest.mark.parametrize("target", DEFAULT_TARGETS)
def test_sgd_and_adam_at_defaults_train_mlps_weights_to_1e12(target, solver):
    X, y = default_data(target)
    MLP, ToyNet = (
        (MLPRegressor, ToyNetRegressor)
        if target in ("regression", "3-output")
        else (MLPClassifier, ToyNetClassifier)
    )
    mlp = quiet_fit(MLP(solver=solver, random_state=0), X, y)
    ours = quiet_fit(ToyNet(solver=solver, random_state=0), X, y)
    assert ours.n_iter_ == mlp.n_iter_
    for a, b in zip(ours.coefs_ + ours.intercepts_, mlp.coefs_ + mlp.intercepts_):
        np.testing.assert_allclose(a, b, rtol=0, atol=1e-12)
    np.testing.assert_allclose(ours.loss_curve_, mlp.loss_curve_, rtol=1e-9)
