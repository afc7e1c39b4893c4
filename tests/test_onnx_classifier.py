"""A converted ToyNetClassifier gives ToyNet's labels and probabilities.

Binary, multiclass and multilabel targets; integer, string, bool and float
labels (the label output keeps their type); skl2onnx's classifier options
(``zipmap`` True, False and "columns", ``nocl``, ``output_class_labels``); the
blog's squared-error loss, bias-free layers and dropout.
"""

import numpy as np
import pytest

from sklearn_toynet import ToyNetClassifier

from _onnx_helpers import ATOL, TARGETS, Y3, X, convert, fit, run

NAMES = np.array(["setosa", "versicolor", "virginica"])
LABELS = {
    "int": (Y3 % 2 + 3, np.int64),
    "str": (NAMES[Y3 % 2], object),
    "bool": (Y3 % 2 == 1, np.bool_),
    "float": ((Y3 % 2).astype(float), np.float64),
    "multiclass int": (Y3 - 1, np.int64),
    "multiclass str": (NAMES[Y3], object),
}


def classifier(y, **params):
    params = {"hidden_layer_sizes": (7, 4), "max_iter": 60, "random_state": 0, **params}
    return fit(ToyNetClassifier(**params), X, y)


def assert_matches(clf, out, n_classes):
    proba = out["probabilities"]
    assert proba.shape == (len(X), n_classes)
    assert proba.dtype == np.float32
    np.testing.assert_allclose(
        proba, clf.predict_proba(X), rtol=0, atol=ATOL[np.float32]
    )
    expected = clf.predict(X)
    assert out["label"].shape == expected.shape
    assert out["label"].tolist() == expected.tolist()


@pytest.mark.parametrize("kind", LABELS)
def test_labels_keep_the_training_labels_type(kind):
    y, dtype = LABELS[kind]
    clf = classifier(y)
    out = run(convert(clf, X, zipmap=False), X)
    assert out["label"].dtype == dtype
    assert_matches(clf, out, len(clf.classes_))


@pytest.mark.parametrize("target", TARGETS)
def test_each_target_kind_matches_predict_and_predict_proba(target):
    clf = classifier(TARGETS[target])
    out = run(convert(clf, X, zipmap=False), X)
    assert_matches(clf, out, clf.predict_proba(X).shape[1])


@pytest.mark.parametrize(
    "params",
    [
        {"loss": "squared_error"},
        {"fit_intercept": False},
        {"dropout": 0.3, "solver": "adam"},
        {"loss": "squared_error", "fit_intercept": False, "activation": "logistic"},
    ],
    ids=["squared_error", "no_intercept", "dropout", "blog"],
)
@pytest.mark.parametrize("target", TARGETS)
def test_loss_intercept_and_dropout_settings_match(params, target):
    clf = classifier(TARGETS[target], **params)
    out = run(convert(clf, X, zipmap=False), X)
    assert_matches(clf, out, clf.predict_proba(X).shape[1])


@pytest.mark.parametrize("kind", ["int", "str", "bool", "float", "multiclass str"])
def test_zipmap_gives_one_dict_per_row_keyed_by_class(kind):
    y, _ = LABELS[kind]
    clf = classifier(y)
    out = run(convert(clf, X), X)
    assert set(out) == {"output_label", "output_probability"}
    assert out["output_label"].tolist() == clf.predict(X).tolist()
    proba = clf.predict_proba(X)
    assert len(out["output_probability"]) == len(X)
    for row, expected in zip(out["output_probability"], proba):
        # Booleans are ZipMap keys 0 and 1, which Python's False and True index;
        # whole-number floats are int64 keys, which Python's equal floats index.
        got = [row[c] for c in clf.classes_.tolist()]
        np.testing.assert_allclose(got, expected, rtol=0, atol=ATOL[np.float32])


@pytest.mark.parametrize("kind", ["int", "str", "multiclass str"])
def test_zipmap_columns_give_one_output_per_class(kind):
    y, _ = LABELS[kind]
    clf = classifier(y)
    out = run(convert(clf, X, zipmap="columns"), X)
    prefix = "s" if kind.endswith("str") else "i"
    columns = [f"{prefix}{c}" for c in clf.classes_]
    assert list(out) == ["output_label", *columns]
    assert out["output_label"].tolist() == clf.predict(X).tolist()
    proba = np.column_stack([out[c] for c in columns])
    np.testing.assert_allclose(
        proba, clf.predict_proba(X), rtol=0, atol=ATOL[np.float32]
    )


def test_zipmap_on_multilabel_targets_keys_the_labels_by_index():
    clf = classifier(TARGETS["multilabel"])
    out = run(convert(clf, X), X)
    np.testing.assert_array_equal(out["output_label"], clf.predict(X))
    proba = np.array([[row[j] for j in range(3)] for row in out["output_probability"]])
    np.testing.assert_allclose(
        proba, clf.predict_proba(X), rtol=0, atol=ATOL[np.float32]
    )


@pytest.mark.parametrize("kind", ["str", "multiclass str", "bool"])
def test_nocl_gives_class_indices_and_class_labels_the_classes(kind):
    y, _ = LABELS[kind]
    clf = classifier(y)
    onx = convert(clf, X, zipmap=False, nocl=True, output_class_labels=True)
    out = run(onx, X)
    index = np.searchsorted(clf.classes_, clf.predict(X))
    np.testing.assert_array_equal(out["label"], index)
    np.testing.assert_array_equal(out["class_labels"], np.arange(len(clf.classes_)))
    out = run(convert(clf, X, zipmap=False, output_class_labels=True), X)
    assert out["class_labels"].tolist() == clf.classes_.tolist()


@pytest.mark.parametrize("target", TARGETS)
def test_double_input_computes_in_double(target):
    clf = classifier(TARGETS[target])
    out = run(convert(clf, X, np.float64, zipmap=False), X, np.float64)
    assert out["probabilities"].dtype == np.float64
    np.testing.assert_allclose(
        out["probabilities"], clf.predict_proba(X), rtol=0, atol=ATOL[np.float64]
    )
    assert out["label"].tolist() == clf.predict(X).tolist()


def test_double_input_with_zipmap_gives_float_maps():
    # ONNX's ZipMap holds float values only.
    clf = classifier(TARGETS["multiclass"])
    out = run(convert(clf, X, np.float64), X, np.float64)
    got = np.array([[row[c] for c in range(3)] for row in out["output_probability"]])
    np.testing.assert_allclose(got, clf.predict_proba(X), rtol=0, atol=1e-6)


def test_float32_model_matches_in_float32():
    clf = fit(
        ToyNetClassifier((7,), max_iter=60, random_state=0),
        X.astype(np.float32),
        TARGETS["multiclass"],
    )
    out = run(convert(clf, X, zipmap=False), X)
    np.testing.assert_allclose(
        out["probabilities"],
        clf.predict_proba(X.astype(np.float32)),
        rtol=0,
        atol=ATOL[np.float32],
    )


def test_a_network_without_hidden_layers_converts():
    clf = classifier(TARGETS["multiclass"], hidden_layer_sizes=())
    out = run(convert(clf, X, zipmap=False), X)
    assert_matches(clf, out, 3)


@pytest.mark.parametrize("kind", ["int", "str", "bool"])
def test_a_single_class_is_certain(kind):
    y, dtype = LABELS[kind]
    clf = classifier(np.full(len(X), y[0]))
    out = run(convert(clf, X, zipmap=False), X)
    assert out["label"].dtype == dtype
    assert_matches(clf, out, 1)
    rows = run(convert(clf, X), X)["output_probability"]
    assert rows[0] == {clf.classes_[0]: 1.0}
