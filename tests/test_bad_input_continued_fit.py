"""Continuing a fit on mismatched input gets a clear error, and loses nothing.

``partial_fit`` needs ``classes`` on its first call and refuses unseen labels and
other classes; ``warm_start`` refuses other classes, features, layer sizes or
outputs; and a call that raises leaves a fitted model usable, as it was.
"""

import numpy as np
import pytest

from sklearn_toynet import ToyNetClassifier, ToyNetRegressor

from _bad_input_helpers import Y_REG, X, Y, small
from _helpers import quiet_fit

# -- partial_fit and warm_start contracts -------------------------------------------


def test_partial_fit_needs_classes_on_the_first_call():
    clf = small(ToyNetClassifier)
    with pytest.raises(ValueError, match="classes must be passed on the first call"):
        clf.partial_fit(X, Y)
    assert not hasattr(clf, "classes_")


def test_partial_fit_refuses_unseen_labels_and_other_classes():
    clf = small(ToyNetClassifier).partial_fit(X, Y, classes=[0, 1, 2])
    n_iter = clf.n_iter_
    with pytest.raises(ValueError, match=r"classes not in `self.classes_`.*\[0 1 2\]"):
        clf.partial_fit(X, np.where(Y == 2, 5, Y))
    with pytest.raises(ValueError, match="is not the same as on last call"):
        clf.partial_fit(X, Y, classes=[0, 1, 2, 3])
    assert clf.n_iter_ == n_iter
    clf.partial_fit(X[Y < 2], Y[Y < 2])  # a subset of the classes is fine
    np.testing.assert_array_equal(clf.classes_, [0, 1, 2])


def test_warm_start_refuses_other_classes_features_and_shapes():
    clf = quiet_fit(small(ToyNetClassifier, warm_start=True), X, Y)
    with pytest.raises(ValueError, match="warm_start can only be used where `y` has"):
        clf.fit(X, Y % 2)
    with pytest.raises(ValueError, match="X has 2 features, but .* 3 features"):
        clf.fit(X[:, :2], Y)
    with pytest.raises(ValueError, match="hidden_layer_sizes=.*differs"):
        clf.set_params(hidden_layer_sizes=(5,)).fit(X, Y)
    with pytest.raises(ValueError, match="batch_norm=True differs"):
        clf.set_params(hidden_layer_sizes=(4,), batch_norm=True).fit(X, Y)
    reg = small(ToyNetRegressor).partial_fit(X, Y_REG)
    with pytest.raises(
        ValueError, match="y has 2 outputs, but the fitted network has 1"
    ):
        reg.partial_fit(X, np.column_stack([Y_REG, Y_REG]))


def test_a_failed_call_leaves_the_fitted_model_usable():
    # Refit on data that fails validation late (after the new X was checked):
    # the model must still describe the old data, not a mixture.
    clf = quiet_fit(small(ToyNetClassifier), X, Y)
    proba = clf.predict_proba(X)
    with pytest.raises(ValueError, match="Unknown label type"):
        clf.fit(np.zeros((10, 5)), np.linspace(0, 1, 10))
    assert clf.n_features_in_ == 3
    np.testing.assert_array_equal(clf.predict_proba(X), proba)
