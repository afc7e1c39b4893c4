"""Whole pipelines convert with skl2onnx; unsupported models raise clear errors.

Every estimator kind (binary, multiclass, multilabel and single-class
classifiers; one- and three-output and Poisson regressors) behind each common
first step (a scaler, a ColumnTransformer with a OneHotEncoder on a pandas
DataFrame, an imputer-then-scaler chain) converts with skl2onnx's own
``to_onnx`` once ``sklearn_toynet.onnx`` is imported, and with the module's
``to_onnx`` shortcut, and runs in ONNX Runtime as the pipeline predicts; an
unfitted model, an unknown activation, a wrong
number of per-layer activations, incompatible options and several inputs fail
naming the problem; nothing but ``sklearn_toynet.onnx`` imports skl2onnx.
"""

import functools
import subprocess
import sys

import numpy as np
import pytest
from sklearn.compose import ColumnTransformer
from sklearn.exceptions import NotFittedError
from sklearn.impute import SimpleImputer
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from sklearn_toynet import ToyNetClassifier, ToyNetRegressor
from sklearn_toynet.onnx import to_onnx

from _onnx_helpers import (
    ATOL,
    TARGETS,
    Y2,
    Y3,
    X,
    convert,
    fit,
    onnx,
    run,
    run_frame,
    skl2onnx,
)

pd = pytest.importorskip("pandas", reason="pandas is in the test extra")


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_scaler_pipeline_converts_as_a_whole(dtype):
    pipe = make_pipeline(
        StandardScaler(), ToyNetClassifier((6,), max_iter=60, random_state=0)
    )
    pipe = fit(pipe, 10 * X + 3, TARGETS["multiclass"])
    onx = skl2onnx.to_onnx(pipe, (10 * X[:1] + 3).astype(dtype))
    onnx.checker.check_model(onx)
    out = run(onx, 10 * X + 3, dtype)
    assert out["output_label"].tolist() == pipe.predict(10 * X + 3).tolist()
    proba = [[row[c] for c in range(3)] for row in out["output_probability"]]
    np.testing.assert_allclose(
        proba, pipe.predict_proba(10 * X + 3), rtol=0, atol=ATOL[np.float32]
    )


def frame():
    df = pd.DataFrame(X[:, :3], columns=["height", "weight", "age"])
    df["colour"] = np.array(["red", "green", "blue"])[(Y3 + (X[:, 4] > 0)) % 3]
    return df


def column_pipeline(est):
    columns = ColumnTransformer(
        [
            ("numbers", StandardScaler(), ["height", "weight", "age"]),
            ("categories", OneHotEncoder(), ["colour"]),
        ]
    )
    return make_pipeline(columns, est)


def test_column_transformer_on_a_dataframe_converts():
    df = frame()
    y = np.array(["no", "yes"])[(X[:, 0] + (df["colour"] == "red") > 0.5).astype(int)]
    pipe = fit(
        column_pipeline(ToyNetClassifier((6,), max_iter=60, random_state=0)), df, y
    )
    onx = to_onnx(pipe, df, options={ToyNetClassifier: {"zipmap": False}})
    onnx.checker.check_model(onx)
    out = run_frame(onx, df)
    assert out["label"].tolist() == pipe.predict(df).tolist()
    np.testing.assert_allclose(
        out["probabilities"], pipe.predict_proba(df), rtol=0, atol=ATOL[np.float32]
    )


def test_column_transformer_regressor_with_two_outputs():
    df = frame()
    y = np.c_[X[:, 0] + (df["colour"] == "red"), X[:, 1]]
    reg = ToyNetRegressor(hidden_layer_sizes=(6,), max_iter=60, random_state=0)
    pipe = fit(column_pipeline(reg), df, y)
    out = run_frame(to_onnx(pipe, df), df)["variable"]
    assert out.shape == (len(df), 2)
    np.testing.assert_allclose(out, pipe.predict(df), rtol=1e-5, atol=1e-5)


def test_to_onnx_shortcut_casts_to_the_requested_dtype():
    reg = fit(
        ToyNetRegressor(hidden_layer_sizes=(5,), max_iter=40, random_state=0),
        X,
        X[:, 0],
    )
    for dtype in (np.float32, np.float64):
        onx = to_onnx(reg, X, dtype=dtype)
        out = run(onx, X, dtype)["variable"]
        assert out.dtype == dtype
        np.testing.assert_allclose(out.ravel(), reg.predict(X), rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("target_opset", [11, 13, 17, 21])
def test_older_target_opsets_convert_and_run(target_opset):
    clf = ToyNetClassifier((5, 4), batch_norm=True, max_iter=40, random_state=0)
    clf = fit(clf, X, TARGETS["multiclass"])
    rows = np.r_[X, np.full((1, 5), 1e30)]
    onx = skl2onnx.to_onnx(clf, X[:1].astype(np.float32), target_opset=target_opset)
    onnx.checker.check_model(onx)
    assert max(o.version for o in onx.opset_import if o.domain == "") <= target_opset
    out = run(onx, rows)
    assert out["output_label"].tolist() == clf.predict(rows).tolist()


# -- every estimator kind behind every common first step ----------------------------
# Short fits: the graphs, not the models' quality, are under test.
BRIEF = {"hidden_layer_sizes": (6,), "max_iter": 30, "random_state": 0}
KINDS = {
    "binary": (ToyNetClassifier, {}, TARGETS["binary"]),
    "multiclass": (ToyNetClassifier, {}, TARGETS["multiclass"]),
    "multilabel": (ToyNetClassifier, {}, TARGETS["multilabel"]),
    "single class": (ToyNetClassifier, {}, np.full(len(X), 2)),
    "1 output": (ToyNetRegressor, {}, Y2[:, 0]),
    "3 outputs": (ToyNetRegressor, {}, np.c_[Y2, X[:, 3]]),
    "poisson": (ToyNetRegressor, {"loss": "poisson"}, np.round(np.exp(Y2[:, 0] / 2))),
}


def with_gaps(A):
    """``A`` with a few missing values, for the imputer to fill."""
    A = np.array(A, dtype=float)
    A[::7, 1] = np.nan
    A[3::11, 4] = np.nan
    return A


# name -> (pipeline around an estimator, the input it is fitted on). A lone
# scaler's output is named "variable", the name a regressor's output takes in
# the end: skl2onnx swaps the two names after conversion, which once left the
# regressor's saturation branch reading its own output (a cyclic graph).
FIRST_STEPS = {
    "scaler": (lambda est: make_pipeline(StandardScaler(), est), lambda: 10 * X + 3),
    "columns": (lambda est: column_pipeline(est), lambda: frame()),
    "imputer, scaler": (
        lambda est: make_pipeline(SimpleImputer(), StandardScaler(), est),
        lambda: with_gaps(10 * X + 3),
    ),
}


def first_row(data):
    """skl2onnx's sample input as a user writes it: float32 for an array."""
    if isinstance(data, pd.DataFrame):
        return data[:1]  # float64 columns: the model then computes in double
    return data[:1].astype(np.float32)


CONVERTERS = {
    "skl2onnx.to_onnx": lambda pipe, data: skl2onnx.to_onnx(pipe, first_row(data)),
    "sklearn_toynet.onnx.to_onnx": lambda pipe, data: to_onnx(pipe, data),
}


@functools.cache
def fitted(kind, step):
    cls, params, y = KINDS[kind]
    make, data = FIRST_STEPS[step]
    data = data()
    return fit(make(cls(**BRIEF, **params)), data, y), data


def predictions(onx, data):
    """The model's outputs on ``data`` (an array or a DataFrame), by name."""
    return run_frame(onx, data) if isinstance(data, pd.DataFrame) else run(onx, data)


@pytest.mark.parametrize("convert_with", CONVERTERS)
@pytest.mark.parametrize("step", FIRST_STEPS)
@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_converts_behind_every_first_step(kind, step, convert_with):
    pipe, data = fitted(kind, step)
    onx = CONVERTERS[convert_with](pipe, data)
    onnx.checker.check_model(onx)
    out = predictions(onx, data)  # ONNX Runtime refuses a cyclic graph here
    if isinstance(pipe[-1], ToyNetRegressor):
        assert list(out) == ["variable"]  # the name MLPRegressor's output has
        expected = pipe.predict(data).reshape(len(data), -1)
        assert out["variable"].shape == expected.shape
        np.testing.assert_allclose(out["variable"], expected, rtol=1e-5, atol=1e-5)
        return
    assert list(out) == ["output_label", "output_probability"]
    assert out["output_label"].tolist() == pipe.predict(data).tolist()
    proba = pipe.predict_proba(data)
    keys = range(proba.shape[1]) if kind == "multilabel" else pipe.classes_
    rows = [[row[k] for k in keys] for row in out["output_probability"]]
    np.testing.assert_allclose(rows, proba, rtol=0, atol=ATOL[np.float32])


# -- what cannot be converted ---------------------------------------------------------
def test_an_unfitted_model_raises_not_fitted():
    with pytest.raises(NotFittedError):
        skl2onnx.to_onnx(ToyNetClassifier(), X[:1].astype(np.float32))


def test_a_target_opset_below_11_is_refused():
    clf = fit(ToyNetClassifier((4,), max_iter=20), X, TARGETS["binary"])
    with pytest.raises(ValueError, match="needs target_opset >= 11; got 10"):
        skl2onnx.to_onnx(clf, X[:1].astype(np.float32), target_opset=10)


def fitted_classifier(**params):
    clf = ToyNetClassifier((4, 3), max_iter=20, random_state=0, **params)
    return fit(clf, X, TARGETS["binary"])


def test_an_unknown_activation_is_named():
    clf = fitted_classifier()
    clf.activation = "swish"
    with pytest.raises(ValueError, match="hidden activation 'swish'"):
        convert(clf, X)


def test_a_wrong_number_of_layer_activations_is_named():
    clf = fitted_classifier()
    clf.activation = ("relu", "tanh", "relu")
    with pytest.raises(ValueError, match="3 names for 2 hidden layers"):
        convert(clf, X)


def test_class_labels_output_needs_zipmap_off():
    with pytest.raises(ValueError, match="'output_class_labels'.*'zipmap'"):
        convert(fitted_classifier(), X, output_class_labels=True)


def test_several_inputs_are_refused_naming_the_fix():
    clf = fitted_classifier()
    df = pd.DataFrame(X, columns=list("abcde"))
    with pytest.raises(ValueError, match="one input tensor.*ColumnTransformer"):
        skl2onnx.to_onnx(clf, df.astype(np.float32)[:1])


@pytest.mark.slow
def test_only_the_onnx_module_imports_skl2onnx():
    code = (
        "import sys, sklearn_toynet, sklearn_toynet.__main__;"
        "from sklearn_toynet import _persistence, blog;"
        "assert 'skl2onnx' not in sys.modules and 'onnx' not in sys.modules;"
        "from sklearn_toynet import _onnx_graph, _onnx_labels, _onnx_tabular;"
        "assert 'skl2onnx' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
