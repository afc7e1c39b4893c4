"""A class alone in the training data fits, as MLPClassifier does.

scikit-learn's machinery fits on subsets (learning curves on sorted data, one
label of a multilabel target in a cross-validation fold), and subsets often
hold one class. ToyNet then trains what MLP trains (one logistic unit towards
the negative label, the same weights from the same seed) and predicts the one
class. ``predict_proba`` has one column, as ``classes_``: the one class has
probability 1 (MLP returns two columns, which ``cross_val_predict`` cannot
place). No warning: the fit is right, and meta-estimators would repeat it.
"""

import warnings

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning, FitFailedWarning
from sklearn.model_selection import (
    KFold,
    cross_val_predict,
    cross_val_score,
    learning_curve,
)
from sklearn.multioutput import ClassifierChain, MultiOutputClassifier
from sklearn.neural_network import MLPClassifier

from sklearn_toynet import ToyNetClassifier

from _helpers import quiet_fit
from _mlp_helpers import X_iris, y_iris

X = np.random.RandomState(0).randn(30, 3)
Y_ONE = np.array(["a"] * 30)


def assert_same_weights(ours, mlp):
    assert ours.n_iter_ == mlp.n_iter_
    for a, b in zip(ours.coefs_ + ours.intercepts_, mlp.coefs_ + mlp.intercepts_):
        np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-12)
    assert ours.loss_ == pytest.approx(mlp.loss_, rel=1e-9)


@pytest.mark.parametrize(
    "params",
    [{}, dict(solver="sgd"), dict(solver="lbfgs"), dict(early_stopping=True)],
    ids=["adam", "sgd", "lbfgs", "early_stopping"],
)
def test_single_class_fit_trains_mlps_weights_and_predicts_the_class(params):
    kwargs = dict(hidden_layer_sizes=(5,), max_iter=30, random_state=0, **params)
    mlp = quiet_fit(MLPClassifier(**kwargs), X, Y_ONE)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no warning of its own about one class
        warnings.simplefilter("ignore", ConvergenceWarning)
        ours = ToyNetClassifier(**kwargs).fit(X, Y_ONE)
    assert_same_weights(ours, mlp)
    assert ours.classes_.tolist() == mlp.classes_.tolist() == ["a"]
    assert ours.predict(X).tolist() == mlp.predict(X).tolist() == ["a"] * 30
    assert ours.score(X, Y_ONE) == 1.0


def test_single_class_predict_proba_has_one_column_of_ones():
    ours = quiet_fit(ToyNetClassifier(max_iter=5, random_state=0), X, Y_ONE)
    proba = ours.predict_proba(X)
    assert proba.shape == (30, len(ours.classes_)) == (30, 1)
    np.testing.assert_array_equal(proba, 1.0)
    np.testing.assert_array_equal(ours.predict_log_proba(X), 0.0)


def test_single_class_partial_fit_and_warm_start_continue_as_mlp():
    for Estimator in (MLPClassifier, ToyNetClassifier):
        est = Estimator(hidden_layer_sizes=(5,), random_state=0)
        for _ in range(3):
            est.partial_fit(X, Y_ONE, classes=["a"])
        assert est.predict(X[:2]).tolist() == ["a", "a"]
        warm = Estimator(hidden_layer_sizes=(5,), max_iter=5, warm_start=True)
        quiet_fit(quiet_fit(warm.set_params(random_state=0), X, Y_ONE), X, Y_ONE)
        if Estimator is MLPClassifier:
            mlp, mlp_warm = est, warm
    assert_same_weights(est, mlp)
    assert_same_weights(warm, mlp_warm)
    with pytest.raises(ValueError, match="warm_start can only be used"):
        warm.fit(X, np.where(np.arange(30) % 2, "a", "b"))


def test_learning_curve_on_class_sorted_iris_scores_every_size_as_mlp():
    # shuffle=False (the default): the smallest training sets hold class 0 only.
    scores = {}
    for Estimator in (MLPClassifier, ToyNetClassifier):
        with warnings.catch_warnings():
            warnings.simplefilter("error", FitFailedWarning)
            warnings.simplefilter("ignore", ConvergenceWarning)
            sizes, _, scores[Estimator] = learning_curve(
                Estimator(max_iter=30, random_state=0), X_iris, y_iris, cv=5
            )
    assert sizes[0] == 12 and np.isfinite(scores[ToyNetClassifier]).all()
    # The single-class sizes predict class 0: a third of each test fold.
    np.testing.assert_allclose(scores[ToyNetClassifier][0], 1 / 3)
    np.testing.assert_allclose(scores[ToyNetClassifier], scores[MLPClassifier])


def rare_label_data():
    """Three labels; the third has positives only in the first fold's rows."""
    rng = np.random.RandomState(0)
    X_multi = rng.randn(60, 4)
    Y = (rng.rand(60, 3) < 0.5).astype(int)
    Y[:, 2] = 0
    Y[:5, 2] = 1
    return X_multi, Y


@pytest.mark.parametrize("Meta", [MultiOutputClassifier, ClassifierChain])
def test_meta_estimators_cross_validate_a_label_absent_from_a_fold_as_mlp(Meta):
    X_multi, Y = rare_label_data()
    scores = {}
    for Estimator in (MLPClassifier, ToyNetClassifier):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            scores[Estimator] = cross_val_score(
                Meta(Estimator(max_iter=20, random_state=0)),
                X_multi,
                Y,
                cv=KFold(3),
                error_score="raise",
            )
    np.testing.assert_allclose(scores[ToyNetClassifier], scores[MLPClassifier])


def test_cross_val_predict_places_a_single_class_folds_probabilities():
    # The second fold trains on class 1 alone; its one probability column goes
    # to class 1's column (MLP's two columns for one class cannot be placed).
    X_two, y_two = X_iris[:100], y_iris[:100]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        with pytest.warns(RuntimeWarning, match="Number of classes in training fold"):
            proba = cross_val_predict(
                ToyNetClassifier(max_iter=20, random_state=0),
                X_two,
                y_two,
                cv=KFold(2),
                method="predict_proba",
            )
    np.testing.assert_array_equal(proba[:50], [[0.0, 1.0]] * 50)
    np.testing.assert_allclose(proba[50:].sum(axis=1), 1.0)
