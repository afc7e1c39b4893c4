"""The tabular pair's input: DataFrames of every column kind, arrays, gaps, errors.

The encoder itself is tested in ``test_table_encoder.py``; these tests check
what reaches it through the estimators: which columns become categories, what
prediction makes of unseen categories and gaps, dtypes, feature names, and the
errors of bad tables (a failed call changing nothing).
"""

import warnings

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

from sklearn_toynet import ToyNetTabularClassifier, ToyNetTabularRegressor
from sklearn_toynet._table_encoder import AUTO_BINS_MIN_ROWS

from _state_helpers import assert_same, snapshot
from _tabular_helpers import (
    CATEGORICAL,
    NUMERIC,
    SMALL,
    class_targets,
    estimator_and_targets,
    outputs,
    quiet,
    table,
)

KINDS = ["classifier", "regressor"]


def sources(est, kind):
    """The input columns' names behind the encoder's output columns of ``kind``."""
    names = est.feature_names_in_
    return {names[col.source] for col in est.encoder_.plan() if col.kind in kind}


@pytest.mark.parametrize("kind", KINDS)
def test_a_table_of_every_column_kind_with_gaps_trains_and_predicts(kind):
    X = table()
    est, y = estimator_and_targets(kind, X)
    quiet(est.fit, X, y)
    assert sources(est, ("numeric",)) == set(NUMERIC)
    assert sources(est, ("one_hot", "binary")) == set(CATEGORICAL)
    P = outputs(est, X)
    assert P.shape[0] == len(X) and np.all(np.isfinite(P))
    assert est.n_features_in_ == X.shape[1]
    np.testing.assert_array_equal(est.feature_names_in_, X.columns)


@pytest.mark.parametrize(
    "categorical_features",
    [
        pytest.param([1, 2, 3, 4], id="indices"),
        pytest.param(CATEGORICAL, id="names"),
        pytest.param([c in CATEGORICAL for c in table().columns], id="mask"),
    ],
)
def test_every_form_of_categorical_features_names_the_same_columns(
    categorical_features,
):
    X = table()
    y = class_targets(X)
    by_dtype = quiet(ToyNetTabularClassifier(**SMALL).fit, X, y)
    named = ToyNetTabularClassifier(**SMALL, categorical_features=categorical_features)
    quiet(named.fit, X, y)
    assert named.encoder_.plan() == by_dtype.encoder_.plan()
    np.testing.assert_array_equal(named.predict_proba(X), by_dtype.predict_proba(X))


def test_a_subset_of_categorical_features_leaves_the_others_numbers():
    X = table(gaps=False).drop(columns=["city", "plan", "member"])
    X["colour"] = X["colour"].cat.codes  # categories, spelled as numbers
    y = class_targets(table(gaps=False))
    est = ToyNetTabularClassifier(**SMALL, categorical_features=["colour"])
    quiet(est.fit, X, y)
    assert sources(est, ("one_hot",)) == {"colour"}
    assert sources(est, ("numeric",)) == {"size", "count"}


def test_categorical_features_none_reads_every_column_as_a_number():
    X = table(gaps=False)[NUMERIC].assign(flag=lambda d: (d["size"] > 0) * 1.0)
    est = ToyNetTabularClassifier(**SMALL, categorical_features=None)
    quiet(est.fit, X, class_targets(table(gaps=False)))
    assert sources(est, ("numeric",)) == set(X.columns)


@pytest.mark.parametrize(
    "categorical_features, match",
    [
        ([9], "integer indices must be in"),
        (["nowhere"], "not a valid feature name"),
        ([True, False], "boolean mask must have shape"),
        ([1.5], "1-d array-like of bool, int or str"),
    ],
)
def test_bad_categorical_features_say_what_is_wrong(categorical_features, match):
    est = ToyNetTabularClassifier(**SMALL, categorical_features=categorical_features)
    with pytest.raises(ValueError, match=match):
        est.fit(table(), class_targets(table()))
    assert not hasattr(est, "coefs_") and not hasattr(est, "encoder_")


@pytest.mark.parametrize("kind", KINDS)
def test_unseen_categories_and_new_gaps_at_prediction_give_finite_answers(kind):
    X = table(gaps=False)
    est, y = estimator_and_targets(kind, X)
    quiet(est.fit, X, y)
    new = table(n=6, seed=1, gaps=False)
    new["colour"] = pd.Categorical(["violet"] * 6)
    new["city"] = ["Quito", None, np.nan, pd.NA, "Oslo", "Rome"]
    new["plan"] = pd.array([pd.NA, "gold", "pro", pd.NA, "basic", "x"], dtype="string")
    new["size"] = [np.nan, 1e9, -1e9, 0.0, np.nan, 0.5]  # gaps unseen in training
    new["count"] = pd.array([pd.NA, 1, 2, pd.NA, 3, 4], dtype="Int64")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        P = outputs(est, new)
    assert P.shape[0] == 6 and np.all(np.isfinite(P))


def test_a_numeric_array_trains_as_the_same_numbers_in_a_dataframe():
    X = table(gaps=False)[NUMERIC].astype(float)
    y = class_targets(table(gaps=False))
    from_frame = quiet(ToyNetTabularClassifier(**SMALL).fit, X, y)
    from_array = quiet(ToyNetTabularClassifier(**SMALL).fit, X.to_numpy(), y)
    assert not hasattr(from_array, "feature_names_in_")
    np.testing.assert_array_equal(
        from_array.predict_proba(X.to_numpy()), from_frame.predict_proba(X)
    )


@pytest.mark.parametrize("kind", KINDS)
def test_a_float32_array_trains_and_predicts_in_float32(kind):
    X = table(gaps=False)[NUMERIC].to_numpy(dtype=np.float32)
    est, y = estimator_and_targets(kind, table(gaps=False))
    quiet(est.fit, X, y)
    assert est.coefs_[0].dtype == np.float32
    assert outputs(est, X).dtype == np.float32
    assert est.predict(X[:3]).dtype == (
        np.int64 if kind == "classifier" else np.float32
    )


def test_predicting_without_names_after_a_fit_with_names_warns_as_scikit_learn():
    X = table(gaps=False)[NUMERIC].astype(float)
    est = quiet(ToyNetTabularClassifier(**SMALL).fit, X, class_targets(table()))
    with pytest.warns(UserWarning, match="X does not have valid feature names"):
        est.predict(X.to_numpy())
    y = class_targets(table())
    plain = quiet(ToyNetTabularClassifier(**SMALL).fit, X.to_numpy(), y)
    with pytest.warns(UserWarning, match="X has feature names"):
        plain.predict(X)


def test_columns_in_another_order_are_refused_by_name():
    X = table()
    est = quiet(ToyNetTabularClassifier(**SMALL).fit, X, class_targets(X))
    with pytest.raises(ValueError, match="same order"):
        est.predict(X[X.columns[::-1]])


@pytest.mark.parametrize("kind", KINDS)
def test_a_wrong_number_of_columns_is_refused(kind):
    X = table(gaps=False)[NUMERIC].to_numpy(dtype=float)
    est, y = estimator_and_targets(kind, table(gaps=False))
    quiet(est.fit, X, y)
    with pytest.raises(ValueError, match="features"):
        est.predict(X[:, :1])


# -- bad tables: a clear error, and a failed call changes nothing ------------------


def with_infinity(X):
    X = X.copy()
    X.loc[7, "size"] = np.inf
    return X


def with_a_word_among_numbers(X):
    X = X[NUMERIC].astype(object)
    X.loc[7, "size"] = "seven"
    return X


BAD_TABLES = [
    pytest.param(with_infinity, {}, ValueError, "contains infinity", id="inf"),
    pytest.param(
        with_a_word_among_numbers,
        {"categorical_features": None},
        ValueError,
        "holds strings but is numeric",
        id="string-in-numbers",
    ),
    pytest.param(
        lambda X: sp.csr_matrix(X[NUMERIC].to_numpy(dtype=float)),
        {},
        TypeError,
        "does not accept sparse input",
        id="sparse",
    ),
]


@pytest.mark.parametrize("make_bad, params, error, match", BAD_TABLES)
def test_a_bad_table_fails_the_fit_with_a_clear_error(make_bad, params, error, match):
    X = table()
    est = ToyNetTabularClassifier(**SMALL, **params)
    with pytest.raises(error, match=match):
        est.fit(make_bad(X), class_targets(X))
    assert not hasattr(est, "coefs_") and not hasattr(est, "encoder_")


@pytest.mark.parametrize("method", ["fit", "partial_fit", "predict"])
@pytest.mark.parametrize("make_bad, params, error, match", BAD_TABLES)
def test_a_failed_call_on_a_bad_table_changes_nothing(
    make_bad, params, error, match, method
):
    X = table(gaps=False)
    y = class_targets(X)
    est = ToyNetTabularClassifier(**SMALL, **params, warm_start=True)
    good = X[NUMERIC] if params.get("categorical_features", 1) is None else X
    quiet(est.fit, good, y)
    before = snapshot(est)
    with pytest.raises(error, match=match):
        if method == "predict":
            est.predict(make_bad(X))
        else:
            getattr(est, method)(make_bad(X), y)
    assert_same(before, vars(est))


def test_a_regressor_refuses_a_table_with_infinity_among_its_rows():
    X = table()
    est = ToyNetTabularRegressor(**SMALL)
    with pytest.raises(ValueError, match="'size' .* contains infinity"):
        est.fit(with_infinity(X), np.zeros(len(X)))


def test_numbers_get_bins_from_the_documented_rows_by_default():
    n = AUTO_BINS_MIN_ROWS
    rng = np.random.default_rng(30)
    X = pd.DataFrame({"x": rng.normal(size=n), "g": rng.choice(["a", "b"], n)})
    y = (X["x"] > 0.3) ^ (X["g"] == "a")
    params = dict(hidden_layer_sizes=(8,), max_iter=2, random_state=0)
    clf = ToyNetTabularClassifier(**params).fit(X, y)
    assert clf.numeric_bins == "auto"
    assert [e.size for e in clf.encoder_.bin_edges_] == [17]
    assert clf.n_features_in_ == 2 and clf.coefs_[0].shape[0] == 1 + 16 + 1
    small = ToyNetTabularClassifier(**params).fit(X[:-1], y[:-1])
    assert small.coefs_[0].shape[0] == 2
    off = ToyNetTabularClassifier(numeric_bins=None, **params).fit(X, y)
    assert off.coefs_[0].shape[0] == 2
    three = ToyNetTabularClassifier(numeric_bins=3, **params).fit(X[:50], y[:50])
    assert three.coefs_[0].shape[0] == 2 + 3


def polars_table(X):
    """``table``'s rows as a polars DataFrame, each column in polars' own kind."""
    pl = pytest.importorskip("polars", reason="polars input needs polars installed")
    column = {
        name: X[name].astype(object).where(X[name].notna(), None).tolist()
        for name in X.columns
    }
    return pl.DataFrame(
        {
            "size": pl.Series(column["size"], dtype=pl.Float64),
            "colour": pl.Series(column["colour"], dtype=pl.Categorical),
            "city": pl.Series(column["city"], dtype=pl.String),
            "member": pl.Series(column["member"], dtype=pl.Boolean),
            "plan": pl.Series(column["plan"], dtype=pl.Enum(["basic", "pro"])),
            "count": pl.Series(column["count"], dtype=pl.Int64),
        }
    )


@pytest.mark.parametrize("kind", KINDS)
def test_a_polars_table_trains_as_the_same_table_in_pandas(kind):
    X = table()
    frame = polars_table(X)
    est, y = estimator_and_targets(kind, X)
    from_polars = quiet(est.fit, frame, y)
    P = outputs(from_polars, frame)
    assert sources(from_polars, ("one_hot", "binary")) == set(CATEGORICAL)
    np.testing.assert_array_equal(from_polars.feature_names_in_, X.columns)
    # A polars Categorical lists its categories in order of appearance, pandas'
    # in sorted order: the same order in pandas makes the same network.
    order = from_polars.encoder_.categories_[0].tolist()
    X = X.assign(colour=X["colour"].cat.reorder_categories(order))
    from_pandas, _ = estimator_and_targets(kind, X)
    quiet(from_pandas.fit, X, y)
    np.testing.assert_allclose(P, outputs(from_pandas, X), rtol=0, atol=1e-12)
    # A category first met at prediction time is answered as in pandas.
    unseen = frame.with_columns(frame["city"].replace({"Oslo": "Rome"}))
    X_unseen = X.assign(city=X["city"].replace({"Oslo": "Rome"}))
    np.testing.assert_allclose(
        outputs(from_polars, unseen), outputs(from_pandas, X_unseen), atol=1e-12
    )
