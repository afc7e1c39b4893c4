"""The tabular pair converts to ONNX with its table encoder, strings in.

A ToyNetTabularClassifier or ToyNetTabularRegressor fitted on a DataFrame of
numbers, strings, booleans, categories and gaps converts (alone or in a
Pipeline) to one ONNX model with one input per column, and predicts, from
``input_feed``'s feed, what the estimator predicts on rows with missing values
and categories unseen at fit: labels equal, probabilities and predictions
within 1e-4 with float32 input, 1e-9 with double input; a numeric-array fit
converts to a single input; inputs are matched to columns by name; opsets 11
to 21 convert. Inputs whose type cannot hold a column are refused naming it.
With ``numeric_scaling="quantile"`` the same bounds hold on tied columns (0/1,
mostly zero, constant), gaps and values beyond the training range, and the
graph's encoding is the encoder's ``transform`` within 1e-9 in double, knots
near the float limit included.
"""

import numpy as np
import pytest
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sklearn_toynet import ToyNetTabularClassifier, ToyNetTabularRegressor
from sklearn_toynet.onnx import input_feed, to_onnx

from _onnx_helpers import fit, onnx, session, skl2onnx

pd = pytest.importorskip("pandas", reason="pandas is in the test extra")

ATOL = 1e-4  # float32 input: the bound, against the estimator's float64


def table(n, seed):
    """Every kind of column the encoder reads, with gaps."""
    rng = np.random.default_rng(seed)
    df = pd.DataFrame(
        {
            "age": rng.normal(40, 12, n),
            "income": rng.lognormal(10, 1, n),
            "kids": rng.integers(0, 4, n),
            "city": rng.choice(["Oslo", "Rome", "Paris", "Lima"], n),
            "member": rng.random(n) < 0.4,
            "plan": pd.Categorical(rng.choice(["basic", "plus", "pro"], n)),
            "grade": pd.Categorical(rng.choice([1, 2, 3, 5], n)),
        }
    )
    df.loc[rng.random(n) < 0.15, "age"] = np.nan
    df.loc[rng.random(n) < 0.15, "city"] = None
    df.loc[rng.random(n) < 0.1, "plan"] = None
    return df


def with_novelties(df):
    """Rows at predict time: categories unseen at fit, gaps where none were."""
    df = df.copy()
    df.loc[:4, "city"] = "Berlin"
    df.loc[5:7, "income"] = np.nan  # no gap at fit: imputed, no indicator
    df.loc[8:9, "age"] = [1e30, -1e30]  # far beyond the range: clipped
    df["plan"] = df["plan"].cat.add_categories(["gold"])
    df.loc[10:12, "plan"] = "gold"
    df["grade"] = df["grade"].cat.add_categories([9])
    df.loc[13:14, "grade"] = 9
    df.loc[15, "grade"] = np.nan
    return df


TRAIN, TEST = table(240, 0), with_novelties(table(80, 1))


def score(df):
    return (
        np.nan_to_num((df["age"].to_numpy() - 40) / 12)
        + (df["city"] == "Rome").to_numpy()
        - (df["plan"] == "pro").to_numpy()
        + df["member"].to_numpy()
    )


def small(cls, **params):
    return cls(hidden_layer_sizes=(12,), max_iter=25, random_state=0, **params)


def predict_onnx(onx, df):
    sess = session(onx)
    names = [o.name for o in sess.get_outputs()]
    return dict(zip(names, sess.run(None, input_feed(sess, df))))


def check_classifier(model, onx, df, atol=ATOL):
    out = predict_onnx(onx, df)
    assert out["label"].tolist() == model.predict(df).tolist()
    np.testing.assert_allclose(
        out["probabilities"], model.predict_proba(df), rtol=0, atol=atol
    )


def check_regressor(model, onx, df, y_scale, atol=ATOL):
    out = predict_onnx(onx, df)["variable"]
    expected = model.predict(df).reshape(len(df), -1)
    assert out.shape == expected.shape
    np.testing.assert_allclose(out, expected, rtol=atol, atol=atol * y_scale)


# -- a DataFrame in, one input per column ----------------------------------------------
@pytest.mark.parametrize("kind", ["binary", "multiclass"])
def test_classifier_on_a_mixed_dataframe_matches_with_gaps_and_novelties(kind):
    s = score(TRAIN)
    y = (
        s > 0.5
        if kind == "binary"
        else np.array(["lo", "mid", "hi"])[np.digitize(s, [0, 1])]
    )
    clf = fit(small(ToyNetTabularClassifier), TRAIN, y)
    onx = to_onnx(clf, TRAIN, options={id(clf): {"zipmap": False}})
    onnx.checker.check_model(onx)
    assert [i.name for i in onx.graph.input] == list(TRAIN.columns)
    check_classifier(clf, onx, TEST)


def test_regressor_answers_in_the_targets_units():
    y = 1000 * score(TRAIN) + 5e4  # standardized inside: center and scale undone
    reg = fit(small(ToyNetTabularRegressor), TRAIN, y)
    assert reg._target_coding.center is not None
    check_regressor(reg, to_onnx(reg, TRAIN), TEST, y.std())


def test_poisson_regressor_keeps_its_counts():
    y = np.random.default_rng(0).poisson(np.exp(0.3 * score(TRAIN)))
    reg = fit(small(ToyNetTabularRegressor, loss="poisson"), TRAIN, y)
    check_regressor(reg, to_onnx(reg, TRAIN), TEST, 1.0)


def test_zipmap_default_gives_a_dictionary_per_row():
    clf = fit(small(ToyNetTabularClassifier), TRAIN, score(TRAIN) > 0.5)
    out = predict_onnx(to_onnx(clf, TRAIN), TEST)
    proba = [[row[c] for c in (0, 1)] for row in out["output_probability"]]
    np.testing.assert_allclose(proba, clf.predict_proba(TEST), rtol=0, atol=ATOL)


@pytest.mark.parametrize("scaling", ["robust", "quantile"])
@pytest.mark.parametrize("est", ["classifier", "regressor"])
def test_double_inputs_compute_in_double(est, scaling):
    # skl2onnx's own to_onnx on a float64 frame: double, int64, string and bool
    # inputs (category columns as their categories' type first).
    frame = TRAIN.assign(
        plan=TRAIN["plan"].astype(object),
        grade=TRAIN["grade"].astype(float),
    )
    cls = ToyNetTabularClassifier if est == "classifier" else ToyNetTabularRegressor
    y = score(frame) > 0.5 if est == "classifier" else score(frame)
    model = fit(small(cls, numeric_scaling=scaling), frame, y)
    options = {id(model): {"zipmap": False}} if est == "classifier" else None
    onx = skl2onnx.to_onnx(model, frame[:1], options=options)
    types = {i.name: i.type.tensor_type.elem_type for i in onx.graph.input}
    T = onnx.TensorProto
    assert [types[c] for c in ("age", "kids", "city", "member")] == [
        T.DOUBLE,
        T.INT64,
        T.STRING,
        T.BOOL,
    ]
    test = TEST.assign(
        plan=TEST["plan"].astype(object), grade=TEST["grade"].astype(float)
    )
    test.loc[16:17, "age"] = [1e300, -1e300]  # whose square overflows: clipped
    test.loc[18:19, "kids"] = [-7, 40]  # an int64 input beyond the range
    if est == "classifier":
        check_classifier(model, onx, test, atol=1e-9)
    else:
        check_regressor(model, onx, test, 1.0, atol=1e-9)


# -- how columns reach the model -------------------------------------------------------
def test_columns_take_the_documented_onnx_types():
    clf = fit(small(ToyNetTabularClassifier), TRAIN, score(TRAIN) > 0.5)
    onx = to_onnx(clf, TRAIN)
    types = {i.name: i.type.tensor_type.elem_type for i in onx.graph.input}
    T = onnx.TensorProto
    assert types == {
        "age": T.FLOAT,
        "income": T.FLOAT,
        "kids": T.INT64,
        "city": T.STRING,
        "member": T.BOOL,
        "plan": T.STRING,  # categories that are strings
        "grade": T.FLOAT,  # categories that are numbers
    }
    feed = input_feed(onx, TEST)
    missing_city = TEST["city"].isna().to_numpy()
    assert (feed["city"][missing_city] == "").all()
    assert np.isnan(feed["grade"][TEST["grade"].isna().to_numpy()]).all()


def test_inputs_are_matched_to_columns_by_name():
    clf = fit(small(ToyNetTabularClassifier), TRAIN, score(TRAIN) > 0.5)
    shuffled = TRAIN[TRAIN.columns[::-1]]
    onx = to_onnx(clf, shuffled, options={id(clf): {"zipmap": False}})
    assert [i.name for i in onx.graph.input] == list(shuffled.columns)
    check_classifier(clf, onx, TEST)


def test_nullable_integer_columns_come_as_floats_with_nan():
    frame = TRAIN.assign(kids=TRAIN["kids"].astype("Int64"))
    frame.loc[::6, "kids"] = pd.NA  # gaps the int64 column could not hold
    clf = fit(small(ToyNetTabularClassifier), frame, score(TRAIN) > 0.5)
    onx = to_onnx(clf, frame, options={id(clf): {"zipmap": False}})
    kids = [i for i in onx.graph.input if i.name == "kids"][0]
    assert kids.type.tensor_type.elem_type == onnx.TensorProto.FLOAT
    check_classifier(clf, onx, frame)


def test_empty_string_is_missing_unless_it_was_a_category():
    rng = np.random.default_rng(3)
    for labels in (["a", "b", "c"], ["a", "b", ""]):
        df = pd.DataFrame(
            {"x": rng.normal(size=150), "tag": rng.choice(labels, 150).astype(object)}
        )
        df.loc[:20, "tag"] = None
        y = df["x"].to_numpy() + (df["tag"] == "b").to_numpy() > 0.3
        clf = fit(small(ToyNetTabularClassifier), df, y)
        onx = to_onnx(clf, df, options={id(clf): {"zipmap": False}})
        # A missing value (None: "" in the feed), and an empty string.
        test = pd.DataFrame({"x": [0.1, 0.1], "tag": [None, ""]}).astype(
            {"tag": object}
        )
        out = predict_onnx(onx, test)["probabilities"]
        if "" in labels:  # "" is the category "", which None cannot reach
            np.testing.assert_allclose(out[1], clf.predict_proba(test)[1], atol=ATOL)
        else:  # both are missing, as None is for the estimator
            np.testing.assert_allclose(
                out, clf.predict_proba(test[:1])[[0, 0]], atol=ATOL
            )


def test_bool_categories_can_come_as_text_or_numbers():
    # An object column of booleans with gaps: a string input ("True", "False").
    df = TRAIN[["age"]].assign(flag=TRAIN["member"].astype(object))
    df.loc[::7, "flag"] = None
    y = score(TRAIN) > 0.5
    clf = fit(small(ToyNetTabularClassifier), df, y)
    onx = to_onnx(clf, df, options={id(clf): {"zipmap": False}})
    assert onx.graph.input[1].type.tensor_type.elem_type == onnx.TensorProto.STRING
    check_classifier(clf, onx, df)
    # The same column as a nullable boolean: a float input (NaN missing).
    df_bool = df.assign(flag=df["flag"].astype("boolean"))
    onx = to_onnx(clf, df_bool, options={id(clf): {"zipmap": False}})
    assert onx.graph.input[1].type.tensor_type.elem_type == onnx.TensorProto.FLOAT
    check_classifier(clf, onx, df_bool)


def test_many_categories_share_the_infrequent_column():
    rng = np.random.default_rng(4)
    df = pd.DataFrame(
        {"x": rng.normal(size=200), "code": rng.choice(list("abcdefghij"), 200)}
    )
    y = df["x"] + df["code"].isin(list("abc")) * 2
    reg = fit(small(ToyNetTabularRegressor, max_categories=4), df, y)
    assert reg.encoder_.category_tables_[0].shape[1] == 4
    test = df.copy()
    test.loc[:9, "code"] = "zz"
    check_regressor(reg, to_onnx(reg, df), test, y.std())


def test_without_clipping_huge_values_saturate_as_the_estimators():
    rng = np.random.default_rng(7)
    df = pd.DataFrame({"x": rng.normal(size=200).astype(np.float32) * 1e-3})
    y = df["x"].to_numpy() * 1e3
    params = {"numeric_scaling": "robust", "numeric_clip": None}
    reg = fit(small(ToyNetTabularRegressor, **params), df, y)
    # Beyond float32's range once scaled: bounded to its largest, as the
    # estimator's float32 encoding bounds them.
    test = pd.DataFrame({"x": np.float32([3e38, -3e38, 1e-3, 0.0])})
    out = predict_onnx(to_onnx(reg, df), test)["variable"].ravel()
    assert np.isfinite(out).all()
    np.testing.assert_allclose(out, reg.predict(test), rtol=ATOL, atol=ATOL)


# -- a numeric array, inside a pipeline ------------------------------------------------
@pytest.mark.parametrize("scaling", ["robust", "quantile"])
def test_numeric_array_fit_takes_one_input(scaling):
    rng = np.random.default_rng(5)
    X = np.c_[rng.normal(size=(200, 3)), rng.integers(0, 4, 200)]
    X[::9, 1] = np.nan
    y = X[:, 0] + (X[:, 3] == 2) > 0.4
    clf = small(ToyNetTabularClassifier, categorical_features=[3])
    clf = fit(clf.set_params(numeric_scaling=scaling), X, y)
    onx = to_onnx(clf, X, options={id(clf): {"zipmap": False}})
    assert [i.name for i in onx.graph.input] == ["X"]
    test = X.copy()
    test[:5, 3] = 7  # an unseen category
    test[5:8, 3] = np.nan  # missing where none were
    test[8:10, 0] = [-50.0, 50.0]  # beyond the training range
    check_classifier(clf, onx, test)


def test_inside_a_pipeline_after_a_scaler_on_an_array():
    rng = np.random.default_rng(6)
    X = rng.normal(size=(200, 4)) * 50
    y = X[:, 0] - X[:, 1] + 3
    pipe = fit(make_pipeline(StandardScaler(), small(ToyNetTabularRegressor)), X, y)
    check_regressor(pipe, to_onnx(pipe, X), X, y.std())


@pytest.mark.parametrize("kind", ["binary", "multiclass"])
def test_inside_a_pipeline_on_a_dataframe(kind):
    s = score(TRAIN)
    y = s > 0.5 if kind == "binary" else np.digitize(s, [0, 1])
    pipe = fit(make_pipeline(small(ToyNetTabularClassifier)), TRAIN, y)
    onx = to_onnx(pipe, TRAIN, options={ToyNetTabularClassifier: {"zipmap": False}})
    check_classifier(pipe, onx, TEST)


@pytest.mark.parametrize("scaling", ["robust", "quantile"])
@pytest.mark.parametrize("target_opset", [11, 13, 17, 21])
def test_older_target_opsets_convert_and_run(target_opset, scaling):
    clf = small(ToyNetTabularClassifier, numeric_scaling=scaling)
    clf = fit(clf, TRAIN, score(TRAIN) > 0.5)
    options = {id(clf): {"zipmap": False}}
    onx = to_onnx(clf, TRAIN, target_opset=target_opset, options=options)
    assert {o.domain: o.version for o in onx.opset_import}[""] == target_opset
    check_classifier(clf, onx, TEST)


# -- quantile scaling ------------------------------------------------------------------
def quantile_table(n, seed):
    """``table`` with the numeric columns that tie: 0/1, mostly zero, constant."""
    rng = np.random.default_rng(seed)
    df = table(n, seed)
    df["flag"] = rng.integers(0, 2, n).astype(float)
    df["claims"] = np.where(rng.random(n) < 0.85, 0.0, rng.exponential(3.0, n))
    df["unit"] = 7.0  # one knot: encodes as 0
    return df


def quantile_novelties(df, knots):
    """``with_novelties``, values beyond the training range and on the knots."""
    df = with_novelties(df)
    df.loc[16:17, "flag"] = [-1.0, 2.0]
    df.loc[18:19, "claims"] = [-3.0, 1e6]
    df.loc[20:21, "unit"] = [np.nan, -1e30]  # no gap at fit: imputed
    df.loc[22:24, "kids"] = [-5, 0, 99]
    for row, x in zip(range(25, 31), knots[0][0][[0, 1, 31, 32, 33, -1]]):
        df.loc[row, "age"] = x  # the knots themselves, then the ends
    return df


QTRAIN = quantile_table(240, 0)


def quantile_model(cls, y, **params):
    return fit(small(cls, numeric_scaling="quantile", **params), QTRAIN, y)


def encoder_output(onx, model):
    """The model with the encoder's output (the first layer's input) as an output."""
    shape = list(model.coefs_[0].shape)
    weights = {i.name for i in onx.graph.initializer if list(i.dims) == shape}
    (first,) = [
        n for n in onx.graph.node if n.op_type == "MatMul" and n.input[1] in weights
    ]
    value = onnx.helper.make_tensor_value_info(
        first.input[0], onnx.TensorProto.DOUBLE, [None, shape[0]]
    )
    onx.graph.output.append(value)
    return first.input[0]


def test_quantile_scaled_classifier_matches_on_ties_gaps_and_beyond_the_range():
    y = score(QTRAIN) + QTRAIN["claims"].to_numpy() > 0.8
    clf = quantile_model(ToyNetTabularClassifier, y)
    assert clf.encoder_.knots_[-1][0].size == 1  # "unit", the constant column
    onx = to_onnx(clf, QTRAIN, options={id(clf): {"zipmap": False}})
    onnx.checker.check_model(onx)
    test = quantile_novelties(quantile_table(80, 1), clf.encoder_.knots_)
    check_classifier(clf, onx, test)


def test_quantile_scaled_regressor_matches_on_ties_gaps_and_beyond_the_range():
    y = 1000 * score(QTRAIN) - 300 * QTRAIN["flag"].to_numpy() + 5e4
    reg = quantile_model(ToyNetTabularRegressor, y)
    test = quantile_novelties(quantile_table(80, 1), reg.encoder_.knots_)
    check_regressor(reg, to_onnx(reg, QTRAIN), test, y.std())


@pytest.mark.parametrize("est", ["classifier", "regressor"])
def test_quantile_encoding_in_double_is_the_encoders_even_near_the_float_limit(est):
    # A column of two values whose gap overflows float64: its segments that
    # overflow are measured in halves, as the encoder measures them.
    big = np.finfo(np.float64).max
    rng = np.random.default_rng(8)
    frame = QTRAIN.assign(extreme=rng.choice([-0.9 * big, 0.9 * big], len(QTRAIN)))
    cls = ToyNetTabularClassifier if est == "classifier" else ToyNetTabularRegressor
    y = score(frame) > 0.5 if est == "classifier" else score(frame)
    model = fit(small(cls, numeric_scaling="quantile"), frame, y)
    assert (np.diff(model.encoder_.knots_[-1][0] / 2) > big / 2).any()
    options = {id(model): {"zipmap": False}} if est == "classifier" else None
    onx = to_onnx(model, frame, dtype=np.float64, options=options)
    encoded = encoder_output(onx, model)
    test = quantile_table(80, 1).assign(extreme=rng.uniform(-1, 1, 80) * big)
    test = quantile_novelties(test, model.encoder_.knots_)
    test.loc[31:36, "extreme"] = [big, -big, 0.0, 5e-324, np.nan, 0.9 * big]
    test.loc[37:38, "age"] = [1e300, -big]
    sess = session(onx)
    Xt = sess.run([encoded], input_feed(sess, test))[0]
    np.testing.assert_allclose(Xt, model.encoder_.transform(test), rtol=0, atol=1e-9)
    if est == "classifier":
        check_classifier(model, onx, test, atol=1e-9)
    else:
        check_regressor(model, onx, test, 1.0, atol=1e-9)


@pytest.mark.parametrize("scaling", ["robust", "quantile"])
@pytest.mark.parametrize("est", ["classifier", "regressor"])
def test_bins_match_in_float32_and_double_on_ties_gaps_and_beyond_the_range(
    est, scaling
):
    cls = ToyNetTabularClassifier if est == "classifier" else ToyNetTabularRegressor
    y = score(QTRAIN) + QTRAIN["claims"].to_numpy()
    y = y > 0.8 if est == "classifier" else y
    model = fit(small(cls, numeric_scaling=scaling, numeric_bins=6), QTRAIN, y)
    assert any(col.kind == "bin" for col in model.encoder_.plan())
    test = with_novelties(quantile_table(80, 1))
    edges = model.encoder_.bin_edges_[0]  # "age": its edges exactly
    test.loc[16 : 15 + edges.size, "age"] = edges
    test.loc[30:31, "claims"] = [-3.0, 1e6]
    options = {id(model): {"zipmap": False}} if est == "classifier" else None
    for dtype, atol in ((np.float32, ATOL), (np.float64, 1e-9)):
        onx = to_onnx(model, QTRAIN, dtype=dtype, options=options)
        if dtype == np.float64:
            encoded = encoder_output(onx, model)
            sess = session(onx)
            Xt = sess.run([encoded], input_feed(sess, test))[0]
            expected = model.encoder_.transform(test)
            np.testing.assert_allclose(Xt, expected, rtol=0, atol=1e-12)
        if est == "classifier":
            check_classifier(model, onx, test, atol=atol)
        else:
            check_regressor(model, onx, test, np.std(y), atol=atol)


def test_quantile_columns_without_interior_knots_convert():
    # 65 rows: every quantile level falls on a row, so a 0/1 column has just
    # the knots 0 and 1; a constant column has one.
    rng = np.random.default_rng(9)
    df = pd.DataFrame(
        {
            "flag": rng.permutation(np.repeat([0.0, 1.0], [32, 33])),
            "unit": 3.5,
            "city": rng.choice(["Oslo", "Rome"], 65),
        }
    )
    y = df["flag"].to_numpy() + (df["city"] == "Rome").to_numpy()
    reg = fit(small(ToyNetTabularRegressor, numeric_scaling="quantile"), df, y)
    assert [xs.size for xs, _ in reg.encoder_.knots_] == [2, 1]
    test = pd.DataFrame(
        {
            "flag": [0.0, 1.0, 0.5, -2.0, 3.0, np.nan],
            "unit": [3.5, 0.0, 1e30, np.nan, -1e30, 3.5],
            "city": ["Oslo", "Rome", "Lima", None, "Oslo", "Rome"],
        }
    )
    check_regressor(reg, to_onnx(reg, df), test, y.std())


# -- what cannot be converted ----------------------------------------------------------
def fitted():
    return fit(small(ToyNetTabularClassifier), TRAIN, score(TRAIN) > 0.5)


def test_strings_for_a_numeric_column_are_refused_naming_it():
    frame = TRAIN.assign(age=TRAIN["age"].astype(str))
    with pytest.raises(ValueError, match="'age' is numeric but its ONNX input holds"):
        to_onnx(fitted(), frame)


def test_numbers_for_text_categories_are_refused_naming_the_column():
    frame = TRAIN.assign(plan=1.0)
    with pytest.raises(ValueError, match="'plan' has categories that are not numbers"):
        to_onnx(fitted(), frame)


def test_a_wrong_number_of_inputs_is_refused():
    frame = TRAIN[["age", "income"]].astype(np.float32)
    with pytest.raises(ValueError, match="fitted on 7 columns.*got 2 inputs"):
        skl2onnx.to_onnx(fitted(), frame[:1])
