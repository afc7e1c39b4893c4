"""Class and sample weights do what their names promise.

``class_weight="balanced"`` raises the minority's recall; integer sample
weights train exactly as repeated rows (batch-norm statistics included); rows
of weight 0 count as absent; and a class weight is the matching sample weight.
"""

import numpy as np
import pytest
from sklearn.datasets import make_classification
from sklearn.metrics import recall_score

from sklearn_toynet import ToyNetClassifier, ToyNetRegressor

from _helpers import quiet_fit as quiet

# -- class and sample weights -------------------------------------------------------


def test_balanced_class_weight_raises_minority_recall():
    X, y = make_classification(1000, weights=[0.95, 0.05], flip_y=0, random_state=0)
    params = dict(hidden_layer_sizes=(16,), max_iter=100, random_state=0)
    plain = quiet(ToyNetClassifier(**params), X, y)
    balanced = quiet(ToyNetClassifier(class_weight="balanced", **params), X, y)
    recall_plain = recall_score(y, plain.predict(X))
    recall_balanced = recall_score(y, balanced.predict(X))
    assert recall_balanced > recall_plain + 0.1


@pytest.mark.parametrize("batch_norm", [False, True], ids=["plain", "bn"])
@pytest.mark.parametrize("Estimator", [ToyNetClassifier, ToyNetRegressor])
@pytest.mark.parametrize("solver", ["sgd", "adam", "lbfgs"])
def test_integer_sample_weights_equal_repeated_rows(Estimator, solver, batch_norm):
    rng = np.random.RandomState(0)
    X = rng.normal(size=(20, 3))
    if Estimator is ToyNetClassifier:
        y = (X[:, 0] + X[:, 1] > 0).astype(int)
    else:
        y = X @ [1.0, -2.0, 0.5] + rng.normal(scale=0.1, size=20)
    sample_weight = np.arange(20) % 3 + 1
    X_rep, y_rep = np.repeat(X, sample_weight, axis=0), np.repeat(y, sample_weight)
    params = dict(
        hidden_layer_sizes=(5,),
        solver=solver,
        shuffle=False,
        # Batch norm leaves L-BFGS flat directions (scaled weights): past ~20
        # iterations the two runs' 1e-16 rounding differences grow apart.
        max_iter=10 if batch_norm and solver == "lbfgs" else 30,
        tol=None,
        alpha=0.01,
        batch_norm=batch_norm,
        random_state=0,
    )
    weighted = Estimator(batch_size=len(X), **params)
    weighted.fit(X, y, sample_weight=sample_weight)
    repeated = Estimator(batch_size=len(X_rep), **params).fit(X_rep, y_rep)
    # Same starting weights; so the same loss, gradient and steps throughout.
    assert weighted.n_iter_ == repeated.n_iter_
    for a, b in zip(
        weighted.coefs_ + weighted.intercepts_, repeated.coefs_ + repeated.intercepts_
    ):
        np.testing.assert_allclose(a, b, rtol=1e-7, atol=1e-9)
    if batch_norm:  # the batch statistics are weighted as repeated rows count
        for a, b in zip(
            vars(weighted.batch_norm_).values(), vars(repeated.batch_norm_).values()
        ):
            np.testing.assert_allclose(a, b, rtol=1e-7, atol=1e-9)
    # ... and the weights matter: unweighted training ends elsewhere.
    unweighted = Estimator(batch_size=len(X), **params).fit(X, y)
    assert not np.allclose(unweighted.coefs_[0], weighted.coefs_[0])


@pytest.mark.parametrize("solver", ["adam", "lbfgs"])
def test_class_weight_equals_the_matching_sample_weights(solver):
    X, y = make_classification(120, n_classes=3, n_informative=4, random_state=0)
    params = dict(hidden_layer_sizes=(6,), solver=solver, max_iter=15, random_state=0)
    user_weight = np.arange(len(y)) % 4 + 1.0
    class_weight = {0: 1.0, 1: 3.0, 2: 0.5}
    by_class = quiet(
        ToyNetClassifier(class_weight=class_weight, **params),
        X,
        y,
        sample_weight=user_weight,
    )
    by_row = quiet(
        ToyNetClassifier(**params),
        X,
        y,
        sample_weight=user_weight * np.array([1.0, 3.0, 0.5])[y],
    )
    for a, b in zip(by_class.coefs_, by_row.coefs_):
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-12)
    plain = quiet(ToyNetClassifier(**params), X, y, sample_weight=user_weight)
    assert not np.allclose(plain.coefs_[0], by_class.coefs_[0])


@pytest.mark.parametrize("solver", ["sgd", "adam"])
def test_batches_of_zero_weight_rows_are_skipped(solver):
    # MLPClassifier raises ZeroDivisionError on such a batch; rows of weight 0
    # count as absent, so a batch of only them takes no step.
    rng = np.random.RandomState(0)
    X = rng.normal(size=(40, 3))
    y = (X[:, 0] > 0).astype(int)
    y[:5] = [0, 1, 0, 1, 1]
    sample_weight = np.r_[np.ones(5), np.zeros(35)]
    params = dict(
        hidden_layer_sizes=(4,), solver=solver, batch_size=5, shuffle=False,
        max_iter=20, tol=None, random_state=0,
    )  # fmt: skip
    masked = ToyNetClassifier(**params).fit(X, y, sample_weight=sample_weight)
    alone = ToyNetClassifier(**params).fit(X[:5], y[:5], sample_weight=np.ones(5))
    # (the epoch loss is a row-weighted mean of batch losses: equal to rounding)
    np.testing.assert_allclose(masked.loss_curve_, alone.loss_curve_, rtol=1e-12)
    for a, b in zip(
        masked.coefs_ + masked.intercepts_, alone.coefs_ + alone.intercepts_
    ):
        np.testing.assert_array_equal(a, b)


def test_zero_weights_left_for_training_after_the_validation_split_raise():
    X = np.random.RandomState(0).normal(size=(20, 3))
    y = np.arange(20) % 2
    sample_weight = np.r_[1.0, np.zeros(19)]
    clf = ToyNetClassifier(early_stopping=True, validation_fraction=0.5, random_state=1)
    with pytest.raises(ValueError, match="left for training .* sample_weight 0"):
        clf.fit(X, y, sample_weight=sample_weight)
