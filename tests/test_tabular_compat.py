"""The tabular pair among scikit-learn's tools: pipelines, search, callbacks, saving.

The same promises as the drop-ins' (``test_callbacks.py``,
``test_persistence.py``, ``test_mlflow.py``), kept by estimators that take
DataFrames: a Pipeline or ColumnTransformer in front, a grid search over the
encoder's and the core's new parameters, callbacks observing a fit on a
table, and pickle, skops and MLflow round trips that carry the fitted encoder.
"""

import pickle

import numpy as np
import pytest
from sklearn.compose import ColumnTransformer
from sklearn.metrics import log_loss
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer

from sklearn_toynet import TRUSTED_TYPES, ToyNetTabularClassifier

from _helpers import EpochCallback
from _tabular_helpers import (
    NUMERIC,
    SMALL,
    class_targets,
    estimator_and_targets,
    outputs,
    quiet,
    table,
)

KINDS = ["classifier", "regressor"]


def test_in_a_pipeline_the_table_passes_through_untouched():
    X = table()
    y = class_targets(X)
    pipe = make_pipeline(FunctionTransformer(), ToyNetTabularClassifier(**SMALL))
    quiet(pipe.fit, X, y)
    alone = quiet(ToyNetTabularClassifier(**SMALL).fit, X, y)
    np.testing.assert_array_equal(pipe.predict_proba(X), alone.predict_proba(X))
    np.testing.assert_array_equal(pipe[-1].feature_names_in_, X.columns)


def test_after_a_column_transformer_passthrough_the_table_keeps_its_kinds():
    X = table()
    y = class_targets(X)
    front = ColumnTransformer(
        [("keep", "passthrough", list(X.columns))], verbose_feature_names_out=False
    ).set_output(transform="pandas")
    pipe = make_pipeline(front, ToyNetTabularClassifier(**SMALL))
    quiet(pipe.fit, X, y)
    alone = quiet(ToyNetTabularClassifier(**SMALL).fit, X, y)
    assert pipe[-1].encoder_.plan() == alone.encoder_.plan()
    np.testing.assert_array_equal(pipe.predict_proba(X), alone.predict_proba(X))


def test_inside_a_column_transformer_on_its_own_columns():
    # The estimator as the last step after a ColumnTransformer that drops one column.
    X = table()
    y = class_targets(X)
    front = ColumnTransformer(
        [("drop", "drop", ["plan"])],
        remainder="passthrough",
        verbose_feature_names_out=False,
    ).set_output(transform="pandas")
    pipe = quiet(make_pipeline(front, ToyNetTabularClassifier(**SMALL)).fit, X, y)
    assert list(pipe[-1].feature_names_in_) == [c for c in X.columns if c != "plan"]
    assert np.all(np.isfinite(pipe.predict_proba(X)))


def test_grid_search_over_encoder_and_core_parameters():
    X = table(80)
    y = class_targets(X)
    # One parameter at a time (a list of grids): each value reaches the fit.
    grid = [
        {"categorical_features": ["from_dtype", [1, 2, 3, 4]]},
        {"max_categories": [2, None]},
        {"numeric_clip": [1.0, None]},
        {"learning_rate": ["constant", "cosine"]},
        {"weight_decay": [0.0, 0.1]},
    ]
    est = ToyNetTabularClassifier(hidden_layer_sizes=(4,), max_iter=2, random_state=0)
    search = quiet(GridSearchCV(est, grid, cv=2, error_score="raise").fit, X, y)
    assert len(search.cv_results_["params"]) == 10
    assert np.all(np.isfinite(search.cv_results_["mean_test_score"]))
    best = search.best_estimator_
    for name, value in search.best_params_.items():
        assert best.get_params()[name] == value
    for name in ("categorical_features", "max_categories", "numeric_clip"):
        assert getattr(best.encoder_, name) == best.get_params()[name]


def test_max_categories_in_a_search_reaches_the_encoder():
    X = table(gaps=False)
    y = class_targets(X)
    wide = quiet(ToyNetTabularClassifier(**SMALL, max_categories=None).fit, X, y)
    narrow = quiet(ToyNetTabularClassifier(**SMALL, max_categories=2).fit, X, y)
    assert len(narrow.encoder_.plan()) < len(wide.encoder_.plan())
    assert narrow.coefs_[0].shape[0] < wide.coefs_[0].shape[0]


# -- callbacks -----------------------------------------------------------------------

sk_callback = pytest.importorskip("sklearn.callback")


class StopAfter(EpochCallback):
    """A callback that asks the fit to stop once ``n_iter_`` reaches ``n``."""

    def on_fit_task_end(self, estimator, context, *, fitted_estimator=None):
        return fitted_estimator is not None and fitted_estimator.n_iter_ >= self.n


@pytest.mark.parametrize("kind", KINDS)
def test_a_callback_that_asks_to_stop_ends_a_fit_on_a_table(kind):
    X = table(150)
    est, y = estimator_and_targets(kind, X)
    est.set_params(max_iter=10).set_callbacks(StopAfter(3))
    quiet(est.fit, X, y)
    assert est.n_iter_ == 3 and len(est.validation_scores_) == 3


def test_scoring_monitor_scores_a_fit_on_a_dataframe():
    X = table()
    y = class_targets(X)
    monitor = sk_callback.ScoringMonitor(scoring="neg_log_loss")
    est = ToyNetTabularClassifier(**SMALL, early_stopping=False).set_callbacks(monitor)
    quiet(est.fit, X, y)
    scores = {
        row["task_id_path"]: row["neg_log_loss"] for row in monitor.get_logs().data
    }
    assert len(scores) == est.n_iter_ + 1  # one per epoch, one for the fit
    final = -log_loss(y, est.predict_proba(X))
    assert scores[(0,)] == pytest.approx(final)
    assert scores[(0, est.n_iter_ - 1)] == pytest.approx(final)


@pytest.mark.parametrize("kind", KINDS)
def test_progress_bar_runs_on_a_table(kind):
    pytest.importorskip("rich")
    X = table()
    est, y = estimator_and_targets(kind, X)
    quiet(est.set_callbacks(sk_callback.ProgressBar()).fit, X, y)
    assert est.n_iter_ == est.max_iter


# -- saving and loading --------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_pickle_round_trip_predicts_and_trains_identically(kind):
    X = table()
    est, y = estimator_and_targets(kind, X)
    quiet(est.fit, X, y)
    loaded = pickle.loads(pickle.dumps(est))
    np.testing.assert_array_equal(outputs(loaded, X), outputs(est, X))
    est.partial_fit(X, y)
    loaded.partial_fit(X, y)
    np.testing.assert_array_equal(outputs(loaded, X), outputs(est, X))


@pytest.mark.parametrize("kind", KINDS)
def test_skops_loads_a_fitted_table_model_trusting_only_trusted_types(kind):
    sio = pytest.importorskip("skops.io")
    X = table()
    est, y = estimator_and_targets(kind, X)
    quiet(est.fit, X, y)
    data = sio.dumps(est)
    untrusted = set(sio.get_untrusted_types(data=data))
    assert "sklearn_toynet._table_encoder.TableEncoder" in untrusted
    assert untrusted <= set(TRUSTED_TYPES)
    loaded = sio.loads(data, trusted=TRUSTED_TYPES)
    np.testing.assert_array_equal(outputs(loaded, X), outputs(est, X))
    new = table(n=8, seed=4)
    np.testing.assert_array_equal(outputs(loaded, new), outputs(est, new))


@pytest.mark.slow  # an MLflow tracking store
def test_mlflow_log_model_round_trip(tmp_path):
    mlflow = pytest.importorskip("mlflow")
    tm = pytest.importorskip("sklearn_toynet.mlflow")
    X = table()
    est = quiet(ToyNetTabularClassifier(**SMALL).fit, X, class_targets(X))
    previous = mlflow.get_tracking_uri()
    mlflow.set_tracking_uri(f"sqlite:///{tmp_path / 'mlflow.db'}")
    try:
        experiment = mlflow.create_experiment(
            "tabular", artifact_location=(tmp_path / "artifacts").as_uri()
        )
        with mlflow.start_run(experiment_id=experiment):
            info = tm.log_model(
                est, name="model", pip_requirements=["scikit-learn", "skops"]
            )
        loaded = mlflow.sklearn.load_model(info.model_uri)
    finally:
        mlflow.set_tracking_uri(previous)
    np.testing.assert_array_equal(loaded.predict_proba(X), est.predict_proba(X))


def test_numeric_columns_alone_in_a_pipeline_with_names_out():
    X = table(gaps=False)[NUMERIC].astype(float)
    y = class_targets(table(gaps=False))
    pipe = quiet(make_pipeline(ToyNetTabularClassifier(**SMALL)).fit, X, y)
    names = pipe[-1].encoder_.get_feature_names_out()
    assert len(names) == pipe[-1].coefs_[0].shape[0]


@pytest.mark.parametrize("kind", KINDS)
def test_the_docstring_example_runs_and_prints_what_it_says(kind):
    import doctest

    from sklearn_toynet import _tabular

    cls = {
        "classifier": "ToyNetTabularClassifier",
        "regressor": "ToyNetTabularRegressor",
    }
    tests = doctest.DocTestFinder().find(getattr(_tabular, cls[kind]))
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    for test in tests:
        runner.run(test)
    assert sum(len(test.examples) for test in tests) > 0
    assert runner.failures == 0
