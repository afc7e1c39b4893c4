"""ToyNetClassifier as a scikit-learn user meets it: pipelines, searches, targets."""

import numpy as np
import pytest
from sklearn.datasets import (
    load_iris,
    make_classification,
    make_multilabel_classification,
)
from sklearn.model_selection import GridSearchCV, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sklearn_toynet import ToyNetClassifier, ToyNetRegressor


@pytest.fixture(scope="module")
def iris_strings():
    X, y = load_iris(return_X_y=True)
    names = np.array(["setosa", "versicolor", "virginica"])
    return X, names[y]


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_grid_search_over_hidden_sizes_on_iris_with_string_labels(iris_strings):
    X, y = iris_strings
    search = GridSearchCV(
        make_pipeline(StandardScaler(), ToyNetClassifier(random_state=0, max_iter=300)),
        {"toynetclassifier__hidden_layer_sizes": [(4,), (16,), (8, 8)]},
        cv=3,
    )
    search.fit(X, y)
    assert search.best_score_ >= 0.9
    assert set(search.predict(X)) <= set(y)
    assert search.predict(X).dtype == y.dtype


def test_cross_val_score_runs_in_a_pipeline(iris_strings):
    X, y = iris_strings
    pipe = make_pipeline(
        StandardScaler(), ToyNetClassifier(solver="lbfgs", random_state=0)
    )
    assert cross_val_score(pipe, X, y, cv=3).mean() >= 0.9


def test_binary_target_has_one_sigmoid_output():
    X, y = make_classification(n_samples=60, random_state=0)
    clf = ToyNetClassifier(hidden_layer_sizes=(5,), solver="lbfgs", random_state=0)
    clf.fit(X, y)
    assert clf.n_outputs_ == 1
    assert clf.out_activation_ == "logistic"
    proba = clf.predict_proba(X)
    assert proba.shape == (60, 2)
    np.testing.assert_allclose(proba.sum(axis=1), 1)


def test_multiclass_probabilities_sum_to_one(iris_strings):
    X, y = iris_strings
    clf = ToyNetClassifier(hidden_layer_sizes=(8,), solver="lbfgs", random_state=0)
    proba = clf.fit(X, y).predict_proba(X)
    assert clf.out_activation_ == "softmax"
    assert proba.shape == (150, 3)
    np.testing.assert_allclose(proba.sum(axis=1), 1, rtol=1e-12)
    np.testing.assert_allclose(np.exp(clf.predict_log_proba(X)), proba)


def test_multilabel_target_predicts_an_indicator_matrix():
    X, Y = make_multilabel_classification(n_samples=80, n_classes=4, random_state=0)
    clf = ToyNetClassifier(hidden_layer_sizes=(16,), solver="lbfgs", random_state=0)
    pred = clf.fit(X, Y).predict(X)
    assert pred.shape == Y.shape
    assert set(np.unique(pred)) <= {0, 1}
    assert (pred == Y).mean() > 0.8


def test_float32_input_trains_and_predicts_in_float32():
    X, y = make_classification(n_samples=50, random_state=0)
    clf = ToyNetClassifier(
        hidden_layer_sizes=(4,), max_iter=5, tol=None, random_state=0
    )
    clf.fit(X.astype(np.float32), y)
    assert all(W.dtype == np.float32 for W in clf.coefs_ + clf.intercepts_)
    assert clf.predict_proba(X.astype(np.float32)).dtype == np.float32


def test_pandas_input_records_feature_names():
    pd = pytest.importorskip("pandas")
    X, y = make_classification(
        n_samples=40, n_features=3, n_redundant=0, random_state=0
    )
    frame = pd.DataFrame(X, columns=["a", "b", "c"])
    clf = ToyNetClassifier(hidden_layer_sizes=(3,), solver="lbfgs", random_state=0)
    clf.fit(frame, y)
    assert list(clf.feature_names_in_) == ["a", "b", "c"]
    with pytest.raises(ValueError, match="feature names"):
        clf.predict(frame.rename(columns={"a": "z"}))


def test_same_random_state_gives_identical_weights():
    X, y = make_classification(n_samples=100, random_state=0)
    first = ToyNetClassifier(
        hidden_layer_sizes=(8,), max_iter=5, tol=None, random_state=3
    )
    second = ToyNetClassifier(
        hidden_layer_sizes=(8,), max_iter=5, tol=None, random_state=3
    )
    for W1, W2 in zip(first.fit(X, y).coefs_, second.fit(X, y).coefs_):
        np.testing.assert_array_equal(W1, W2)


def test_regressor_fits_multi_output_targets():
    rng = np.random.RandomState(0)
    X = rng.uniform(-1, 1, (200, 2))
    Y = np.column_stack([X[:, 0] ** 2, np.sin(3 * X[:, 1])])
    reg = ToyNetRegressor(
        hidden_layer_sizes=(32,), solver="lbfgs", max_iter=2000, random_state=0
    )
    assert reg.fit(X, Y).score(X, Y) > 0.95
    assert reg.predict(X).shape == (200, 2)


def test_first_partial_fit_refuses_labels_outside_classes():
    X, _ = make_classification(n_samples=4, random_state=0)
    clf = ToyNetClassifier()
    with pytest.raises(
        ValueError, match=r"classes not in `self.classes_`.*'y' has \[0 1 2 5\]"
    ):
        clf.partial_fit(X, [0, 1, 2, 5], classes=[0, 1, 2])
    assert not hasattr(clf, "coefs_")


def test_one_hot_targets_are_built_in_the_data_dtype(iris_strings):
    X, y = iris_strings
    clf = ToyNetClassifier(max_iter=1, tol=None).fit(X.astype(np.float32), y)
    Y = clf._target_coding.encode(y, np.float32)
    assert Y.dtype == np.float32 and Y.shape == (150, 3)
    np.testing.assert_array_equal(clf.classes_[Y.argmax(axis=1)], y)
    np.testing.assert_array_equal(Y.sum(axis=1), 1)
