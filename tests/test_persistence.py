"""Saving and loading: pickle and joblib round trips, and skops with TRUSTED_TYPES.

A loaded model predicts bit for bit as the original, and keeps training exactly
as the original would (optimizer and random state travel with it). skops loads a
ToyNet model when trusting only ``sklearn_toynet.TRUSTED_TYPES``, and still
refuses anything else in the file.
"""

import io
import os
import pickle
import warnings

import joblib
import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import make_classification, make_multilabel_classification
from sklearn.exceptions import ConvergenceWarning
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

import sklearn_toynet
from sklearn_toynet import (
    TRUSTED_TYPES,
    ToyNetClassifier,
    ToyNetRegressor,
    ToyNetTabularClassifier,
    ToyNetTabularRegressor,
)

X, y3 = make_classification(
    n_samples=60, n_features=4, n_informative=3, n_redundant=0, n_classes=3,
    random_state=0,
)  # fmt: skip
_, Y_MULTILABEL = make_multilabel_classification(
    n_samples=60, n_features=4, n_classes=3, random_state=0
)
TARGETS = {
    "binary": y3 % 2,
    "multiclass": y3,
    "strings": np.array(["cat", "dog", "emu"])[y3],
    "multilabel": Y_MULTILABEL,
    "regression": X @ [1.0, -2.0, 0.5, 0.0],
    "multioutput": np.column_stack([X[:, 0], X[:, 1] ** 2]),
}

# Every kind of fitted state a model can carry: each solver (and so optimizer),
# batch norm on and off, float32, early stopping, every target type.
CONFIGS = [
    pytest.param(est, target, dtype, id=f"{name}-{target}-{dtype.__name__}")
    for name, est in {
        "adam": dict(solver="adam"),
        "sgd-bn": dict(solver="sgd", batch_norm=True),
        "lbfgs-bn": dict(solver="lbfgs", batch_norm=True),
        "adam-early-dropout": dict(early_stopping=True, dropout=0.1),
    }.items()
    for target in TARGETS
    for dtype in (np.float64, np.float32)
    if not (dtype is np.float32 and target in ("strings", "multioutput"))
]


def make_model(params, target, dtype):
    Est = (
        ToyNetRegressor
        if target in ("regression", "multioutput")
        else (ToyNetClassifier)
    )
    est = Est(hidden_layer_sizes=(5, 3), max_iter=5, random_state=0, **params)
    X_ = X.astype(dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        est.fit(X_, TARGETS[target])
    return est, X_, TARGETS[target]


def predictions(est, X_):
    out = [est.predict(X_)]
    if hasattr(est, "predict_proba"):
        out += [est.predict_proba(X_), est.predict_log_proba(X_)]
    return out


def assert_same_predictions(expected, actual, X_):
    for a, b in zip(predictions(expected, X_), predictions(actual, X_)):
        assert a.dtype == b.dtype
        np.testing.assert_array_equal(a, b)


def assert_trains_alike(original, loaded, X_, y_):
    """Continued training of both gives identical weights."""
    if original.solver == "lbfgs" or original.early_stopping:
        return
    for est in (original, loaded):
        est.partial_fit(X_, y_)
    for a, b in zip(original.coefs_, loaded.coefs_):
        np.testing.assert_array_equal(a, b)


def pickle_round_trip(est):
    return pickle.loads(pickle.dumps(est, protocol=pickle.HIGHEST_PROTOCOL))


def joblib_round_trip(est, path):
    joblib.dump(est, path / "model.joblib")
    return joblib.load(path / "model.joblib")


@pytest.mark.parametrize("params, target, dtype", CONFIGS)
def test_pickle_round_trip_predicts_and_trains_identically(params, target, dtype):
    est, X_, y_ = make_model(params, target, dtype)
    loaded = pickle_round_trip(est)
    assert_same_predictions(est, loaded, X_)
    assert_trains_alike(est, loaded, X_, y_)


@pytest.mark.parametrize("target", ["multiclass", "regression"])
def test_joblib_round_trip_predicts_and_trains_identically(target, tmp_path):
    est, X_, y_ = make_model(dict(solver="sgd", batch_norm=True), target, np.float64)
    loaded = joblib_round_trip(est, tmp_path)
    assert_same_predictions(est, loaded, X_)
    assert_trains_alike(est, loaded, X_, y_)


def test_unfitted_estimator_round_trips_with_its_parameters():
    est = ToyNetClassifier(hidden_layer_sizes=(7,), dropout=0.3, batch_norm=True)
    assert pickle_round_trip(est).get_params() == est.get_params()


# -- skops -----------------------------------------------------------------------


def test_trusted_types_is_exported_and_names_only_our_types():
    assert "TRUSTED_TYPES" in sklearn_toynet.__all__
    assert len(set(TRUSTED_TYPES)) == len(TRUSTED_TYPES)
    assert all(name.startswith("sklearn_toynet.") for name in TRUSTED_TYPES)
    for name in TRUSTED_TYPES:
        module, _, attr = name.rpartition(".")
        assert isinstance(getattr(__import__(module, fromlist=[attr]), attr), type)


@pytest.mark.parametrize("params, target, dtype", CONFIGS)
def test_skops_loads_with_trusted_types_only(params, target, dtype):
    sio = pytest.importorskip("skops.io")
    est, X_, y_ = make_model(params, target, dtype)
    # After partial_fit too: the optimizer kept for the next call is saved.
    if est.solver != "lbfgs" and not est.early_stopping:
        est.partial_fit(X_, y_)
    data = sio.dumps(est)
    untrusted = sio.get_untrusted_types(data=data)
    assert set(untrusted) <= set(TRUSTED_TYPES)
    assert type(est).__module__ + "." + type(est).__name__ in untrusted
    with pytest.raises(sio.exceptions.UntrustedTypesFoundException):
        sio.loads(data)  # skops trusts no package's own types by default
    loaded = sio.loads(data, trusted=TRUSTED_TYPES)
    assert_same_predictions(est, loaded, X_)
    assert_trains_alike(est, loaded, X_, y_)


def test_trusted_types_covers_every_type_skops_reports():
    # The union over configurations is exactly the list: nothing missing (a new
    # fitted attribute type would show up here) and nothing needlessly trusted.
    sio = pytest.importorskip("skops.io")
    seen = set()
    for Est, solver, bn in [
        (ToyNetClassifier, "sgd", True),
        (ToyNetRegressor, "adam", False),
    ]:
        est = Est(hidden_layer_sizes=(3,), solver=solver, batch_norm=bn, max_iter=2)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            est.fit(X, y3)
        seen |= set(sio.get_untrusted_types(data=sio.dumps(est)))
    # The tabular pair, with its encoder fitted on a table of every column kind.
    table = pd.DataFrame(
        {"x": [1.0, np.nan, 2.0], "c": ["a", None, "b"], "b": [True, False, True]}
    )
    for Est in (ToyNetTabularClassifier, ToyNetTabularRegressor):
        est = Est(hidden_layer_sizes=(3,), max_iter=2).fit(table, [0, 1, 1])
        seen |= set(sio.get_untrusted_types(data=sio.dumps(est)))
    assert seen == set(TRUSTED_TYPES)


def test_skops_file_round_trip_of_a_pipeline(tmp_path):
    sio = pytest.importorskip("skops.io")
    pipe = make_pipeline(
        StandardScaler(),
        ToyNetClassifier(
            hidden_layer_sizes=(4,), solver="lbfgs", max_iter=1000, random_state=0
        ),
    ).fit(X, y3)
    path = tmp_path / "model.skops"
    sio.dump(pipe, path)
    loaded = sio.load(path, trusted=TRUSTED_TYPES)
    np.testing.assert_array_equal(loaded.predict_proba(X), pipe.predict_proba(X))


def test_skops_still_refuses_what_is_not_a_toynet_type():
    # Trusting the package's types must not let a crafted file call os.system.
    sio = pytest.importorskip("skops.io")
    # Any fitted model will do: its convergence is not what is tested.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        est = ToyNetClassifier(hidden_layer_sizes=(3,), solver="lbfgs").fit(X, y3)
    data = sio.dumps({"model": est, "payload": os.system})
    untrusted = sio.get_untrusted_types(data=data)
    assert set(untrusted) - set(TRUSTED_TYPES)
    with pytest.raises(sio.exceptions.UntrustedTypesFoundException):
        sio.loads(data, trusted=TRUSTED_TYPES)


def test_plain_pickle_runs_code_from_the_file(tmp_path):
    # Why the docs say never to unpickle an untrusted file: loading calls any
    # function the file names, before an object is returned to inspect.
    marker = tmp_path / "pwned"

    class Payload:
        def __reduce__(self):
            return (marker.write_text, ("code ran at load time",))

    data = pickle.dumps(Payload())
    assert not marker.exists()
    pickle.load(io.BytesIO(data))
    assert marker.exists()
    assert "pickle" in sklearn_toynet._persistence.__doc__
