"""Continuing a fit on mismatched input gets a clear error, and loses nothing.

``partial_fit`` needs ``classes`` on its first call and refuses unseen labels and
other classes; ``warm_start`` refuses other classes, features, layer sizes or
outputs; and a call that raises leaves a fitted model usable, as it was. The
same errors on every array library (``library``, see ``_bad_input_helpers``),
``classes`` given as a list or as an array of that library alike.
"""

import numpy as np
import pytest

from sklearn_toynet import ToyNetClassifier, ToyNetRegressor
from sklearn_toynet._array_api import to_numpy

from _bad_input_helpers import (  # noqa: F401 (dispatch_by_library: a fixture)
    LIBRARIES,
    Y_REG,
    X,
    Y,
    dispatch_by_library,
    in_library,
    small,
)
from _helpers import quiet_fit

# -- partial_fit and warm_start contracts -------------------------------------------


@pytest.mark.parametrize("library", LIBRARIES)
def test_partial_fit_needs_classes_on_the_first_call(library):
    clf = small(ToyNetClassifier)
    with pytest.raises(ValueError, match="classes must be passed on the first call"):
        clf.partial_fit(in_library(library, X), in_library(library, Y))
    assert not hasattr(clf, "classes_")


@pytest.mark.parametrize("classes_in", ["list", "library"])
@pytest.mark.parametrize("library", LIBRARIES)
def test_partial_fit_refuses_unseen_labels_and_other_classes(library, classes_in):
    def classes(labels):
        return labels if classes_in == "list" else in_library(library, np.array(labels))

    X_, Y_ = in_library(library, X), in_library(library, Y)
    Y_unseen = in_library(library, np.where(Y == 2, 5, Y))
    unseen = r"classes not in `self.classes_`.*\[0 1 2\]"
    # On the first call (the classes given then) and on a later one.
    with pytest.raises(ValueError, match=unseen):
        small(ToyNetClassifier).partial_fit(X_, Y_unseen, classes=classes([0, 1, 2]))
    clf = small(ToyNetClassifier).partial_fit(X_, Y_, classes=classes([0, 1, 2]))
    n_iter = clf.n_iter_
    with pytest.raises(ValueError, match=unseen):
        clf.partial_fit(X_, Y_unseen)
    with pytest.raises(ValueError, match="is not the same as on last call"):
        clf.partial_fit(X_, Y_, classes=classes([0, 1, 2, 3]))
    assert clf.n_iter_ == n_iter
    subset = Y < 2  # a subset of the classes is fine
    clf.partial_fit(in_library(library, X[subset]), in_library(library, Y[subset]))
    np.testing.assert_array_equal(to_numpy(clf.classes_), [0, 1, 2])


@pytest.mark.parametrize("library", LIBRARIES)
def test_warm_start_refuses_other_classes_features_and_shapes(library):
    X_, Y_ = in_library(library, X), in_library(library, Y)
    clf = quiet_fit(small(ToyNetClassifier, warm_start=True), X_, Y_)
    with pytest.raises(ValueError, match="warm_start can only be used where `y` has"):
        clf.fit(X_, in_library(library, Y % 2))
    with pytest.raises(ValueError, match="X has 2 features, but .* 3 features"):
        clf.fit(in_library(library, X[:, :2]), Y_)
    with pytest.raises(ValueError, match="hidden_layer_sizes=.*differs"):
        clf.set_params(hidden_layer_sizes=(5,)).fit(X_, Y_)
    with pytest.raises(ValueError, match="batch_norm=True differs"):
        clf.set_params(hidden_layer_sizes=(4,), batch_norm=True).fit(X_, Y_)
    reg = small(ToyNetRegressor).partial_fit(X_, in_library(library, Y_REG))
    with pytest.raises(
        ValueError, match="y has 2 outputs, but the fitted network has 1"
    ):
        reg.partial_fit(X_, in_library(library, np.column_stack([Y_REG, Y_REG])))


@pytest.mark.parametrize("library", LIBRARIES)
def test_a_failed_call_leaves_the_fitted_model_usable(library):
    # Refit on data that fails validation late (after the new X was checked):
    # the model must still describe the old data, not a mixture.
    X_ = in_library(library, X)
    clf = quiet_fit(small(ToyNetClassifier), X_, in_library(library, Y))
    proba = to_numpy(clf.predict_proba(X_))
    with pytest.raises(ValueError, match="Unknown label type"):
        clf.fit(
            in_library(library, np.zeros((10, 5))),
            in_library(library, np.linspace(0, 1, 10)),
        )
    assert clf.n_features_in_ == 3
    np.testing.assert_array_equal(to_numpy(clf.predict_proba(X_)), proba)
