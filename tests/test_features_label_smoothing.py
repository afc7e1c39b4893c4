"""Label smoothing trains towards less extreme probabilities, with every solver.

On separable data a classifier without smoothing drives the probability of
each row's class towards 1; with ``label_smoothing=eps`` it settles at the
smoothed target ``1 - eps + eps / K`` (``K = 2`` per sigmoid output). The
training loss is the cross-entropy against the smoothed targets, so it never
falls below their entropy and reaches it where the network fits them; early
stopping's validation loss is the log-loss against the true labels.
"""

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import make_blobs
from sklearn.metrics import log_loss

from sklearn_toynet import ToyNetClassifier, ToyNetTabularClassifier

from _helpers import quiet_fit

EPS = 0.2


def separable(n_classes, n_samples=120):
    """Blobs far apart (every class alone in its region), standardized."""
    centers = 4.0 * np.eye(3)[:n_classes, :2] - 2.0
    X, y = make_blobs(
        n_samples=n_samples, centers=centers, cluster_std=0.3, random_state=0
    )
    return (X - X.mean(axis=0)) / X.std(axis=0), y


def smoothed_target(n_classes, eps=EPS):
    """The smoothed target of a row's own class."""
    K = n_classes if n_classes > 2 else 2  # binary: one sigmoid output
    return 1 - eps + eps / K


def target_entropy(n_classes, eps=EPS):
    """Entropy of the smoothed targets of one row: the loss's floor."""
    if n_classes == 2:
        probabilities = np.array([1 - eps / 2, eps / 2])
    else:
        probabilities = np.full(n_classes, eps / n_classes)
        probabilities[0] += 1 - eps
    return float(-(probabilities * np.log(probabilities)).sum())


def class_probability(clf, X, y):
    """The predicted probability of each row's own class."""
    P = clf.predict_proba(X)
    return P[np.arange(len(y)), np.searchsorted(clf.classes_, y)]


LBFGS = dict(hidden_layer_sizes=(8,), solver="lbfgs", max_iter=500, random_state=0)


@pytest.mark.parametrize("n_classes", [2, 3])
def test_probabilities_settle_at_the_smoothed_targets_on_separable_data(n_classes):
    X, y = separable(n_classes)
    sharp = quiet_fit(ToyNetClassifier(**LBFGS), X, y)
    smooth = quiet_fit(ToyNetClassifier(**LBFGS, label_smoothing=EPS), X, y)
    target = smoothed_target(n_classes)
    assert sharp.score(X, y) == smooth.score(X, y) == 1.0
    # Without smoothing every row is more certain than the smoothed target.
    assert class_probability(sharp, X, y).min() > target + 0.05
    np.testing.assert_allclose(class_probability(smooth, X, y), target, atol=0.03)
    # There the loss is the smoothed targets' entropy (and never below it).
    assert smooth.loss_ >= target_entropy(n_classes)
    assert smooth.loss_ == pytest.approx(target_entropy(n_classes), abs=0.02)


def test_multilabel_outputs_settle_at_the_smoothed_targets():
    X, y = separable(3)
    Y = np.column_stack([y == 0, y != 1]).astype(int)
    clf = quiet_fit(ToyNetClassifier(**LBFGS, label_smoothing=EPS), X, Y)
    P = clf.predict_proba(X)
    np.testing.assert_allclose(np.where(Y == 1, P, 1 - P), 1 - EPS / 2, atol=0.03)


@pytest.mark.parametrize("solver", ["sgd", "adam"])
@pytest.mark.parametrize("n_classes", [2, 3])
def test_stochastic_training_loss_stays_above_the_targets_entropy(n_classes, solver):
    X, y = separable(n_classes)
    params = dict(hidden_layer_sizes=(8,), solver=solver, random_state=0, tol=None)
    params.update(max_iter=60, learning_rate_init=0.05 if solver == "sgd" else 0.01)
    clf = ToyNetClassifier(**params, label_smoothing=EPS).fit(X, y)
    sharp = ToyNetClassifier(**params).fit(X, y)
    entropy = target_entropy(n_classes)
    assert min(clf.loss_curve_) >= entropy
    assert clf.loss_curve_[-1] < clf.loss_curve_[0]  # it learns
    # Without smoothing the same fit is already below that floor, and surer.
    assert sharp.loss_curve_[-1] < entropy
    surer = class_probability(sharp, X, y) > class_probability(clf, X, y)
    assert surer.mean() > 0.9


def test_partial_fit_trains_towards_the_smoothed_targets():
    X, y = separable(2)
    clf = ToyNetClassifier(hidden_layer_sizes=(8,), label_smoothing=EPS, random_state=0)
    clf.set_params(learning_rate_init=0.01)
    for _ in range(300):
        clf.partial_fit(X, y, classes=[0, 1])
    p = class_probability(clf, X, y)
    np.testing.assert_allclose(np.median(p), smoothed_target(2), atol=0.03)
    assert p.max() < smoothed_target(2) + 0.05


def test_early_stopping_validates_against_the_true_labels():
    X, y = separable(3, n_samples=150)
    order = np.random.RandomState(0).permutation(len(y))
    X, y = X[order], y[order]
    clf = ToyNetClassifier(
        hidden_layer_sizes=(8,),
        early_stopping=True,
        scoring="loss",
        label_smoothing=EPS,
        learning_rate_init=0.01,
        max_iter=40,
        random_state=0,
    )
    quiet_fit(clf, X[:100], y[:100], X_val=X[100:], y_val=y[100:])
    # The weights kept are the best epoch's, by the unsmoothed validation loss.
    best = log_loss(y[100:], clf.predict_proba(X[100:]))
    assert -clf.best_validation_score_ == pytest.approx(best, rel=1e-9)
    assert min(clf.validation_loss_curve_) == pytest.approx(best, rel=1e-9)
    # A well-fitted model's true log-loss is below the smoothed loss's floor.
    assert best < target_entropy(3)


def test_the_tabular_classifier_smooths_its_probabilities_too():
    X, y = separable(2, n_samples=200)
    table = pd.DataFrame({"a": X[:, 0], "b": X[:, 1]})
    assert ToyNetTabularClassifier().label_smoothing == 0.0
    params = dict(random_state=0, early_stopping=False)
    sharp = ToyNetTabularClassifier(**params).fit(table, y)
    smooth = ToyNetTabularClassifier(**params, label_smoothing=EPS).fit(table, y)
    # Without smoothing most rows' probabilities go well past the smoothed
    # target; with it they settle around it (the quantile-mapped extremes a
    # little beyond).
    assert np.median(class_probability(sharp, table, y)) > smoothed_target(2) + 0.05
    assert np.median(class_probability(smooth, table, y)) < smoothed_target(2) + 0.02
    assert smooth.score(table, y) == 1.0
