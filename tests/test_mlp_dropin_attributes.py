"""After a fit, ToyNet carries MLP's fitted attributes, with MLP's meaning.

The attributes have MLP's names, types and shapes; MLP's weights copied into
ToyNet give MLP's predictions and probabilities, far tails included; classes are
encoded in MLP's order; ``n_iter_`` and ``t_`` count as MLP counts them; and an
unfitted estimator raises NotFittedError. Every test runs scikit-learn's MLP
estimator as well as ours, so a test that fails only for ToyNet is a drop-in
incompatibility, and one that fails for both is a wrong test.
"""

from numbers import Integral, Real

import numpy as np
import pytest
from sklearn.base import is_classifier
from sklearn.exceptions import NotFittedError
from sklearn.neural_network import MLPClassifier, MLPRegressor
from sklearn.preprocessing import LabelBinarizer

from sklearn_toynet import ToyNetClassifier, ToyNetRegressor

from _helpers import quiet_fit
from _mlp_helpers import ACTIVATION_TYPES, ESTIMATORS, PAIRS, data_for

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
