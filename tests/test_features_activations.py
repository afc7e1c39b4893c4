"""Hidden activations beyond MLP's, and one activation per hidden layer.

Every new activation trains; ``activation=("relu", "tanh")`` runs relu in the
first hidden layer and tanh in the second; a tuple of one repeated name is that
name; a tuple of the wrong length is refused naming both parameters; tuples
survive ``get_params``/``clone`` and can be searched with ``GridSearchCV``.
"""

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.datasets import load_iris
from sklearn.model_selection import GridSearchCV
from sklearn.neural_network import MLPClassifier, MLPRegressor
from sklearn.preprocessing import StandardScaler
from sklearn.utils._param_validation import InvalidParameterError

from sklearn_toynet import ToyNetClassifier, ToyNetRegressor

from _helpers import quiet_fit

X_IRIS, Y_IRIS = load_iris(return_X_y=True)
X_IRIS = StandardScaler().fit_transform(X_IRIS)
NEW = ["leaky_relu", "elu", "gelu", "silu", "softplus"]


@pytest.mark.parametrize("activation", NEW)
def test_every_new_activation_learns_iris(activation):
    clf = ToyNetClassifier(
        hidden_layer_sizes=(8,), activation=activation, solver="lbfgs", random_state=0
    )
    quiet_fit(clf, X_IRIS, Y_IRIS)
    assert clf.score(X_IRIS, Y_IRIS) > 0.95


@pytest.mark.parametrize("activation", ["logistic", "gelu", "relu"])
def test_tuple_of_one_repeated_name_is_that_name(activation):
    params = dict(hidden_layer_sizes=(6, 5), solver="lbfgs", max_iter=30)
    single = quiet_fit(
        ToyNetClassifier(activation=activation, random_state=0, **params),
        X_IRIS,
        Y_IRIS,
    )
    repeated = quiet_fit(
        ToyNetClassifier(activation=(activation,) * 2, random_state=0, **params),
        X_IRIS,
        Y_IRIS,
    )
    # Same initialization (logistic's Glorot factor included) and training.
    for a, b in zip(single.coefs_, repeated.coefs_):
        np.testing.assert_array_equal(a, b)


def test_each_hidden_layer_runs_its_own_activation():
    clf = ToyNetClassifier(
        hidden_layer_sizes=(16, 8), activation=("relu", "tanh"), max_iter=20
    )
    quiet_fit(clf, X_IRIS, Y_IRIS)
    A = clf.activations(X_IRIS)
    W, b = clf.coefs_, clf.intercepts_
    np.testing.assert_allclose(A[1], np.maximum(X_IRIS @ W[0] + b[0], 0), rtol=1e-12)
    np.testing.assert_allclose(A[2], np.tanh(A[1] @ W[1] + b[1]), rtol=1e-12)
    # A list is taken as the tuple is.
    as_list = clone(clf).set_params(activation=["relu", "tanh"], random_state=0)
    as_tuple = clone(clf).set_params(random_state=0)
    quiet_fit(as_list, X_IRIS, Y_IRIS)
    quiet_fit(as_tuple, X_IRIS, Y_IRIS)
    np.testing.assert_array_equal(
        as_list.predict_proba(X_IRIS), as_tuple.predict_proba(X_IRIS)
    )


@pytest.mark.parametrize(
    "sizes, activation",
    [((16, 8, 4), ("relu", "tanh")), ((16,), ("relu", "tanh")), (5, ())],
)
@pytest.mark.parametrize("Estimator", [ToyNetClassifier, ToyNetRegressor])
def test_activation_count_must_match_the_hidden_layers(Estimator, sizes, activation):
    est = Estimator(hidden_layer_sizes=sizes, activation=activation)
    y = Y_IRIS if Estimator is ToyNetClassifier else X_IRIS[:, 0]
    with pytest.raises(ValueError) as error:
        est.fit(X_IRIS, y)
    message = str(error.value)
    assert f"activation={tuple(activation)}" in message
    assert f"hidden_layer_sizes={sizes}" in message
    assert not hasattr(est, "coefs_")


def test_fitted_model_refuses_a_mismatched_tuple_set_later():
    clf = quiet_fit(
        ToyNetClassifier(hidden_layer_sizes=(4, 3), activation=("elu", "silu")),
        X_IRIS,
        Y_IRIS,
    )
    clf.set_params(activation=("elu",))
    with pytest.raises(ValueError, match="one name per hidden layer"):
        clf.predict(X_IRIS)


def test_get_params_and_clone_keep_the_tuple():
    clf = ToyNetClassifier(hidden_layer_sizes=(4, 3), activation=("gelu", "tanh"))
    assert clf.get_params()["activation"] == ("gelu", "tanh")
    cloned = clone(clf)
    assert cloned.get_params()["activation"] == ("gelu", "tanh")
    assert isinstance(cloned.activation, tuple)
    assert "activation=('gelu', 'tanh')" in repr(clf)


def test_grid_search_over_activation_tuples():
    grid = {"activation": [("relu", "relu"), ("gelu", "tanh"), ("silu", "softplus")]}
    search = GridSearchCV(
        ToyNetClassifier(hidden_layer_sizes=(6, 4), solver="lbfgs", random_state=0),
        grid,
        cv=3,
    )
    quiet_fit(search, X_IRIS, Y_IRIS)
    assert search.best_params_["activation"] in grid["activation"]
    assert list(search.cv_results_["param_activation"]) == grid["activation"]
    assert search.best_estimator_.activation == search.best_params_["activation"]
    assert search.score(X_IRIS, Y_IRIS) > 0.9


def test_the_new_options_are_extras_mlp_refuses():
    # The drop-in page lists them as additions: MLP itself rejects each one.
    for activation in [*NEW, ("relu", "tanh")]:
        mlp = MLPClassifier(hidden_layer_sizes=(4, 3), activation=activation)
        with pytest.raises(InvalidParameterError):
            mlp.fit(X_IRIS, Y_IRIS)
    for loss in ["absolute_error", "huber", "quantile"]:
        with pytest.raises(InvalidParameterError):
            MLPRegressor(loss=loss).fit(X_IRIS, X_IRIS[:, 0])
