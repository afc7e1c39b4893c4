"""TableEncoder: a table (DataFrame or array) to one float array.

Each column kind on small synthetic tables, the fitted numbers against direct
numpy evaluations, missing values and unseen categories at predict time, the
``categorical_features`` forms and their errors, dtypes, feature names and the
plan, scikit-learn's estimator checks, pipelines and persistence.
"""

import pickle

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from sklearn.compose import ColumnTransformer
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import QuantileTransformer
from sklearn.utils.estimator_checks import parametrize_with_checks

from sklearn_toynet._table_encoder import (
    _FEW_ROWS,
    AUTO_BINS,
    AUTO_BINS_MIN_ROWS,
    N_QUANTILES,
    OutputColumn,
    TableEncoder,
)


def mixed_frame(n=40, seed=0):
    """Numbers with missing values, a category, strings with None, bools."""
    rng = np.random.default_rng(seed)
    num = rng.normal(loc=5.0, scale=2.0, size=n)
    num[::7] = np.nan
    text = rng.choice(np.array(["red", "green", "blue"], dtype=object), n)
    text[::5] = None
    return pd.DataFrame(
        {
            "num": num,
            "count": rng.integers(0, 20, n),
            "kind": pd.Categorical(rng.choice(["a", "b", "c", "d"], n)),
            "color": pd.Series(text, dtype=object),
            "flag": rng.random(n) < 0.5,
        }
    )


def direct_encoding(x, center, scale, c):
    """The numeric encoding written straight from its definition."""
    z = (x - center) / scale
    return z if c is None else z / np.sqrt(1 + (z / c) ** 2)


def block(encoder, Xt, source):
    """The output columns that come from input column ``source``."""
    kept = [k for k, col in enumerate(encoder.plan()) if col.source == source]
    return Xt[:, kept]


# -- numeric columns -----------------------------------------------------------------


def test_numeric_center_and_scale_are_the_median_and_interquartile_range():
    rng = np.random.default_rng(1)
    X = rng.lognormal(size=(101, 3))
    enc = TableEncoder().fit(X)
    q25, q50, q75 = np.quantile(X, [0.25, 0.5, 0.75], axis=0)
    np.testing.assert_allclose(enc.center_, q50, rtol=1e-14)
    np.testing.assert_allclose(enc.scale_, q75 - q25, rtol=1e-12)


@pytest.mark.parametrize("clip", [3.0, 0.5, None])
def test_numeric_encoding_is_the_smooth_clip_of_the_robust_scaled_value(clip):
    rng = np.random.default_rng(2)
    X = rng.standard_t(df=2, size=(200, 2)) * 10
    enc = TableEncoder(numeric_clip=clip).fit(X)
    X_new = np.vstack([X, [[1e6, -1e6], [0.0, 3.5]]])
    expected = direct_encoding(X_new, enc.center_, enc.scale_, clip)
    np.testing.assert_allclose(enc.transform(X_new), expected, rtol=1e-12, atol=1e-14)


def test_smooth_clip_stays_within_c_and_finite_for_huge_values():
    X = np.array([[0.0], [1.0], [2.0], [3.0]])
    enc = TableEncoder(numeric_clip=2.5).fit(X)
    Xt = enc.transform(np.array([[1e308], [-1e308], [1e20]]))
    assert np.all(np.isfinite(Xt))
    assert np.all(np.abs(Xt) <= 2.5)
    np.testing.assert_allclose(Xt[:, 0], [2.5, -2.5, 2.5])


def test_unclipped_huge_values_stay_finite_in_float32():
    enc = TableEncoder(numeric_clip=None).fit(np.array([[0.0], [1.0], [2.0]]))
    Xt = enc.transform(np.array([[1e300], [-1e300]]), dtype=np.float32)
    assert np.all(np.isfinite(Xt))
    assert Xt[0, 0] == np.finfo(np.float32).max


def test_zero_interquartile_range_falls_back_to_half_the_range():
    x = np.zeros(20)
    x[-1] = 8.0  # quartiles both 0; the range is 8
    enc = TableEncoder().fit(x[:, None])
    assert enc.center_[0] == 0.0
    assert enc.scale_[0] == 4.0


@pytest.mark.parametrize("value", [7.25, 1e6])
def test_constant_and_rounding_noise_columns_scale_by_one_and_encode_as_zero(value):
    noisy = np.full(10, value)
    noisy[3] = np.nextafter(value, np.inf)  # a spread of one rounding step
    X = np.column_stack([np.full(10, value), noisy])
    enc = TableEncoder().fit(X)
    np.testing.assert_array_equal(enc.scale_, [1.0, 1.0])
    np.testing.assert_array_equal(enc.transform(np.full((1, 2), value)), [[0, 0]])


def test_fit_uses_only_the_observed_values_of_a_column_with_missing_values():
    x = np.array([1.0, 2.0, np.nan, 4.0, 100.0, np.nan])
    enc = TableEncoder().fit(x[:, None])
    observed = x[~np.isnan(x)]
    q25, q50, q75 = np.quantile(observed, [0.25, 0.5, 0.75])
    assert enc.center_[0] == pytest.approx(q50)
    assert enc.scale_[0] == pytest.approx(q75 - q25)


# -- missing numeric values ---------------------------------------------------------


@pytest.mark.parametrize("missing", [np.nan, None, pd.NA])
def test_missing_numbers_are_imputed_at_the_center_with_an_indicator(missing):
    X = pd.DataFrame({"x": pd.array([1.0, missing, 3.0, 4.0], dtype="Float64")})
    enc = TableEncoder().fit(X)
    Xt = enc.transform(X)
    assert enc.missing_indicators_.tolist() == [True]
    assert [col.kind for col in enc.plan()] == ["numeric", "missing_indicator"]
    np.testing.assert_array_equal(Xt[:, 1], [0, 1, 0, 0])
    assert Xt[1, 0] == 0.0  # the center, scaled


def test_missing_indicators_false_imputes_without_indicator_columns():
    X = np.array([[1.0], [np.nan], [3.0]])
    enc = TableEncoder(missing_indicators=False).fit(X)
    Xt = enc.transform(X)
    assert Xt.shape == (3, 1)
    assert Xt[1, 0] == 0.0


def test_missing_at_predict_in_a_column_complete_at_fit_is_imputed_only():
    X = np.array([[1.0, 1.0], [2.0, np.nan], [3.0, 3.0]])
    enc = TableEncoder().fit(X)
    assert enc.missing_indicators_.tolist() == [False, True]
    Xt = enc.transform(np.array([[np.nan, 2.0]]))
    assert Xt.shape == (1, 3)
    np.testing.assert_array_equal(Xt, [[0.0, 0.0, 0.0]])


def test_a_column_missing_everywhere_at_fit_has_center_0_scale_1_and_indicator():
    X = np.array([[1.0, np.nan], [2.0, np.nan]])
    enc = TableEncoder().fit(X)
    assert (enc.center_[1], enc.scale_[1]) == (0.0, 1.0)
    Xt = enc.transform(np.array([[1.5, 10.0], [1.5, np.nan]]))
    expected = [[direct_encoding(10.0, 0.0, 1.0, 3.0), 0.0], [0.0, 1.0]]
    np.testing.assert_allclose(Xt[:, 1:], expected, rtol=1e-14)


@pytest.mark.parametrize("at", ["fit", "transform"])
def test_infinity_is_an_error_naming_the_column(at):
    good = pd.DataFrame({"a": [1.0, 2.0], "b": [3.0, 4.0]})
    bad = pd.DataFrame({"a": [1.0, 2.0], "b": [3.0, -np.inf]})
    enc = TableEncoder()
    if at == "transform":
        enc.fit(good)
    with pytest.raises(ValueError, match=r"column 'b' \(index 1\) contains infinity"):
        getattr(enc, at)(bad)


def test_strings_in_a_numeric_column_are_an_error_naming_the_column():
    X = pd.DataFrame({"a": [1.0, 2.0], "s": ["x", "y"]})
    with pytest.raises(ValueError, match=r"column 's' \(index 1\) holds strings"):
        TableEncoder(categorical_features=None).fit(X)
    Xo = np.array([[1.0, "x"], [2.0, "y"]], dtype=object)
    with pytest.raises(ValueError, match="column 1 holds strings"):
        TableEncoder().fit(Xo)


# -- categorical columns --------------------------------------------------------------


def test_each_category_seen_at_fit_gets_a_one_hot_column():
    X = pd.DataFrame({"c": pd.Series(["b", "a", "c", "a"], dtype="category")})
    enc = TableEncoder().fit(X)
    assert enc.categories_[0].tolist() == ["a", "b", "c"]
    np.testing.assert_array_equal(
        enc.transform(X), [[0, 1, 0], [1, 0, 0], [0, 0, 1], [1, 0, 0]]
    )


def test_unseen_categories_encode_as_all_zeros():
    X = pd.DataFrame({"c": ["a", "b", "c"]})
    enc = TableEncoder().fit(X)
    Xt = enc.transform(pd.DataFrame({"c": ["zzz", "b"]}))
    np.testing.assert_array_equal(Xt, [[0, 0, 0], [0, 1, 0]])


def test_a_category_dtype_without_training_rows_gets_no_column():
    dtype = pd.CategoricalDtype(["a", "b", "c", "unused"])
    X = pd.DataFrame({"c": pd.Series(["a", "b", "c"], dtype=dtype)})
    enc = TableEncoder().fit(X)
    assert enc.categories_[0].tolist() == ["a", "b", "c"]
    Xt = enc.transform(pd.DataFrame({"c": pd.Series(["unused"], dtype=dtype)}))
    np.testing.assert_array_equal(Xt, [[0, 0, 0]])


@pytest.mark.parametrize("missing", [None, np.nan, pd.NA])
def test_missing_seen_at_fit_is_a_category_of_its_own(missing):
    X = pd.DataFrame({"c": pd.Series(["a", missing, "b", "a"], dtype=object)})
    enc = TableEncoder().fit(X)
    assert [col.kind for col in enc.plan()] == ["one_hot", "one_hot", "missing"]
    assert enc.get_feature_names_out().tolist() == ["c_a", "c_b", "c_missing"]
    Xt = enc.transform(pd.DataFrame({"c": pd.Series([missing, "b"], dtype=object)}))
    np.testing.assert_array_equal(Xt, [[0, 0, 1], [0, 1, 0]])


def test_missing_not_seen_at_fit_encodes_as_unseen():
    X = pd.DataFrame({"c": ["a", "b", "c"]})
    enc = TableEncoder().fit(X)
    Xt = enc.transform(pd.DataFrame({"c": pd.Series([None], dtype=object)}))
    np.testing.assert_array_equal(Xt, [[0, 0, 0]])


def test_two_categories_without_missing_make_one_binary_column():
    X = pd.DataFrame({"c": ["no", "yes", "yes", "no"]})
    enc = TableEncoder().fit(X)
    assert enc.plan() == [OutputColumn("binary", 0, "yes")]
    assert enc.get_feature_names_out().tolist() == ["c_yes"]
    new = pd.DataFrame({"c": pd.Series(["yes", "no", "maybe", None], dtype=object)})
    np.testing.assert_array_equal(enc.transform(new), [[1.0], [0.0], [0.5], [0.5]])


def test_bool_columns_make_one_zero_one_column():
    X = pd.DataFrame({"flag": [True, False, True]})
    enc = TableEncoder().fit(X)
    assert enc.is_categorical_.tolist() == [True]
    np.testing.assert_array_equal(enc.transform(X), [[1.0], [0.0], [1.0]])


def test_max_categories_keeps_the_most_frequent_and_folds_the_rest():
    values = ["a"] * 5 + ["b"] * 4 + ["c"] * 3 + ["d"] * 2 + ["e"]
    X = pd.DataFrame({"c": values})
    enc = TableEncoder(max_categories=3).fit(X)
    assert [(col.kind, col.category) for col in enc.plan()] == [
        ("one_hot", "a"),
        ("one_hot", "b"),
        ("infrequent", None),
    ]
    assert enc.get_feature_names_out()[-1] == "c_infrequent"
    Xt = enc.transform(pd.DataFrame({"c": ["a", "d", "never seen", "b"]}))
    np.testing.assert_array_equal(Xt, [[1, 0, 0], [0, 0, 1], [0, 0, 1], [0, 1, 0]])


def test_a_frequent_missing_value_keeps_its_column_under_max_categories():
    X = pd.DataFrame(
        {"c": pd.Series([None] * 4 + ["a"] * 3 + ["b", "c"], dtype=object)}
    )
    enc = TableEncoder(max_categories=3).fit(X)
    kinds = [col.kind for col in enc.plan()]
    assert kinds == ["one_hot", "missing", "infrequent"]


def test_max_categories_none_keeps_every_category():
    X = pd.DataFrame({"c": [f"level{i}" for i in range(50)]})
    assert TableEncoder(max_categories=None).fit(X).n_features_out_ == 50
    assert TableEncoder().fit(X).n_features_out_ == 32


def test_object_column_with_mixed_types_and_missing_values():
    X = pd.DataFrame({"c": pd.Series(["a", 1.5, None, 2, "a", np.nan], dtype=object)})
    enc = TableEncoder().fit(X)
    assert len(enc.categories_[0]) == 3
    Xt = enc.transform(X)
    assert Xt.shape == (6, 4)
    np.testing.assert_array_equal(Xt.sum(axis=1), np.ones(6))
    np.testing.assert_array_equal(Xt[2], Xt[5])  # None and NaN: both missing


def test_category_dtype_and_strings_encode_alike():
    text = mixed_frame()["color"]
    as_object = pd.DataFrame({"c": text})
    as_category = pd.DataFrame({"c": text.astype("category")})
    as_string = pd.DataFrame({"c": text.astype("string")})
    expected = TableEncoder().fit_transform(as_object)
    for X in (as_category, as_string):
        np.testing.assert_array_equal(TableEncoder().fit_transform(X), expected)
    # and a model fitted on one form reads the others
    enc = TableEncoder().fit(as_category)
    np.testing.assert_array_equal(enc.transform(as_object), expected)


def test_rows_one_at_a_time_encode_as_the_whole_batch():
    X = mixed_frame(n=3 * _FEW_ROWS)
    enc = TableEncoder().fit(X.iloc[: 2 * _FEW_ROWS])
    new = X.iloc[2 * _FEW_ROWS :].copy()
    new.loc[new.index[0], "color"] = "never seen"
    batch = enc.transform(new)
    for i in range(len(new)):
        np.testing.assert_array_equal(enc.transform(new.iloc[[i]]), batch[[i]])


def test_nullable_pandas_dtypes():
    X = pd.DataFrame(
        {
            "i": pd.array([1, None, 3, 4], dtype="Int64"),
            "b": pd.array([True, False, None, True], dtype="boolean"),
            "s": pd.array(["x", pd.NA, "y", "x"], dtype="string"),
            "f": pd.array([0.5, 1.5, pd.NA, 2.5], dtype="Float64"),
        }
    )
    enc = TableEncoder().fit(X)
    assert enc.is_categorical_.tolist() == [False, True, True, False]
    Xt = enc.transform(X)
    assert not np.isnan(Xt).any()
    names = enc.get_feature_names_out().tolist()
    assert names == [
        "i", "f", "i_missing", "f_missing",
        "b_False", "b_True", "b_missing",
        "s_x", "s_y", "s_missing",
    ]  # fmt: skip
    np.testing.assert_array_equal(Xt[:, 2], [0, 1, 0, 0])
    np.testing.assert_array_equal(block(enc, Xt, 1)[2], [0, 0, 1])
    np.testing.assert_array_equal(block(enc, Xt, 2)[1], [0, 0, 1])


def test_pyarrow_backed_pandas_columns():
    pa = pytest.importorskip("pyarrow")
    X = pd.DataFrame(
        {
            "s": pd.Series(["a", "b", None, "a"], dtype=pd.ArrowDtype(pa.string())),
            "i": pd.Series([1, None, 3, 4], dtype=pd.ArrowDtype(pa.int64())),
            "b": pd.Series([True, False, False, True], dtype=pd.ArrowDtype(pa.bool_())),
        }
    )
    enc = TableEncoder().fit(X)
    assert enc.is_categorical_.tolist() == [True, False, True]
    names = ["i", "i_missing", "s_a", "s_b", "s_missing", "b_True"]
    assert enc.get_feature_names_out().tolist() == names
    Xt = enc.transform(X)
    np.testing.assert_array_equal(Xt[:, 1:], [
        [0, 1, 0, 0, 1], [1, 0, 1, 0, 0], [0, 0, 0, 1, 0], [0, 1, 0, 0, 1],
    ])  # fmt: skip


def test_a_column_with_only_missing_values_at_fit():
    X = pd.DataFrame({"c": pd.Series([None, None], dtype=object)})
    enc = TableEncoder(categorical_features=[0]).fit(X)
    assert enc.plan() == [OutputColumn("missing", 0, None)]
    Xt = enc.transform(pd.DataFrame({"c": pd.Series([None, "a"], dtype=object)}))
    np.testing.assert_array_equal(Xt, [[1.0], [0.0]])


# -- categorical_features ------------------------------------------------------------


@pytest.mark.parametrize(
    "spec",
    [[2, 3], ["kind", "color"], [False, False, True, True, False]],
    ids=["indices", "names", "mask"],
)
def test_categorical_features_given_as_indices_names_or_mask(spec):
    X = mixed_frame()
    enc = TableEncoder(categorical_features=spec).fit(X)
    assert enc.is_categorical_.tolist() == [False, False, True, True, False]
    # the bool column, now numeric, is one 0/1 column scaled like a number
    assert enc.plan()[2] == OutputColumn("numeric", 4, None)


def test_categorical_features_from_dtype_and_none():
    X = mixed_frame()
    enc = TableEncoder().fit(X)
    assert enc.is_categorical_.tolist() == [False, False, True, True, True]
    numbers = X[["num", "count", "flag"]]
    enc = TableEncoder(categorical_features=None).fit(numbers)
    assert not enc.is_categorical_.any()


def test_numeric_columns_marked_categorical_use_their_values():
    X = np.array([[1, 10.0], [2, 20.0], [1, 30.0], [3, 40.0]])
    enc = TableEncoder(categorical_features=[0]).fit(X)
    assert enc.categories_[0].tolist() == [1.0, 2.0, 3.0]
    Xt = enc.transform(np.array([[2, 25.0], [5, 25.0]]))
    np.testing.assert_array_equal(Xt[:, 1:], [[0, 1, 0], [0, 0, 0]])


@pytest.mark.parametrize(
    "spec, message",
    [
        ([5], r"must be in \[0, n_features - 1\]"),
        ([-1], r"must be in \[0, n_features - 1\]"),
        (["nope"], "'nope' which is not a valid feature name"),
        ([True, False], r"boolean mask must have shape \(n_features,\)"),
        ([1.5], "array-like of bool, int or str"),
        ([["a"]], "1-d array-like"),
    ],
)
def test_bad_categorical_features_are_clear_errors(spec, message):
    X = mixed_frame()
    enc = TableEncoder(categorical_features=spec)
    with pytest.raises(ValueError, match=message):
        enc.fit(X)
    assert not hasattr(enc, "n_features_in_")  # a failed fit changes nothing


def test_names_as_categorical_features_need_a_dataframe():
    with pytest.raises(ValueError, match="without feature names"):
        TableEncoder(categorical_features=["a"]).fit(np.ones((3, 2)))


def test_a_column_neither_numeric_nor_categorical_is_a_type_error():
    X = pd.DataFrame({"when": pd.date_range("2020-01-01", periods=3), "x": [1, 2, 3]})
    with pytest.raises(TypeError, match=r"column 'when' \(index 0\) has dtype"):
        TableEncoder().fit(X)


# -- input forms, dtypes and validation ----------------------------------------------


def test_numeric_array_input_is_all_numeric_by_default():
    rng = np.random.default_rng(3)
    X = rng.normal(size=(30, 4))
    enc = TableEncoder().fit(X)
    assert not enc.is_categorical_.any()
    assert not hasattr(enc, "feature_names_in_")
    np.testing.assert_allclose(
        enc.transform(X), direct_encoding(X, enc.center_, enc.scale_, 3.0), rtol=1e-12
    )
    assert enc.get_feature_names_out().tolist() == ["x0", "x1", "x2", "x3"]


def test_object_array_with_missing_numbers_and_strings():
    X = np.array([[1.0, "a"], [None, "b"], [pd.NA, "a"], [4, None]], dtype=object)
    enc = TableEncoder(categorical_features=[1]).fit(X)
    names = ["x0", "x0_missing", "x1_a", "x1_b", "x1_missing"]
    assert enc.get_feature_names_out().tolist() == names
    Xt = enc.transform(X)
    np.testing.assert_array_equal(Xt[:, 1], [0, 1, 1, 0])
    np.testing.assert_array_equal(Xt[:, 2:].argmax(axis=1), [0, 1, 0, 2])


def test_a_category_column_of_numbers_can_be_numeric():
    X = pd.DataFrame({"c": pd.Categorical([1.0, 2.0, None, 4.0])})
    enc = TableEncoder(categorical_features=None).fit(X)
    assert enc.center_[0] == 2.0
    np.testing.assert_array_equal(enc.transform(X)[:, 1], [0, 0, 1, 0])


def test_sparse_input_is_a_type_error():
    with pytest.raises(TypeError, match="does not accept sparse input"):
        TableEncoder().fit(sp.csr_array(np.eye(3)))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_transform_returns_the_requested_dtype_c_contiguous(dtype):
    enc = TableEncoder().fit(mixed_frame())
    Xt = enc.transform(mixed_frame(seed=1), dtype=dtype)
    assert Xt.dtype == dtype
    assert Xt.flags.c_contiguous
    assert not np.isnan(Xt).any()
    expected = enc.transform(mixed_frame(seed=1), dtype=np.float64)
    np.testing.assert_allclose(Xt, expected, rtol=1e-6 if dtype == np.float32 else 0)


def test_default_dtype_is_float32_only_for_float32_input():
    X = np.arange(12, dtype=np.float32).reshape(4, 3)
    enc = TableEncoder().fit(X)
    assert enc.transform(X).dtype == np.float32
    assert enc.transform(X.astype(np.float64)).dtype == np.float64
    assert enc.transform(pd.DataFrame(X)).dtype == np.float32
    frame = mixed_frame()
    assert TableEncoder().fit_transform(frame).dtype == np.float64


def test_a_non_float_dtype_is_refused():
    enc = TableEncoder().fit(np.ones((3, 2)))
    with pytest.raises(ValueError, match="must be a float dtype"):
        enc.transform(np.ones((3, 2)), dtype=np.int64)


def test_transform_checks_the_columns_against_fit():
    X = mixed_frame()
    enc = TableEncoder().fit(X)
    with pytest.raises(ValueError, match="feature names should match"):
        enc.transform(X[["count", "num", "kind", "color", "flag"]])
    without_names = pytest.warns(UserWarning, match="not have valid feature names")
    with without_names, pytest.raises(ValueError, match="X has 4 features"):
        enc.transform(X.iloc[:, :4].to_numpy())


@pytest.mark.parametrize("X", [pd.DataFrame({"a": []}), pd.DataFrame(index=[0, 1])])
def test_an_empty_table_is_scikit_learns_error(X):
    with pytest.raises(ValueError, match=r"Found array with 0 (sample|feature)\(s\)"):
        TableEncoder().fit(X)


def test_transform_before_fit_is_not_fitted_error():
    with pytest.raises(NotFittedError):
        TableEncoder().transform(mixed_frame())


def test_a_failed_fit_or_transform_changes_nothing():
    enc = TableEncoder().fit(mixed_frame())
    before = pickle.dumps(enc)
    bad = mixed_frame(seed=1)
    bad.loc[3, "num"] = np.inf
    for call in (enc.fit, enc.transform):
        with pytest.raises(ValueError, match="infinity"):
            call(bad)
        assert pickle.dumps(enc) == before


def test_refitting_gives_the_same_encoder():
    X, other = mixed_frame(), mixed_frame(n=25, seed=4)
    enc = TableEncoder().fit(X)
    first = (enc.transform(X), enc.get_feature_names_out())
    enc.fit(other).fit(X)
    np.testing.assert_array_equal(enc.transform(X), first[0])
    np.testing.assert_array_equal(enc.get_feature_names_out(), first[1])


def test_fit_transform_equals_fit_then_transform():
    X = mixed_frame()
    np.testing.assert_array_equal(
        TableEncoder().fit_transform(X), TableEncoder().fit(X).transform(X)
    )


def test_other_dataframe_libraries_are_read_through_narwhals():
    pa = pytest.importorskip("pyarrow")
    X = mixed_frame()
    table = pa.Table.from_pandas(X, preserve_index=False)
    enc = TableEncoder().fit(table)
    np.testing.assert_array_equal(enc.feature_names_in_, X.columns)
    np.testing.assert_array_equal(enc.transform(table), TableEncoder().fit_transform(X))


# -- numeric_scaling="quantile" -----------------------------------------------------


def quantile_encoder(**params):
    return TableEncoder(numeric_scaling="quantile", **params)


def reference_quantile_transformer(X):
    """scikit-learn's normal-score quantile map on the same levels."""
    qt = QuantileTransformer(output_distribution="normal", n_quantiles=N_QUANTILES)
    return qt.fit(X)


def at_column(k, values, n_columns):
    """Rows holding ``values`` in column ``k`` and 0 elsewhere."""
    X = np.zeros((len(values), n_columns))
    X[:, k] = values
    return X


def test_quantile_knots_are_quantile_transformers_scores_at_its_quantiles():
    rng = np.random.default_rng(10)
    X = np.column_stack([rng.lognormal(size=500), rng.standard_t(3, 500)])
    enc = quantile_encoder().fit(X)
    qt = reference_quantile_transformer(X)
    for k, (xs, ys) in enumerate(enc.knots_):
        assert xs.dtype == ys.dtype == np.float64
        np.testing.assert_allclose(xs, qt.quantiles_[:, k], rtol=1e-12)
        expected = qt.transform(at_column(k, xs, 2))[:, k]
        np.testing.assert_allclose(ys, expected, rtol=0, atol=1e-6)


def test_quantile_encoding_interpolates_the_knots_and_is_constant_beyond():
    rng = np.random.default_rng(11)
    x = rng.exponential(size=300)
    enc = quantile_encoder().fit(x[:, None])
    xs, ys = enc.knots_[0]
    new = np.concatenate([rng.uniform(-1, x.max() + 1, 200), [-1e6, 1e6], xs])
    Xt = enc.transform(new[:, None])[:, 0]
    np.testing.assert_allclose(Xt, np.interp(new, xs, ys), rtol=0, atol=1e-14)
    assert (Xt[new <= xs[0]] == ys[0]).all() and (Xt[new >= xs[-1]] == ys[-1]).all()
    # Between its knots QuantileTransformer interpolates the probability, not
    # the score: the two agree at the knots and stay between the same ones.
    qt = reference_quantile_transformer(x[:, None]).transform(new[:, None])[:, 0]
    segment = np.clip(np.searchsorted(xs, new, side="right") - 1, 0, xs.size - 2)
    assert (qt >= ys[segment] - 1e-6).all() and (qt <= ys[segment + 1] + 1e-6).all()


def test_columns_with_different_knot_counts_each_encode_by_their_own_knots():
    rng = np.random.default_rng(17)
    X = np.column_stack(
        [rng.normal(size=80), np.full(80, 3.0), np.repeat([0.0, 1.0], 40)]
    )
    enc = quantile_encoder().fit(X)
    assert [xs.size for xs, _ in enc.knots_] == [N_QUANTILES, 1, 3]
    new = rng.uniform(-4, 4, size=(50, 3))
    Xt = enc.transform(new)
    for k, (xs, ys) in enumerate(enc.knots_):
        np.testing.assert_allclose(Xt[:, k], np.interp(new[:, k], xs, ys), atol=1e-14)


def test_quantile_encoding_is_monotone_and_spreads_a_skewed_column():
    rng = np.random.default_rng(12)
    x = rng.lognormal(sigma=2.0, size=400)
    enc = quantile_encoder().fit(x[:, None])
    xs, ys = enc.knots_[0]
    assert (np.diff(xs) > 0).all() and (np.diff(ys) > 0).all()
    grid = np.sort(np.concatenate([x, rng.uniform(0, x.max() * 2, 1000)]))
    assert (np.diff(enc.transform(grid[:, None])[:, 0]) >= 0).all()
    # The training rows come out about standard normal, skew gone.
    Xt = enc.transform(x[:, None])[:, 0]
    assert abs(np.median(Xt)) < 0.05
    assert abs(np.mean(Xt**3)) < 0.5 < abs(np.mean(((x - x.mean()) / x.std()) ** 3))


def test_tied_values_encode_at_the_middle_of_their_levels():
    # 90% zeros: QuantileTransformer sends the zeros to its lowest score;
    # here they take the middle of the levels they are the quantile of.
    rng = np.random.default_rng(13)
    x = np.where(rng.random(500) < 0.9, 0.0, rng.integers(1, 10, 500))
    enc = quantile_encoder().fit(x[:, None])
    xs, ys = enc.knots_[0]
    levels = np.linspace(0, 1, N_QUANTILES)
    zero_levels = levels[np.quantile(x, levels) == 0.0]
    assert xs[0] == 0.0
    assert ys[0] == pytest.approx(
        norm_score((zero_levels[0] + zero_levels[-1]) / 2), rel=1e-12
    )
    assert -0.5 < ys[0] < 0.0
    # Every training row of a tied value gets one score.
    assert len(np.unique(enc.transform(x[:, None])[x == 0.0])) == 1


def norm_score(p):
    from scipy.stats import norm

    return norm.ppf(p)


def test_a_zero_one_column_encodes_symmetrically():
    x = np.repeat([0.0, 1.0], 50)
    enc = quantile_encoder().fit(x[:, None])
    Xt = enc.transform(np.array([[0.0], [1.0], [0.5]]))[:, 0]
    assert Xt[0] == pytest.approx(-Xt[1], rel=1e-12)
    assert -1.0 < Xt[0] < -0.5 and Xt[2] == pytest.approx(0.0, abs=1e-12)


@pytest.mark.parametrize("value", [0.0, 7.25, -1e300])
def test_a_constant_column_has_one_knot_and_encodes_as_zero(value):
    enc = quantile_encoder().fit(np.full((9, 1), value))
    xs, ys = enc.knots_[0]
    np.testing.assert_array_equal(xs, [value])
    np.testing.assert_array_equal(ys, [0.0])
    Xt = enc.transform(np.array([[value], [1e308], [-1e308], [np.nan]]))
    np.testing.assert_array_equal(Xt[:, 0], np.zeros(4))


def test_integer_weights_give_the_knots_of_repeated_rows():
    rng = np.random.default_rng(14)
    X = np.column_stack([rng.normal(size=40), rng.integers(0, 3, 40)])
    X[::9, 0] = np.nan
    weights = rng.integers(0, 4, 40)
    weighted = quantile_encoder().fit(X, sample_weight=weights)
    repeated = quantile_encoder().fit(np.repeat(X, weights, axis=0))
    for (xs_w, ys_w), (xs_r, ys_r) in zip(weighted.knots_, repeated.knots_):
        np.testing.assert_array_equal(xs_w, xs_r)
        np.testing.assert_array_equal(ys_w, ys_r)
    new = rng.normal(size=(20, 2))
    np.testing.assert_array_equal(weighted.transform(new), repeated.transform(new))


def test_zero_weight_rows_do_not_move_the_knots():
    rng = np.random.default_rng(15)
    X = rng.normal(size=(60, 1))
    weights = np.ones(60)
    weights[:20] = 0.0
    X_outliers = X.copy()
    X_outliers[:20] = 1e6
    with_zeros = quantile_encoder().fit(X_outliers, sample_weight=weights)
    without = quantile_encoder().fit(X[20:])
    np.testing.assert_array_equal(with_zeros.knots_[0][0], without.knots_[0][0])
    np.testing.assert_array_equal(with_zeros.knots_[0][1], without.knots_[0][1])


def test_quantile_missing_values_encode_as_the_median_with_an_indicator():
    x = np.array([1.0, np.nan, 3.0, 10.0, 100.0, np.nan, 2.0])
    enc = quantile_encoder().fit(x[:, None])
    observed = x[~np.isnan(x)]
    levels = np.linspace(0, 1, N_QUANTILES)
    np.testing.assert_allclose(enc.knots_[0][0], np.quantile(observed, levels))
    Xt = enc.transform(np.array([[np.nan], [np.median(observed)]]))
    np.testing.assert_array_equal(Xt, [[Xt[1, 0], 1.0], [Xt[1, 0], 0.0]])
    assert Xt[1, 0] == 0.0  # the median is the knot of level 0.5


def test_quantile_column_missing_everywhere_at_fit_encodes_as_zero():
    X = np.array([[1.0, np.nan], [2.0, np.nan]])
    enc = quantile_encoder().fit(X)
    np.testing.assert_array_equal(enc.knots_[1][1], [0.0])
    Xt = enc.transform(np.array([[1.5, 10.0], [1.5, np.nan]]))
    np.testing.assert_array_equal(Xt[:, 1:], [[0.0, 0.0], [0.0, 1.0]])


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_quantile_encoding_of_extreme_values_is_finite_and_bounded(dtype):
    # Knots of opposite signs near the largest float: their gap overflows.
    big = np.finfo(np.float64).max
    X = np.array([[-big, 0.0], [-1e300, 1.0], [1e300, 2.0], [big, 3.0]])
    enc = quantile_encoder().fit(X)
    new = np.array([[0.0, 1e308], [-big, -1e308], [big, 5e-324], [1e-300, 1.5]])
    Xt = enc.transform(new, dtype=dtype)
    assert Xt.dtype == dtype and np.isfinite(Xt).all()
    assert (np.abs(Xt) <= 5.2).all()
    assert Xt[1, 0] < Xt[3, 0] < Xt[2, 0]
    assert Xt[0, 0] == pytest.approx(0.0, abs=1e-12)  # the middle of -1e300, 1e300


def test_quantile_encoding_in_float32_matches_float64():
    rng = np.random.default_rng(16)
    X = rng.gamma(0.5, size=(200, 3)).astype(np.float32)
    enc = quantile_encoder().fit(X)
    Xt = enc.transform(X)
    assert Xt.dtype == np.float32
    expected = enc.transform(X, dtype=np.float64)
    np.testing.assert_allclose(Xt, expected, rtol=1e-6, atol=1e-6)


def test_quantile_rows_one_at_a_time_encode_as_the_whole_batch():
    X = mixed_frame(n=3 * _FEW_ROWS)
    enc = quantile_encoder().fit(X.iloc[: 2 * _FEW_ROWS])
    new = X.iloc[2 * _FEW_ROWS :]
    batch = enc.transform(new)
    for i in range(len(new)):
        np.testing.assert_array_equal(enc.transform(new.iloc[[i]]), batch[[i]])


def test_quantile_scaling_ignores_numeric_clip_and_keeps_the_other_columns():
    X = mixed_frame()
    a = quantile_encoder(numeric_clip=0.5).fit(X)
    b = quantile_encoder(numeric_clip=None).fit(X)
    np.testing.assert_array_equal(a.transform(X), b.transform(X))
    robust = TableEncoder().fit(X)
    n_numeric = 2
    np.testing.assert_array_equal(
        a.transform(X)[:, n_numeric:], robust.transform(X)[:, n_numeric:]
    )
    assert a.get_feature_names_out().tolist() == robust.get_feature_names_out().tolist()


def test_a_failed_quantile_fit_keeps_the_earlier_knots_and_a_robust_refit_drops_them():
    enc = quantile_encoder().fit(mixed_frame())
    before = pickle.dumps(enc)
    bad = mixed_frame(seed=1)
    bad.loc[3, "num"] = np.inf
    with pytest.raises(ValueError, match="infinity"):
        enc.fit(bad)
    assert pickle.dumps(enc) == before
    enc.set_params(numeric_scaling="robust").fit(mixed_frame())
    assert not hasattr(enc, "knots_")


def test_bad_numeric_scaling_is_a_clear_error():
    with pytest.raises(ValueError, match="numeric_scaling"):
        TableEncoder(numeric_scaling="uniform").fit(np.ones((3, 1)))


# -- the plan and feature names ---------------------------------------------------


# -- bins: the piecewise-linear encoding (numeric_bins) -------------------------------
def bin_columns(encoder, Xt, source):
    """The bin columns of input column ``source``, in order."""
    kept = [
        k
        for k, col in enumerate(encoder.plan())
        if col.kind == "bin" and col.source == source
    ]
    return Xt[:, kept]


@pytest.mark.parametrize("scaling", ["robust", "quantile"])
def test_each_bin_rises_from_0_to_1_across_its_quantile_edges(scaling):
    rng = np.random.default_rng(20)
    x = rng.lognormal(size=300)
    x[::11] = np.nan
    enc = TableEncoder(numeric_scaling=scaling, numeric_bins=5).fit(x[:, None])
    observed = x[~np.isnan(x)]
    edges = np.quantile(observed, np.linspace(0, 1, 6))
    np.testing.assert_allclose(enc.bin_edges_[0], edges, rtol=1e-15)
    new = np.concatenate([rng.lognormal(size=50), [-1.0, 1e6, np.nan], edges])
    Xt = enc.transform(new[:, None])
    filled = np.where(np.isnan(new), np.median(observed), new)
    expected = np.clip((filled[:, None] - edges[:-1]) / np.diff(edges), 0, 1)
    np.testing.assert_allclose(bin_columns(enc, Xt, 0), expected, atol=1e-15)
    # The scaled value and the indicator are the encoder's without bins.
    plain = TableEncoder(numeric_scaling=scaling).fit(x[:, None])
    np.testing.assert_array_equal(Xt[:, :2], plain.transform(new[:, None]))


def test_tied_quantiles_merge_into_fewer_bins_and_a_constant_column_has_none():
    X = np.column_stack([np.repeat([0.0, 1.0, 2.0], 40), np.full(120, 3.5)])
    enc = TableEncoder(numeric_bins=8).fit(X)
    np.testing.assert_array_equal(enc.bin_edges_[0], [0.0, 1.0, 2.0])
    assert enc.bin_edges_[1].size == 1
    kinds = [(col.kind, col.source, col.category) for col in enc.plan()]
    assert kinds == [
        ("numeric", 0, None),
        ("numeric", 1, None),
        ("bin", 0, 0),
        ("bin", 0, 1),
    ]
    np.testing.assert_array_equal(
        enc.transform(np.array([[0.5, 3.5], [1.5, 0.0]]))[:, 2:], [[0.5, 0], [1, 0.5]]
    )


def test_auto_bins_start_at_the_documented_number_of_rows():
    rng = np.random.default_rng(21)
    X = rng.normal(size=(AUTO_BINS_MIN_ROWS, 2))
    below = TableEncoder(numeric_bins="auto").fit(X[:-1])
    assert [e.size for e in below.bin_edges_] == [0, 0]
    assert below.n_features_out_ == 2
    at = TableEncoder(numeric_bins="auto").fit(X)
    assert [e.size for e in at.bin_edges_] == [AUTO_BINS + 1] * 2
    assert at.n_features_out_ == 2 + 2 * AUTO_BINS
    # Rows of weight 0 count as absent.
    weights = np.ones(AUTO_BINS_MIN_ROWS)
    weights[0] = 0.0
    weighted = TableEncoder(numeric_bins="auto").fit(X, sample_weight=weights)
    assert weighted.n_features_out_ == 2


def test_integer_weights_give_the_bin_edges_of_repeated_rows():
    rng = np.random.default_rng(22)
    X = np.column_stack([rng.normal(size=50), rng.integers(0, 5, 50)])
    X[::9, 0] = np.nan
    weights = rng.integers(0, 4, 50)
    weighted = TableEncoder(numeric_bins=6).fit(X, sample_weight=weights)
    repeated = TableEncoder(numeric_bins=6).fit(np.repeat(X, weights, axis=0))
    for edges_w, edges_r in zip(weighted.bin_edges_, repeated.bin_edges_):
        np.testing.assert_array_equal(edges_w, edges_r)
    new = rng.normal(size=(20, 2))
    np.testing.assert_array_equal(weighted.transform(new), repeated.transform(new))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_bins_of_extreme_values_are_finite_within_0_and_1(dtype):
    big = np.finfo(np.float64).max
    X = np.array([[-0.9 * big], [0.0], [0.9 * big], [1.0], [-1.0]] * 4)
    enc = TableEncoder(numeric_bins=4).fit(X)
    new = np.array([[big], [-big], [0.5], [5e-324], [np.nan]])
    Xt = enc.transform(new, dtype=dtype)
    bins = bin_columns(enc, Xt, 0)
    assert np.isfinite(Xt).all() and ((bins >= 0) & (bins <= 1)).all()
    assert (np.diff(bins, axis=1) <= 0).all()  # a later bin never ahead of an earlier


def test_bin_feature_names_and_rows_one_at_a_time():
    X = mixed_frame(n=60)
    enc = TableEncoder(numeric_bins=3).fit(X)
    names = enc.get_feature_names_out().tolist()
    start = names.index("num_bin0")
    assert names[start : start + 6] == [
        "num_bin0", "num_bin1", "num_bin2", "count_bin0", "count_bin1", "count_bin2",
    ]  # fmt: skip
    whole = enc.transform(X)
    one_by_one = np.vstack([enc.transform(X.iloc[[i]]) for i in range(len(X))])
    np.testing.assert_array_equal(whole, one_by_one)


def test_bad_numeric_bins_are_clear_errors():
    X = np.zeros((4, 1))
    for bad in (1, 0, "many", 2.5):
        with pytest.raises(ValueError, match="numeric_bins"):
            TableEncoder(numeric_bins=bad).fit(X)


def test_plan_lists_every_output_column_in_order():
    X = mixed_frame()
    enc = TableEncoder().fit(X)
    plan = enc.plan()
    Xt = enc.transform(X)
    assert len(plan) == enc.n_features_out_ == Xt.shape[1]
    kinds = [col.kind for col in plan]
    n_numeric = (~enc.is_categorical_).sum()
    assert kinds[:n_numeric] == ["numeric"] * n_numeric
    assert kinds[n_numeric] == "missing_indicator"
    for k, col in enumerate(plan):
        source = X.iloc[:, col.source]
        if col.kind == "one_hot":
            np.testing.assert_array_equal(Xt[:, k], (source == col.category).to_numpy())
        elif col.kind in ("missing", "missing_indicator"):
            np.testing.assert_array_equal(Xt[:, k], source.isna().to_numpy())


def test_feature_names_out_follow_the_plan():
    X = mixed_frame()
    enc = TableEncoder().fit(X)
    names = enc.get_feature_names_out()
    assert names.tolist() == [
        "num", "count", "num_missing",
        "kind_a", "kind_b", "kind_c", "kind_d",
        "color_blue", "color_green", "color_red", "color_missing",
        "flag_True",
    ]  # fmt: skip
    with pytest.raises(ValueError, match="not equal to feature_names_in_"):
        enc.get_feature_names_out(["wrong"] * 5)
    on_array = TableEncoder(categorical_features=[1]).fit(np.array([[1, 0], [2, 1]]))
    assert on_array.get_feature_names_out(["a", "b"]).tolist() == ["a", "b_1"]


def test_docstring_examples_run_as_written():
    import doctest

    from sklearn_toynet import _table_encoder

    tests = doctest.DocTestFinder().find(TableEncoder, globs=vars(_table_encoder))
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    for test in tests:
        runner.run(test)
    assert sum(len(test.examples) for test in tests) > 0
    assert runner.failures == 0


# -- with the rest of scikit-learn -----------------------------------------------------


@parametrize_with_checks([TableEncoder(), TableEncoder(numeric_scaling="quantile")])
def test_sklearn_compatible_transformer(estimator, check):
    check(estimator)


def test_inside_a_pipeline():
    X = mixed_frame(n=60)
    y = (X["num"].fillna(5.0) > 5.0).to_numpy()
    pipe = make_pipeline(TableEncoder(), LogisticRegression()).fit(X, y)
    assert pipe.score(X, y) > 0.8
    assert pipe[:-1].get_feature_names_out().tolist() == (
        TableEncoder().fit(X).get_feature_names_out().tolist()
    )


def test_inside_a_column_transformer():
    X = mixed_frame()
    ct = ColumnTransformer(
        [("enc", TableEncoder(), ["num", "color"])], remainder="drop"
    ).set_output(transform="pandas")
    out = ct.fit_transform(X)
    alone = TableEncoder().fit_transform(X[["num", "color"]])
    np.testing.assert_array_equal(out.to_numpy(), alone)
    assert out.columns[0] == "enc__num"


def test_set_output_pandas_names_the_columns():
    X = mixed_frame()
    out = TableEncoder().set_output(transform="pandas").fit_transform(X)
    assert list(out.columns) == TableEncoder().fit(X).get_feature_names_out().tolist()


@pytest.mark.parametrize(
    "params",
    [{"max_categories": 3}, {"numeric_scaling": "quantile"}],
    ids=["robust", "quantile"],
)
def test_pickle_and_skops_round_trips(params):
    X = mixed_frame()
    enc = TableEncoder(**params).fit(X)
    expected = enc.transform(X)
    np.testing.assert_array_equal(
        pickle.loads(pickle.dumps(enc)).transform(X), expected
    )
    sio = pytest.importorskip("skops.io")
    from sklearn_toynet import TRUSTED_TYPES

    data = sio.dumps(enc)
    assert set(sio.get_untrusted_types(data=data)) <= set(TRUSTED_TYPES)
    np.testing.assert_array_equal(
        sio.loads(data, trusted=TRUSTED_TYPES).transform(X), expected
    )
