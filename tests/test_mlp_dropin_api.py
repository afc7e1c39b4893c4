"""Code written for MLPClassifier/MLPRegressor calls ToyNet the same way.

The constructor takes every MLP parameter with MLP's default and order; invalid
parameters, ``partial_fit`` with and without ``classes``, the ``partial_fit`` that
L-BFGS lacks, too few iterations, changed classes under ``warm_start`` and a
column-vector ``y`` get MLP's errors and warnings. Every test runs scikit-learn's
MLP estimator as well as ours, so a test that fails only for ToyNet is a drop-in
incompatibility, and one that fails for both is a wrong test.
"""

import inspect
import re

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning, DataConversionWarning
from sklearn.neural_network import MLPRegressor
from sklearn.utils._param_validation import InvalidParameterError

from sklearn_toynet import ToyNetRegressor

from _helpers import quiet_fit
from _mlp_helpers import CLASSIFIERS, ESTIMATORS, PAIRS, X_iris, data_for, y_iris

MLP_KWARGS = dict(
    hidden_layer_sizes=(10, 5),
    activation="tanh",
    solver="sgd",
    alpha=1e-3,
    batch_size=16,
    learning_rate="invscaling",
    learning_rate_init=0.05,
    power_t=0.4,
    max_iter=15,
    shuffle=True,
    random_state=0,
    tol=1e-5,
    verbose=False,
    warm_start=False,
    momentum=0.8,
    nesterovs_momentum=False,
    early_stopping=True,
    validation_fraction=0.2,
    beta_1=0.8,
    beta_2=0.99,
    epsilon=1e-7,
    n_iter_no_change=5,
    max_fun=1000,
)


# -- the constructor ----------------------------------------------------------------


@pytest.mark.parametrize("MLP, ToyNet", PAIRS)
def test_signature_has_every_mlp_parameter_with_its_default(MLP, ToyNet):
    mlp = inspect.signature(MLP).parameters
    ours = inspect.signature(ToyNet).parameters
    for name, param in mlp.items():
        assert name in ours, name
        assert ours[name].default == param.default, name
        assert ours[name].kind == param.kind, name
    # Positional parameters come in MLP's order.
    positional = [n for n, p in mlp.items() if p.kind == p.POSITIONAL_OR_KEYWORD]
    assert [n for n in ours if n in positional] == positional


@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_mlp_constructor_kwargs_fit(Estimator):
    X, y = data_for(Estimator)
    est = Estimator(**MLP_KWARGS)
    assert {k: est.get_params()[k] for k in MLP_KWARGS} == MLP_KWARGS
    quiet_fit(est, X, y)
    assert 1 <= est.n_iter_ <= MLP_KWARGS["max_iter"]
    assert [W.shape[1] for W in est.coefs_[:-1]] == [10, 5]
    assert len(est.validation_scores_) == est.n_iter_


# -- invalid parameters -------------------------------------------------------------

INVALID = [
    ("hidden_layer_sizes", -1),
    ("activation", "softsign"),
    ("solver", "newton"),
    ("alpha", -1.0),
    ("batch_size", 0),
    ("batch_size", "big"),
    ("learning_rate", "cyclic"),
    ("learning_rate_init", 0.0),
    ("power_t", -0.5),
    ("max_iter", 0),
    ("shuffle", "yes"),
    ("tol", -1.0),
    ("warm_start", "yes"),
    ("momentum", 1.5),
    ("nesterovs_momentum", "yes"),
    ("early_stopping", "yes"),
    ("validation_fraction", 1.0),
    ("beta_1", 1.0),
    ("beta_2", -0.1),
    ("epsilon", 0.0),
    ("n_iter_no_change", 0),
    ("max_fun", 0),
]


@pytest.mark.parametrize("name, value", INVALID, ids=[f"{n}={v!r}" for n, v in INVALID])
@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_invalid_parameter_raises_sklearn_error_naming_it(Estimator, name, value):
    X, y = data_for(Estimator)
    est = Estimator(**{name: value})
    with pytest.raises(InvalidParameterError, match=f"'{name}' parameter"):
        est.fit(X, y)


@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_zero_sized_hidden_layer_raises_value_error(Estimator):
    X, y = data_for(Estimator)
    with pytest.raises(ValueError, match="hidden_layer_sizes must be > 0"):
        Estimator(hidden_layer_sizes=(5, 0)).fit(X, y)


# -- partial_fit --------------------------------------------------------------------


@pytest.mark.parametrize("Estimator", CLASSIFIERS)
def test_partial_fit_needs_classes_on_first_call(Estimator):
    with pytest.raises(ValueError, match="classes must be passed"):
        Estimator(solver="sgd").partial_fit(X_iris, y_iris)
    clf = Estimator(solver="sgd").partial_fit(X_iris, y_iris, classes=[0, 1, 2])
    clf.partial_fit(X_iris[:10], y_iris[:10])  # later calls need none
    np.testing.assert_array_equal(clf.classes_, [0, 1, 2])


@pytest.mark.parametrize(
    "Estimator",
    [
        *CLASSIFIERS,
        pytest.param(
            MLPRegressor,
            marks=pytest.mark.xfail(
                strict=True,
                reason="scikit-learn 1.9 bug: MLPRegressor.partial_fit is guarded by "
                "available_if(lambda est: est._check_solver), a method never called",
            ),
        ),
        pytest.param(ToyNetRegressor),
    ],
)
def test_partial_fit_is_missing_for_lbfgs(Estimator):
    X, y = data_for(Estimator)
    est = Estimator(solver="lbfgs")
    assert not hasattr(est, "partial_fit")
    with pytest.raises(AttributeError, match="partial_fit"):
        est.partial_fit(X, y)
    assert hasattr(Estimator(solver="adam"), "partial_fit")


# -- warnings and errors ------------------------------------------------------------


@pytest.mark.parametrize("solver", ["sgd", "adam", "lbfgs"])
@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_low_max_iter_warns_convergence(Estimator, solver):
    X, y = data_for(Estimator)
    with pytest.warns(ConvergenceWarning):
        Estimator(solver=solver, max_iter=2, random_state=0).fit(X, y)


@pytest.mark.parametrize("Estimator", CLASSIFIERS)
def test_warm_start_with_changed_classes_raises(Estimator):
    clf = Estimator(
        hidden_layer_sizes=2, solver="lbfgs", warm_start=True, random_state=42
    )
    quiet_fit(clf, X_iris, y_iris)
    y_new = np.array([0] * 50 + [1] * 50 + [3] * 50)
    message = (
        "warm_start can only be used where `y` has the same classes as in the "
        "previous call to fit. Previously got [0 1 2], `y` has [0 1 3]"
    )
    with pytest.raises(ValueError, match=re.escape(message)):
        clf.fit(X_iris, y_new)


@pytest.mark.parametrize(
    "Estimator",
    [
        *CLASSIFIERS,
        pytest.param(MLPRegressor),
        pytest.param(ToyNetRegressor),
    ],
)
def test_column_vector_y_is_taken_as_1d(Estimator):
    # Code that passes y[:, None] gets 1-D predictions back from MLP, so
    # ``predict(X) - y_test`` stays 1-D rather than broadcasting to (n, n).
    X, y = data_for(Estimator)
    with pytest.warns(DataConversionWarning, match="column-vector y"):
        est = quiet_fit(Estimator(max_iter=5, random_state=0), X, y.reshape(-1, 1))
    assert est.predict(X).shape == (len(X),)
