"""Code written for MLPClassifier/MLPRegressor runs unchanged on ToyNet.

Every test here runs scikit-learn's MLP estimator as well as ours (most are
parametrized over both), so a test that fails only for ToyNet is a drop-in
incompatibility, and one that fails for both is a wrong test.

The second half ports scikit-learn's own ``neural_network/tests/test_mlp.py``
(1.9), parametrized the same way. Not ported, because they reach into MLP's
private internals:

- ``test_fit``: sets ``_coef_grads``, ``_intercept_velocity`` and other private
  solver state by hand to replay a worked example of one step.
- ``test_gradient``: calls ``MLPClassifier._loss_grad_lbfgs``; ToyNet's gradients
  are checked against finite differences in ``test_gradients.py`` instead.

``test_learning_rate_warmstart``, ``test_adaptive_learning_rate`` and
``test_n_iter_no_change`` read ``_optimizer.learning_rate`` and
``_no_improvement_count``: ToyNet keeps both under MLP's names, so they are
ported as they are. Adapted: ``test_preserve_feature_names`` gives classifiers
two classes (see there); ``test_mlp_vs_poisson_glm_equivalent`` runs seeds 0 and
1 instead of scikit-learn's ``global_random_seed`` fixture.
"""

import inspect
import pickle
import re
import warnings
from numbers import Integral, Real

import joblib
import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.base import clone, is_classifier
from sklearn.datasets import (
    load_digits,
    load_iris,
    make_classification,
    make_multilabel_classification,
    make_regression,
)
from sklearn.exceptions import (
    ConvergenceWarning,
    DataConversionWarning,
    NotFittedError,
)
from sklearn.linear_model import PoissonRegressor
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import GridSearchCV, cross_val_score, train_test_split
from sklearn.neural_network import MLPClassifier, MLPRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import LabelBinarizer, MinMaxScaler, StandardScaler, scale
from sklearn.utils._param_validation import InvalidParameterError

from sklearn_toynet import ToyNetClassifier, ToyNetRegressor

CLASSIFIERS = [
    pytest.param(MLPClassifier, id="MLPClassifier"),
    pytest.param(ToyNetClassifier, id="ToyNetClassifier"),
]
REGRESSORS = [
    pytest.param(MLPRegressor, id="MLPRegressor"),
    pytest.param(ToyNetRegressor, id="ToyNetRegressor"),
]
ESTIMATORS = CLASSIFIERS + REGRESSORS
PAIRS = [
    pytest.param(MLPClassifier, ToyNetClassifier, id="classifier"),
    pytest.param(MLPRegressor, ToyNetRegressor, id="regressor"),
]

ACTIVATION_TYPES = ["identity", "logistic", "tanh", "relu"]

X_digits, y_digits = load_digits(n_class=3, return_X_y=True)
X_digits_multi = MinMaxScaler().fit_transform(X_digits[:200])
y_digits_multi = y_digits[:200]

X_digits, y_digits = load_digits(n_class=2, return_X_y=True)
X_digits_binary = MinMaxScaler().fit_transform(X_digits[:200])
y_digits_binary = y_digits[:200]

classification_datasets = [
    pytest.param(X_digits_multi, y_digits_multi, id="multiclass"),
    pytest.param(X_digits_binary, y_digits_binary, id="binary"),
]

X_reg, y_reg = make_regression(
    n_samples=200, n_features=10, bias=20.0, noise=100.0, random_state=7
)
y_reg = scale(y_reg)

X_iris, y_iris = load_iris(return_X_y=True)

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

FITTED_ATTRIBUTES = [
    "classes_",
    "coefs_",
    "intercepts_",
    "n_iter_",
    "loss_",
    "best_loss_",
    "loss_curve_",
    "n_layers_",
    "n_outputs_",
    "out_activation_",
    "t_",
    "n_features_in_",
    "validation_scores_",
    "best_validation_score_",
]


def is_mlp(Estimator):
    return Estimator in (MLPClassifier, MLPRegressor)


def data_for(Estimator):
    if issubclass(Estimator, (MLPClassifier, ToyNetClassifier)):
        return X_iris, y_iris
    return X_reg, y_reg


def quiet_fit(est, X, y, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return est.fit(X, y, **kwargs)


def kind(value):
    """A coarse type, for comparing the fitted attributes of two estimators."""
    if value is None:
        return "None"
    if isinstance(value, str):
        return "str"
    if isinstance(value, (bool, np.bool_)):
        return "bool"
    if isinstance(value, Integral):
        return "int"
    if isinstance(value, Real):
        return "float"
    if isinstance(value, np.ndarray):
        return f"ndarray[{value.dtype.kind}, ndim={value.ndim}]"
    if isinstance(value, list):
        return "list[" + ",".join(sorted({kind(v) for v in value})) + "]"
    return type(value).__name__


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


# -- fitted attributes --------------------------------------------------------------


@pytest.mark.parametrize("solver", ["sgd", "adam", "lbfgs"])
@pytest.mark.parametrize("early_stopping", [False, True])
@pytest.mark.parametrize("MLP, ToyNet", PAIRS)
def test_fitted_attributes_have_mlp_names_and_types(
    MLP, ToyNet, solver, early_stopping
):
    if early_stopping and solver == "lbfgs":
        pytest.skip("early_stopping applies to the stochastic solvers only")
    X, y = data_for(MLP)
    params = dict(
        hidden_layer_sizes=(6, 4),
        solver=solver,
        max_iter=5,
        early_stopping=early_stopping,
        random_state=0,
    )
    mlp = quiet_fit(MLP(**params), X, y)
    ours = quiet_fit(ToyNet(**params), X, y)
    for name in FITTED_ATTRIBUTES:
        if not hasattr(mlp, name):
            continue  # e.g. classes_ of a regressor, loss_curve_ of lbfgs
        assert hasattr(ours, name), name
        assert kind(getattr(ours, name)) == kind(getattr(mlp, name)), name
    for name in ["n_layers_", "n_outputs_", "out_activation_", "n_features_in_"]:
        assert getattr(ours, name) == getattr(mlp, name), name
    assert [W.shape for W in ours.coefs_] == [W.shape for W in mlp.coefs_]
    assert [b.shape for b in ours.intercepts_] == [b.shape for b in mlp.intercepts_]
    if solver != "lbfgs":
        # t_ grows by the training rows (validation rows held out) each epoch.
        assert ours.t_ * mlp.n_iter_ == mlp.t_ * ours.n_iter_
        assert len(ours.loss_curve_) == ours.n_iter_


def mlp_data(target):
    rng = np.random.RandomState(0)
    X = rng.normal(size=(60, 4))
    if target == "binary":
        return X, (X[:, 0] > 0).astype(int)
    if target == "multiclass":
        return X, np.digitize(X[:, 0] + X[:, 1], [-0.5, 0.5])
    if target == "multilabel":
        return X, (X[:, :3] > 0).astype(int)
    return X, X @ [1.0, -1.0, 0.5, 2.0]


@pytest.mark.parametrize("activation", ACTIVATION_TYPES)
@pytest.mark.parametrize("target", ["binary", "multiclass", "multilabel", "regression"])
def test_mlp_weights_give_mlp_predictions(target, activation):
    """The same weights make the same predictions, tiny probabilities included."""
    X, y = mlp_data(target)
    MLP, ToyNet = (
        (MLPRegressor, ToyNetRegressor)
        if target == "regression"
        else (MLPClassifier, ToyNetClassifier)
    )
    params = dict(hidden_layer_sizes=(6, 4), activation=activation, solver="lbfgs")
    mlp = quiet_fit(MLP(max_iter=20, random_state=0, **params), X, y)
    # Push the output logits far into the sigmoid's and softmax's tails.
    mlp.coefs_[-1] *= 30
    ours = quiet_fit(ToyNet(max_iter=1, random_state=1, **params), X, y)
    assert ours.out_activation_ == mlp.out_activation_
    ours.coefs_ = [W.copy() for W in mlp.coefs_]
    ours.intercepts_ = [b.copy() for b in mlp.intercepts_]
    if target == "regression":
        np.testing.assert_allclose(ours.predict(X), mlp.predict(X), rtol=1e-10)
        return
    np.testing.assert_array_equal(ours.predict(X), mlp.predict(X))
    expected = mlp.predict_proba(X)
    assert expected.min() < 1e-30  # the tails are really reached
    # Relative precision down to 1e-300 (expit underflows to 0 before ToyNet).
    np.testing.assert_allclose(ours.predict_proba(X), expected, rtol=1e-9, atol=1e-300)
    with np.errstate(divide="ignore"):
        expected_log = mlp.predict_log_proba(X)
        log_proba = ours.predict_log_proba(X)
    finite = np.isfinite(expected_log)
    assert np.isfinite(log_proba[finite]).all()
    # log(1 - p) for p within an ulp or two of 1 is only absolutely accurate.
    np.testing.assert_allclose(
        log_proba[finite], expected_log[finite], rtol=1e-9, atol=1e-12
    )
    assert (log_proba[~finite] < -690).all()


@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_unfitted_estimator_raises_not_fitted(Estimator):
    X, _ = data_for(Estimator)
    with pytest.raises(NotFittedError):
        Estimator().predict(X)


# -- invalid parameters -------------------------------------------------------------

INVALID = [
    ("hidden_layer_sizes", -1),
    ("activation", "softplus"),
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


# -- usage snippets -----------------------------------------------------------------


def snippet_pipeline_grid_search(Estimator):
    X, y = data_for(Estimator)
    search = GridSearchCV(
        make_pipeline(StandardScaler(), Estimator(max_iter=30, random_state=0)),
        {f"{Estimator.__name__.lower()}__hidden_layer_sizes": [(4,), (8,)]},
        cv=2,
    )
    quiet_fit(search, X, y)
    assert search.best_params_
    assert search.predict(X).shape == y.shape


def snippet_cross_val_score(Estimator):
    X, y = data_for(Estimator)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        scores = cross_val_score(
            Estimator(hidden_layer_sizes=(8,), solver="lbfgs", random_state=0),
            X,
            y,
            cv=3,
        )
    assert scores.shape == (3,)


def snippet_clone_pickle_and_predict(Estimator):
    X, y = data_for(Estimator)
    est = quiet_fit(Estimator(hidden_layer_sizes=(5,), random_state=0), X, y)
    copy = pickle.loads(pickle.dumps(est))
    np.testing.assert_array_equal(copy.predict(X), est.predict(X))
    unfitted = clone(est)
    assert not hasattr(unfitted, "coefs_")
    assert unfitted.get_params() == est.get_params()


def snippet_predict_proba(Estimator):
    if not hasattr(Estimator, "predict_proba"):
        return
    clf = quiet_fit(Estimator(random_state=0, max_iter=50), X_iris, y_iris)
    proba = clf.predict_proba(X_iris)
    assert proba.shape == (len(X_iris), 3)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    np.testing.assert_allclose(clf.predict_log_proba(X_iris), np.log(proba))
    np.testing.assert_array_equal(clf.classes_[proba.argmax(1)], clf.predict(X_iris))


def snippet_mini_batch_partial_fit(Estimator):
    X, y = data_for(Estimator)
    est = Estimator(hidden_layer_sizes=(8,), random_state=0)
    kwargs = {"classes": np.unique(y)} if hasattr(Estimator, "predict_proba") else {}
    for _epoch in range(3):
        for rows in np.array_split(np.arange(len(X)), 5):
            est.partial_fit(X[rows], y[rows], **kwargs)
            kwargs = {}
    assert est.t_ == 3 * len(X)
    assert est.predict(X).shape == y.shape


def snippet_loss_curve_and_score(Estimator):
    X, y = data_for(Estimator)
    est = quiet_fit(Estimator(solver="sgd", max_iter=20, random_state=0), X, y)
    assert len(est.loss_curve_) == est.n_iter_
    assert est.loss_ == est.loss_curve_[-1]
    assert est.best_loss_ == min(est.loss_curve_)
    assert isinstance(est.score(X, y), float)


def snippet_set_params_and_refit(Estimator):
    X, y = data_for(Estimator)
    est = quiet_fit(Estimator(hidden_layer_sizes=(3,), max_iter=5), X, y)
    est.set_params(hidden_layer_sizes=(7, 2))
    quiet_fit(est, X, y)
    assert [W.shape[1] for W in est.coefs_] == [7, 2, est.n_outputs_]


def snippet_sparse_input(Estimator):
    X, y = data_for(Estimator)
    est = quiet_fit(
        Estimator(solver="lbfgs", hidden_layer_sizes=(5,), random_state=0),
        sp.csr_matrix(X),
        y,
    )
    assert est.predict(sp.csr_matrix(X)).shape == y.shape


def snippet_feature_names(Estimator):
    pd = pytest.importorskip("pandas")
    X, y = data_for(Estimator)
    frame = pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])])
    est = quiet_fit(Estimator(max_iter=5), frame, y)
    np.testing.assert_array_equal(est.feature_names_in_, frame.columns)
    with pytest.warns(UserWarning, match="feature names"):
        est.predict(X)


SNIPPETS = [
    snippet_pipeline_grid_search,
    snippet_cross_val_score,
    snippet_clone_pickle_and_predict,
    snippet_predict_proba,
    snippet_mini_batch_partial_fit,
    snippet_loss_curve_and_score,
    snippet_set_params_and_refit,
    snippet_sparse_input,
    snippet_feature_names,
]


@pytest.mark.parametrize("snippet", SNIPPETS, ids=lambda f: f.__name__[8:])
@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_mlp_usage_snippet_runs_unchanged(Estimator, snippet):
    snippet(Estimator)


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
    # L-BFGS's line search is sensitive to the last bits of the loss.
    atol = 1e-7 if params["solver"] == "lbfgs" else 1e-12
    for a, b in zip(ours.coefs_ + ours.intercepts_, mlp.coefs_ + mlp.intercepts_):
        np.testing.assert_allclose(a, b, rtol=1e-9, atol=atol)
    if target == "multioutput":
        # MLP reports the squared error averaged over outputs but steps along
        # its sum's gradient; ToyNet reports the sum it differentiates.
        assert ours.loss_ == pytest.approx(2 * mlp.loss_, rel=1e-9)
    else:
        assert ours.loss_ == pytest.approx(mlp.loss_, rel=1e-9)
    if params.get("early_stopping"):
        assert ours.validation_scores_ == pytest.approx(mlp.validation_scores_)


# ===================================================================================
# Ported from scikit-learn's sklearn/neural_network/tests/test_mlp.py
# ===================================================================================


@pytest.mark.parametrize("Estimator", CLASSIFIERS)
def test_alpha(Estimator):
    # Larger alpha yields weights closer to zero.
    X = X_digits_binary[:100]
    y = y_digits_binary[:100]
    alpha_vectors = []
    for alpha in [0, 1]:
        mlp = Estimator(hidden_layer_sizes=10, alpha=alpha, random_state=1)
        quiet_fit(mlp, X, y)
        alpha_vectors.append(
            np.array([np.abs(mlp.coefs_[0]).sum(), np.abs(mlp.coefs_[1]).sum()])
        )
    assert (alpha_vectors[0] > alpha_vectors[1]).all()


@pytest.mark.parametrize("X, y", classification_datasets)
@pytest.mark.parametrize("Estimator", CLASSIFIERS)
def test_lbfgs_classification(Estimator, X, y):
    X_train, y_train, X_test = X[:150], y[:150], X[150:]
    expected_shape_dtype = (X_test.shape[0], y_train.dtype.kind)
    for activation in ACTIVATION_TYPES:
        mlp = Estimator(
            solver="lbfgs",
            hidden_layer_sizes=50,
            max_iter=150,
            shuffle=True,
            random_state=1,
            activation=activation,
        )
        mlp.fit(X_train, y_train)
        y_predict = mlp.predict(X_test)
        assert mlp.score(X_train, y_train) > 0.95
        assert (y_predict.shape[0], y_predict.dtype.kind) == expected_shape_dtype


@pytest.mark.parametrize("Estimator", REGRESSORS)
def test_lbfgs_regression(Estimator):
    for activation in ACTIVATION_TYPES:
        mlp = Estimator(
            solver="lbfgs",
            hidden_layer_sizes=50,
            max_iter=200,
            tol=1e-3,
            shuffle=True,
            random_state=1,
            activation=activation,
        )
        quiet_fit(mlp, X_reg, y_reg)
        if activation == "identity":
            assert mlp.score(X_reg, y_reg) > 0.80
        else:
            # Non-linear models perform much better than a linear bottleneck.
            assert mlp.score(X_reg, y_reg) > 0.98


@pytest.mark.parametrize("X, y", classification_datasets)
@pytest.mark.parametrize("Estimator", CLASSIFIERS)
def test_lbfgs_classification_maxfun(Estimator, X, y):
    max_fun = 10
    for activation in ACTIVATION_TYPES:
        mlp = Estimator(
            solver="lbfgs",
            hidden_layer_sizes=50,
            max_iter=150,
            max_fun=max_fun,
            shuffle=True,
            random_state=1,
            activation=activation,
        )
        with pytest.warns(ConvergenceWarning):
            mlp.fit(X, y)
        assert max_fun >= mlp.n_iter_


@pytest.mark.parametrize("Estimator", REGRESSORS)
def test_lbfgs_regression_maxfun(Estimator):
    max_fun = 10
    for activation in ACTIVATION_TYPES:
        mlp = Estimator(
            solver="lbfgs",
            hidden_layer_sizes=50,
            tol=0.0,
            max_iter=150,
            max_fun=max_fun,
            shuffle=True,
            random_state=1,
            activation=activation,
        )
        with pytest.warns(ConvergenceWarning):
            mlp.fit(X_reg, y_reg)
        assert max_fun >= mlp.n_iter_


@pytest.mark.parametrize("Estimator", CLASSIFIERS)
def test_learning_rate_warmstart(Estimator):
    X = [[3, 2], [1, 6], [5, 6], [-2, -4]]
    y = [1, 1, 1, 0]
    for learning_rate in ["invscaling", "constant"]:
        mlp = Estimator(
            solver="sgd",
            hidden_layer_sizes=4,
            learning_rate=learning_rate,
            max_iter=1,
            power_t=0.25,
            warm_start=True,
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            mlp.fit(X, y)
            prev_eta = mlp._optimizer.learning_rate
            mlp.fit(X, y)
            post_eta = mlp._optimizer.learning_rate
        if learning_rate == "constant":
            assert prev_eta == post_eta
        else:
            assert mlp.learning_rate_init / pow(8 + 1, mlp.power_t) == post_eta


@pytest.mark.parametrize("Estimator", CLASSIFIERS)
def test_multilabel_classification(Estimator):
    X, y = make_multilabel_classification(
        n_samples=50, random_state=0, return_indicator=True
    )
    mlp = Estimator(
        solver="lbfgs",
        hidden_layer_sizes=50,
        alpha=1e-5,
        max_iter=150,
        random_state=0,
        activation="logistic",
        learning_rate_init=0.2,
    )
    quiet_fit(mlp, X, y)
    assert mlp.score(X, y) > 0.97

    mlp = Estimator(
        solver="sgd",
        hidden_layer_sizes=50,
        max_iter=150,
        random_state=0,
        activation="logistic",
        alpha=1e-5,
        learning_rate_init=0.2,
    )
    for _ in range(100):
        mlp.partial_fit(X, y, classes=[0, 1, 2, 3, 4])
    assert mlp.score(X, y) > 0.9

    # Early stopping still works: the split is not stratified for multilabel.
    quiet_fit(Estimator(early_stopping=True), X, y).predict(X)


@pytest.mark.parametrize("Estimator", REGRESSORS)
def test_multioutput_regression(Estimator):
    X, y = make_regression(n_samples=200, n_targets=5, random_state=11)
    mlp = Estimator(
        solver="lbfgs", hidden_layer_sizes=50, max_iter=200, tol=1e-2, random_state=1
    )
    quiet_fit(mlp, X, y)
    assert mlp.score(X, y) > 0.9


@pytest.mark.parametrize("Estimator", CLASSIFIERS)
def test_partial_fit_classes_error(Estimator):
    clf = Estimator(solver="sgd")
    clf.partial_fit([[3, 2]], [0], classes=[0, 1])
    with pytest.raises(ValueError):
        clf.partial_fit([[3, 2]], [0], classes=[1, 2])


@pytest.mark.parametrize("X, y", classification_datasets)
@pytest.mark.parametrize("Estimator", CLASSIFIERS)
def test_partial_fit_classification(Estimator, X, y):
    # partial_fit gives the same results as fit.
    mlp = Estimator(
        solver="sgd",
        max_iter=100,
        random_state=1,
        tol=0,
        alpha=1e-5,
        learning_rate_init=0.2,
    )
    quiet_fit(mlp, X, y)
    pred1 = mlp.predict(X)
    mlp = Estimator(solver="sgd", random_state=1, alpha=1e-5, learning_rate_init=0.2)
    for _ in range(100):
        mlp.partial_fit(X, y, classes=np.unique(y))
    pred2 = mlp.predict(X)
    np.testing.assert_array_equal(pred1, pred2)
    assert mlp.score(X, y) > 0.95


@pytest.mark.parametrize("Estimator", CLASSIFIERS)
def test_partial_fit_unseen_classes(Estimator):
    clf = Estimator(random_state=0)
    clf.partial_fit([[1], [2], [3]], ["a", "b", "c"], classes=["a", "b", "c", "d"])
    clf.partial_fit([[4]], ["d"])
    assert clf.score([[1], [2], [3], [4]], ["a", "b", "c", "d"]) > 0


@pytest.mark.parametrize("momentum", [0, 0.9])
@pytest.mark.parametrize("Estimator", REGRESSORS)
def test_partial_fit_regression(Estimator, momentum):
    params = dict(
        solver="sgd",
        activation="relu",
        random_state=1,
        learning_rate_init=0.01,
        batch_size=X_reg.shape[0],
        momentum=momentum,
    )
    mlp = quiet_fit(Estimator(max_iter=100, **params), X_reg, y_reg)
    pred1 = mlp.predict(X_reg)
    mlp = Estimator(**params)
    for _ in range(100):
        mlp.partial_fit(X_reg, y_reg)
    pred2 = mlp.predict(X_reg)
    np.testing.assert_allclose(pred1, pred2)
    assert mlp.score(X_reg, y_reg) > 0.65


@pytest.mark.parametrize("Estimator", CLASSIFIERS)
def test_partial_fit_errors(Estimator):
    X = [[3, 2], [1, 6]]
    y = [1, 0]
    # classes that do not cover y
    with pytest.raises(ValueError):
        Estimator(solver="sgd").partial_fit(X, y, classes=[2])
    assert not hasattr(Estimator(solver="lbfgs"), "partial_fit")


@pytest.mark.parametrize("Estimator", REGRESSORS)
def test_nonfinite_params(Estimator):
    rng = np.random.RandomState(0)
    n_samples = 10
    fmax = np.finfo(np.float64).max
    X = fmax * rng.uniform(size=(n_samples, 2))
    y = rng.standard_normal(size=n_samples)
    msg = (
        "Solver produced non-finite parameter weights. The input data may contain "
        "large values and need to be preprocessed"
    )
    with pytest.raises(ValueError, match=msg), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        Estimator().fit(X, y)


@pytest.mark.parametrize("Estimator", CLASSIFIERS)
def test_predict_proba_binary(Estimator):
    X = X_digits_binary[:50]
    y = y_digits_binary[:50]
    clf = quiet_fit(
        Estimator(hidden_layer_sizes=5, activation="logistic", random_state=1), X, y
    )
    y_proba = clf.predict_proba(X)
    y_log_proba = clf.predict_log_proba(X)
    assert y_proba.shape == (y.shape[0], 2)
    np.testing.assert_array_equal(y_proba.argmax(axis=1), y_log_proba.argmax(axis=1))
    np.testing.assert_allclose(y_log_proba, np.log(y_proba))
    assert roc_auc_score(y, y_proba[:, 1]) == 1.0


@pytest.mark.parametrize("Estimator", CLASSIFIERS)
def test_predict_proba_multiclass(Estimator):
    X = X_digits_multi[:10]
    y = y_digits_multi[:10]
    clf = quiet_fit(Estimator(hidden_layer_sizes=5), X, y)
    y_proba = clf.predict_proba(X)
    y_log_proba = clf.predict_log_proba(X)
    assert y_proba.shape == (y.shape[0], np.unique(y).size)
    np.testing.assert_array_equal(y_proba.argmax(axis=1), y_log_proba.argmax(axis=1))
    np.testing.assert_allclose(y_log_proba, np.log(y_proba))


@pytest.mark.parametrize("Estimator", CLASSIFIERS)
def test_predict_proba_multilabel(Estimator):
    X, Y = make_multilabel_classification(
        n_samples=50, random_state=0, return_indicator=True
    )
    n_samples, n_classes = Y.shape
    clf = quiet_fit(
        Estimator(solver="lbfgs", hidden_layer_sizes=30, random_state=0), X, Y
    )
    y_proba = clf.predict_proba(X)
    assert y_proba.shape == (n_samples, n_classes)
    np.testing.assert_array_equal(y_proba > 0.5, Y)
    y_log_proba = clf.predict_log_proba(X)
    # Independent sigmoids, not a softmax: rows do not sum to 1.
    assert (y_proba.sum(1) - 1).dot(y_proba.sum(1) - 1) > 1e-10
    np.testing.assert_array_equal(y_proba.argmax(axis=1), y_log_proba.argmax(axis=1))
    np.testing.assert_allclose(y_log_proba, np.log(y_proba))


@pytest.mark.parametrize("Estimator", REGRESSORS)
def test_shuffle(Estimator):
    X, y = make_regression(n_samples=50, n_features=5, n_targets=1, random_state=0)

    def fit(shuffle):
        return quiet_fit(
            Estimator(
                hidden_layer_sizes=1,
                max_iter=1,
                batch_size=1,
                random_state=0,
                shuffle=shuffle,
            ),
            X,
            y,
        )

    for shuffle in [True, False]:
        assert np.array_equal(fit(shuffle).coefs_[0], fit(shuffle).coefs_[0])
    assert not np.array_equal(fit(True).coefs_[0], fit(False).coefs_[0])


@pytest.mark.parametrize("Estimator", CLASSIFIERS)
def test_sparse_matrices(Estimator):
    X = X_digits_binary[:50]
    y = y_digits_binary[:50]
    X_sparse = sp.csr_matrix(X)
    mlp = Estimator(solver="lbfgs", hidden_layer_sizes=15, random_state=1)
    quiet_fit(mlp, X, y)
    pred1 = mlp.predict(X)
    quiet_fit(mlp, X_sparse, y)
    pred2 = mlp.predict(X_sparse)
    np.testing.assert_array_almost_equal(pred1, pred2)
    np.testing.assert_array_equal(mlp.predict(X), mlp.predict(X_sparse))


@pytest.mark.parametrize("Estimator", CLASSIFIERS)
def test_tolerance(Estimator):
    clf = Estimator(tol=0.5, max_iter=3000, solver="sgd")
    clf.fit([[3, 2], [1, 6]], [1, 0])
    assert clf.max_iter > clf.n_iter_


@pytest.mark.parametrize("Estimator", CLASSIFIERS)
def test_verbose_sgd(Estimator, capsys):
    X = [[3, 2], [1, 6]]
    y = [1, 0]
    clf = Estimator(solver="sgd", max_iter=2, verbose=10, hidden_layer_sizes=2)
    quiet_fit(clf, X, y)
    clf.partial_fit(X, y)
    out, _ = capsys.readouterr()
    assert "Iteration" in out


@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_early_stopping(Estimator):
    X = X_digits_binary[:100]
    y = y_digits_binary[:100]
    tol = 0.2
    mlp = Estimator(tol=tol, max_iter=3000, solver="sgd", early_stopping=True)
    mlp.fit(X, y)
    assert mlp.max_iter > mlp.n_iter_
    assert mlp.best_loss_ is None
    assert isinstance(mlp.validation_scores_, list)
    valid_scores = mlp.validation_scores_
    best_valid_score = mlp.best_validation_score_
    assert max(valid_scores) == best_valid_score
    assert best_valid_score + tol > valid_scores[-2]
    assert best_valid_score + tol > valid_scores[-1]

    mlp = Estimator(tol=tol, max_iter=3000, solver="sgd", early_stopping=False)
    mlp.fit(X, y)
    assert mlp.validation_scores_ is None
    assert mlp.best_validation_score_ is None
    assert mlp.best_loss_ is not None


@pytest.mark.parametrize("Estimator", CLASSIFIERS)
def test_adaptive_learning_rate(Estimator):
    clf = Estimator(tol=0.5, max_iter=3000, solver="sgd", learning_rate="adaptive")
    clf.fit([[3, 2], [1, 6]], [1, 0])
    assert clf.max_iter > clf.n_iter_
    assert clf._optimizer.learning_rate < 1e-6


@pytest.mark.parametrize("Estimator", CLASSIFIERS)
def test_warm_start(Estimator):
    X, y = X_iris, y_iris
    y_2classes = np.array([0] * 75 + [1] * 75)
    y_3classes = np.array([0] * 40 + [1] * 40 + [2] * 70)
    y_3classes_alt = np.array([0] * 50 + [1] * 50 + [3] * 50)
    y_4classes = np.array([0] * 37 + [1] * 37 + [2] * 38 + [3] * 38)
    y_5classes = np.array([0] * 30 + [1] * 30 + [2] * 30 + [3] * 30 + [4] * 30)
    params = dict(
        hidden_layer_sizes=2, solver="lbfgs", warm_start=True, random_state=42, tol=1e-2
    )
    # No error raised.
    clf = quiet_fit(Estimator(**params), X, y)
    quiet_fit(clf, X, y)
    quiet_fit(clf, X, y_3classes)
    for y_i in (y_2classes, y_3classes_alt, y_4classes, y_5classes):
        clf = quiet_fit(Estimator(**params), X, y)
        message = (
            "warm_start can only be used where `y` has the same "
            "classes as in the previous call to fit."
            " Previously got [0 1 2], `y` has %s" % np.unique(y_i)
        )
        with pytest.raises(ValueError, match=re.escape(message)):
            clf.fit(X, y_i)


@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_warm_start_full_iteration(Estimator):
    # scikit-learn issue 16812: a warm-started fit runs max_iter epochs.
    max_iter = 3
    clf = Estimator(
        hidden_layer_sizes=2, solver="sgd", warm_start=True, max_iter=max_iter
    )
    quiet_fit(clf, X_iris, y_iris)
    assert max_iter == clf.n_iter_
    quiet_fit(clf, X_iris, y_iris)
    assert max_iter == clf.n_iter_


@pytest.mark.parametrize("Estimator", CLASSIFIERS)
def test_n_iter_no_change(Estimator):
    X = X_digits_binary[:100]
    y = y_digits_binary[:100]
    for n_iter_no_change in [2, 5, 10, 50, 100]:
        clf = Estimator(
            tol=0.01, max_iter=3000, solver="sgd", n_iter_no_change=n_iter_no_change
        )
        clf.fit(X, y)
        assert clf._no_improvement_count == n_iter_no_change + 1
        assert clf.n_iter_ < 3000


@pytest.mark.parametrize("Estimator", CLASSIFIERS)
def test_n_iter_no_change_inf(Estimator):
    X = X_digits_binary[:100]
    y = y_digits_binary[:100]
    max_iter = 3000
    clf = Estimator(tol=1e9, max_iter=max_iter, solver="sgd", n_iter_no_change=np.inf)
    quiet_fit(clf, X, y)
    assert clf.n_iter_ == max_iter
    assert clf._no_improvement_count == clf.n_iter_ - 1


@pytest.mark.parametrize("Estimator", CLASSIFIERS)
def test_early_stopping_stratified(Estimator):
    X = [[1, 2], [2, 3], [3, 4], [4, 5]]
    y = [0, 0, 0, 1]
    with pytest.raises(ValueError, match="The least populated class"):
        Estimator(early_stopping=True).fit(X, y)


@pytest.mark.parametrize("Estimator", CLASSIFIERS)
def test_mlp_early_stopping_string_labels(Estimator):
    X, y = make_classification(
        n_samples=200, n_features=10, n_classes=3, n_informative=5, random_state=42
    )
    y = np.array(["class_a", "class_b", "class_c"], dtype=object)[y]
    mlp = quiet_fit(Estimator(early_stopping=True, max_iter=50, random_state=42), X, y)
    assert mlp.validation_scores_ is not None
    assert len(mlp.validation_scores_) == mlp.n_iter_
    assert np.isfinite(mlp.validation_scores_).all()


@pytest.mark.parametrize("Estimator", CLASSIFIERS)
def test_mlp_classifier_dtypes_casting(Estimator):
    X, y = load_digits(n_class=2, return_X_y=True)
    params = dict(
        alpha=1e-5, hidden_layer_sizes=(5, 3), random_state=1, max_iter=100, tol=1e-1
    )
    mlp_64 = quiet_fit(Estimator(**params), X[:300], y[:300])
    mlp_32 = quiet_fit(Estimator(**params), X[:300].astype(np.float32), y[:300])
    np.testing.assert_array_equal(
        mlp_64.predict(X[300:]), mlp_32.predict(X[300:].astype(np.float32))
    )
    np.testing.assert_allclose(
        mlp_64.predict_proba(X[300:]),
        mlp_32.predict_proba(X[300:].astype(np.float32)),
        rtol=1e-2,
    )


@pytest.mark.parametrize("Estimator", REGRESSORS)
def test_mlp_regressor_dtypes_casting(Estimator):
    X, y = load_digits(n_class=2, return_X_y=True)
    params = dict(
        alpha=1e-5, hidden_layer_sizes=(5, 3), random_state=1, max_iter=150, tol=1e-3
    )
    mlp_64 = quiet_fit(Estimator(**params), X[:300], y[:300])
    mlp_32 = quiet_fit(Estimator(**params), X[:300].astype(np.float32), y[:300])
    np.testing.assert_allclose(
        mlp_64.predict(X[300:]), mlp_32.predict(X[300:].astype(np.float32)), rtol=5e-4
    )


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_mlp_param_dtypes(dtype, Estimator):
    X, y = load_digits(n_class=2, return_X_y=True)
    X = X.astype(dtype)
    mlp = Estimator(
        alpha=1e-5, hidden_layer_sizes=(5, 3), random_state=1, max_iter=50, tol=1e-1
    )
    quiet_fit(mlp, X[:300], y[:300])
    pred = mlp.predict(X[300:])
    assert all(intercept.dtype == dtype for intercept in mlp.intercepts_)
    assert all(coef.dtype == dtype for coef in mlp.coefs_)
    if Estimator in (MLPRegressor, ToyNetRegressor):
        assert pred.dtype == dtype


@pytest.mark.parametrize("Estimator", REGRESSORS)
def test_mlp_loading_from_joblib_partial_fit(Estimator, tmp_path):
    # scikit-learn issue 19626: a loaded model's partial_fit updates the weights.
    est = Estimator(
        hidden_layer_sizes=(42,), random_state=42, learning_rate_init=0.01, max_iter=200
    )
    quiet_fit(est, [[2]], [4])
    pickled_file = tmp_path / "mlp.pkl"
    joblib.dump(est, pickled_file)
    loaded = joblib.load(pickled_file)
    for _ in range(200):
        loaded.partial_fit([[2]], [1])
    np.testing.assert_allclose(loaded.predict([[2]]), [1], rtol=1e-4)


@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_preserve_feature_names(Estimator):
    # scikit-learn issue 24846: no feature-name warning with early stopping.
    pd = pytest.importorskip("pandas")
    rng = np.random.RandomState(0)
    X = pd.DataFrame(data=rng.randn(10, 2), columns=["colname_a", "colname_b"])
    y = pd.Series(data=np.full(10, 1), name="colname_y")
    if Estimator in (MLPClassifier, ToyNetClassifier):
        # The original's y is all ones. MLPClassifier fits a single class (and
        # predict_proba then has two columns for one class); ToyNetClassifier
        # refuses it with a ValueError, by design. Two classes test the point.
        y[5:] = 0
    model = Estimator(early_stopping=True, validation_fraction=0.2)
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(X, y)


@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_mlp_warm_start_with_early_stopping(Estimator):
    mlp = Estimator(max_iter=10, random_state=0, warm_start=True, early_stopping=True)
    quiet_fit(mlp, X_iris, y_iris)
    n_validation_scores = len(mlp.validation_scores_)
    mlp.set_params(max_iter=20)
    quiet_fit(mlp, X_iris, y_iris)
    assert len(mlp.validation_scores_) > n_validation_scores


@pytest.mark.parametrize("solver", ["sgd", "adam", "lbfgs"])
@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_mlp_warm_start_no_convergence(Estimator, solver):
    # scikit-learn issue 24764: a warm-started fit stops at max_iter.
    model = Estimator(
        solver=solver,
        warm_start=True,
        early_stopping=False,
        max_iter=10,
        n_iter_no_change=np.inf,
        random_state=0,
    )
    with pytest.warns(ConvergenceWarning):
        model.fit(X_iris, y_iris)
    assert model.n_iter_ == 10
    model.set_params(max_iter=20)
    with pytest.warns(ConvergenceWarning):
        model.fit(X_iris, y_iris)
    assert model.n_iter_ == 20


@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_mlp_partial_fit_after_fit(Estimator):
    # scikit-learn issue 25693.
    mlp = quiet_fit(Estimator(early_stopping=True, random_state=0), X_iris, y_iris)
    with pytest.raises(ValueError, match="partial_fit does not support early_stopping"):
        mlp.partial_fit(X_iris, y_iris)


@pytest.mark.parametrize("Estimator", REGRESSORS)
def test_mlp_diverging_loss(Estimator):
    # scikit-learn issue 29504: divergence with early stopping raises no error
    # and records a NaN validation score.
    mlp = Estimator(
        hidden_layer_sizes=100,
        activation="identity",
        solver="sgd",
        alpha=0.0001,
        learning_rate="constant",
        learning_rate_init=1,
        shuffle=True,
        max_iter=20,
        early_stopping=True,
        n_iter_no_change=10,
        random_state=0,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        warnings.simplefilter("ignore", ConvergenceWarning)
        mlp.fit(X_iris, y_iris)
    assert str(mlp.validation_scores_[-1]) == str(np.nan)
    assert isinstance(mlp.validation_scores_[-1], float)


@pytest.mark.parametrize("Estimator", REGRESSORS)
def test_mlp_sample_weight_with_early_stopping(Estimator):
    X, y = make_regression(
        n_samples=100, n_features=2, n_informative=2, random_state=42
    )
    params = dict(
        hidden_layer_sizes=10,
        solver="adam",
        early_stopping=True,
        tol=1e-2,
        learning_rate_init=0.01,
        batch_size=10,
        random_state=42,
    )
    m1 = quiet_fit(Estimator(**params), X, y, sample_weight=np.ones_like(y))
    m2 = quiet_fit(Estimator(**params), X, y, sample_weight=None)
    np.testing.assert_allclose(m1.predict(X), m2.predict(X))


@pytest.mark.parametrize("seed", [0, 1])
@pytest.mark.parametrize("Estimator", REGRESSORS)
def test_mlp_vs_poisson_glm_equivalent(Estimator, seed):
    n = 100
    rng = np.random.default_rng(seed)
    X = np.linspace(0, 1, n)
    y = rng.poisson(np.exp(X + 1))
    X = X.reshape(n, -1)
    glm = PoissonRegressor(alpha=0, tol=1e-7).fit(X, y)
    params = dict(
        hidden_layer_sizes=(1,),
        activation="identity",
        alpha=0,
        solver="lbfgs",
        tol=1e-7,
        random_state=np.random.RandomState(seed + 1),
    )
    mlp = Estimator(loss="poisson", **params).fit(X, y)
    np.testing.assert_allclose(mlp.predict(X), glm.predict(X), rtol=1e-4)
    params["random_state"] = np.random.RandomState(seed + 1)
    mlp = Estimator(loss="squared_error", **params).fit(X, y)
    assert not np.allclose(mlp.predict(X), glm.predict(X), rtol=1e-4)


@pytest.mark.parametrize("Estimator", REGRESSORS)
def test_minimum_input_sample_size(Estimator):
    X, y = make_regression(n_samples=2, n_features=5, random_state=0)
    model = Estimator(early_stopping=True, random_state=0)
    with pytest.raises(ValueError, match="The validation set is too small"):
        model.fit(X, y)


def test_label_binarizer_encoding_matches_mlp():
    # Same class order, same one-hot encoding: predict_proba columns line up.
    y = np.array(["b", "a", "c", "a"])
    clf = quiet_fit(ToyNetClassifier(max_iter=2), np.eye(4), y)
    mlp = quiet_fit(MLPClassifier(max_iter=2), np.eye(4), y)
    np.testing.assert_array_equal(clf.classes_, mlp.classes_)
    np.testing.assert_array_equal(clf.classes_, LabelBinarizer().fit(y).classes_)


@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_n_iter_counts_the_epochs_of_the_last_call(Estimator):
    X, y = data_for(Estimator)
    est = Estimator(hidden_layer_sizes=(4,), max_iter=3, random_state=0)
    quiet_fit(est, X, y)
    assert est.n_iter_ == 3
    est.set_params(warm_start=True, max_iter=2)
    quiet_fit(est, X, y)
    assert est.n_iter_ == 2
    kwargs = {"classes": np.unique(y)} if is_classifier(est) else {}
    for _ in range(3):
        est.partial_fit(X, y, **kwargs)
    assert est.n_iter_ == 1
    assert est.t_ == (3 + 2 + 3) * len(X)
