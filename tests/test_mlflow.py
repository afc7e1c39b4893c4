"""MLflow: models logged and loaded back, autologging, per-epoch training curves.

Against a local SQLite tracking store and an artifact folder in a temporary
directory (no server, no network). ``mlflow.sklearn.log_model`` refuses a ToyNet
model at its defaults (skops trusts no package's own types) and
``mlflow.sklearn.autolog`` ignores a bare ToyNet fit; ``sklearn_toynet.mlflow``'s
``log_model`` and ``autolog`` make both work as for MLP, and ``EpochLogger`` /
``log_training_curves`` log one value per epoch, step by step.
"""

import pickle
import subprocess
import sys
import warnings

import numpy as np
import pytest
from sklearn.datasets import make_classification
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier, MLPRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

import sklearn_toynet
from sklearn_toynet import TRUSTED_TYPES, ToyNetClassifier, ToyNetRegressor

from _helpers import EpochCallback, quiet_fit

REASON = 'the mlflow extra is not installed: pip install ".[mlflow]" from a clone'
# An MLflow store (a SQLite database in a temporary folder) per module.
pytestmark = pytest.mark.slow
# Two warnings MLflow's own code raises, not ToyNet's (MLflow 3 with
# scikit-learn 1.9 and SQLAlchemy 2.1): its autologging calls a scikit-learn
# metric by an argument name scikit-learn renamed, and its SQLite store
# configures a loader SQLAlchemy deprecates. MLP's runs warn the same.
pytestmark = [
    pytestmark,
    pytest.mark.filterwarnings(
        "ignore:`y_pred` was renamed to `y_proba`:FutureWarning"
    ),
    pytest.mark.filterwarnings(
        "ignore:The ``noload`` loader strategy is deprecated:DeprecationWarning"
    ),
]

mlflow = pytest.importorskip("mlflow", reason=REASON)
tm = pytest.importorskip("sklearn_toynet.mlflow", reason=REASON)
sio = pytest.importorskip("skops.io", reason="the mlflow extra installs skops")
pytest.importorskip("sklearn.callback", reason="callbacks need scikit-learn >= 1.9")

X, Y3 = make_classification(
    n_samples=80, n_features=5, n_informative=3, n_redundant=0, n_classes=3,
    random_state=0,
)  # fmt: skip
TARGETS = {
    "binary": Y3 % 2,
    "multiclass": Y3,
    "regression": X @ [1.0, -2.0, 0.5, 0.0, 1.0],
}
# Skips MLflow's inference of the pip requirements (a subprocess that loads the
# model: seconds per model) where a test is about something else.
FAST = {"pip_requirements": ["scikit-learn", "skops"]}


@pytest.fixture(scope="module", autouse=True)
def tracking(tmp_path_factory):
    """A tracking database and an artifact folder of this module's own."""
    root = tmp_path_factory.mktemp("mlflow")
    previous = mlflow.get_tracking_uri()
    mlflow.set_tracking_uri(f"sqlite:///{root / 'mlflow.db'}")
    artifacts = (root / "artifacts").as_uri()
    mlflow.set_experiment(
        experiment_id=mlflow.create_experiment("toynet", artifact_location=artifacts)
    )
    yield root
    mlflow.set_tracking_uri(previous)


@pytest.fixture(autouse=True)
def no_run_or_autolog_left():
    """Each test starts and ends with no active run and autologging off."""
    assert mlflow.active_run() is None
    yield
    mlflow.sklearn.autolog(disable=True)
    while mlflow.active_run() is not None:
        mlflow.end_run()


def model(kind, **params):
    params = {"hidden_layer_sizes": (6,), "max_iter": 30, "random_state": 0, **params}
    Est = ToyNetRegressor if kind == "regression" else ToyNetClassifier
    return quiet_fit(Est(**params), X, TARGETS[kind])


def history(run_id, key):
    """``[(step, value), ...]`` of a metric, by step."""
    points = mlflow.MlflowClient().get_metric_history(run_id, key)
    return sorted((p.step, p.value) for p in points)


def steps_and_values(curve, first_step=1):
    return [(first_step + i, float(v)) for i, v in enumerate(curve)]


def last_run_id():
    run = mlflow.last_active_run()
    return None if run is None else run.info.run_id


# -- logging and loading models -------------------------------------------------------
def test_mlflow_alone_refuses_a_toynet_model_in_its_default_format():
    # The reason for log_model: MLflow's default, skops, trusts no package's types.
    with mlflow.start_run(), pytest.raises(mlflow.MlflowException, match="untrusted"):
        mlflow.sklearn.log_model(model("binary"), name="model", **FAST)


@pytest.mark.parametrize("kind", TARGETS)
def test_a_logged_model_loads_back_and_predicts_identically(kind):
    est = model(kind)
    with mlflow.start_run():
        info = tm.log_model(est, name="model", **FAST)
    loaded = mlflow.sklearn.load_model(info.model_uri)  # no argument needed
    assert type(loaded) is type(est)
    np.testing.assert_array_equal(loaded.predict(X), est.predict(X))
    if kind != "regression":
        np.testing.assert_array_equal(loaded.predict_proba(X), est.predict_proba(X))
    # The one list skops users pass is what MLflow stored with the model.
    flavor = mlflow.models.Model.load(info.model_uri).flavors["sklearn"]
    assert flavor["serialization_format"] == "skops"
    assert flavor["skops_trusted_types"] == sorted(TRUSTED_TYPES)


@pytest.mark.slow  # MLflow infers the requirements in a subprocess
def test_the_default_call_logs_a_pipeline_that_pyfunc_serves():
    # As a user writes it: no pip_requirements, MLflow infers them.
    pipe = make_pipeline(StandardScaler(), ToyNetClassifier((6,), random_state=0))
    pipe = quiet_fit(pipe, X, Y3)
    with mlflow.start_run():
        info = tm.log_model(pipe, name="pipeline")
    np.testing.assert_array_equal(
        mlflow.sklearn.load_model(info.model_uri).predict_proba(X),
        pipe.predict_proba(X),
    )
    served = mlflow.pyfunc.load_model(info.model_uri)
    np.testing.assert_array_equal(served.predict(X), pipe.predict(X))


def test_save_model_round_trip_and_extra_trusted_types(tmp_path):
    est = model("multiclass")
    path = tmp_path / "saved"
    extra = ["some_package.SomeType"]
    tm.save_model(est, path, skops_trusted_types=extra, **FAST)
    flavor = mlflow.models.Model.load(str(path)).flavors["sklearn"]
    assert flavor["skops_trusted_types"] == sorted([*TRUSTED_TYPES, *extra])
    loaded = mlflow.sklearn.load_model(str(path))
    np.testing.assert_array_equal(loaded.predict_proba(X), est.predict_proba(X))


def test_a_model_is_logged_without_its_callbacks(tmp_path):
    est = ToyNetClassifier((6,), max_iter=5, random_state=0)
    est.set_callbacks(tm.EpochLogger())
    with mlflow.start_run():
        quiet_fit(est, X, Y3)
        info = tm.log_model(est, name="model", **FAST)
    assert hasattr(est, "_skl_callbacks")  # still set on the model itself
    loaded = mlflow.sklearn.load_model(info.model_uri)
    assert not hasattr(loaded, "_skl_callbacks")
    # The artifact is a plain skops file: TRUSTED_TYPES alone loads it.
    path = mlflow.artifacts.download_artifacts(info.model_uri, dst_path=tmp_path)
    from_skops = sio.load(f"{path}/model.skops", trusted=TRUSTED_TYPES)
    np.testing.assert_array_equal(from_skops.predict_proba(X), est.predict_proba(X))


# -- autologging ----------------------------------------------------------------------
def autologged_run(est, y):
    """Fit ``est`` under autologging; the run it logged to (None if none)."""
    before = last_run_id()
    quiet_fit(est, X, y)
    after = last_run_id()
    return None if after == before else mlflow.get_run(after)


def test_mlflow_autolog_alone_ignores_a_bare_toynet_fit():
    mlflow.sklearn.autolog()
    assert autologged_run(ToyNetClassifier((6,), max_iter=20), Y3) is None


@pytest.mark.parametrize(
    "toynet, mlp, y",
    [
        (ToyNetClassifier, MLPClassifier, Y3),
        (ToyNetRegressor, MLPRegressor, TARGETS["regression"]),
    ],
    ids=["classifier", "regressor"],
)
def test_autolog_logs_a_toynet_fit_as_an_mlp_fit(toynet, mlp, y):
    params = {"hidden_layer_sizes": (6,), "max_iter": 30, "random_state": 0}
    tm.autolog(log_models=False)
    reference = autologged_run(mlp(**params), y)
    run = autologged_run(toynet(**params), y)
    assert run is not None
    # Every MLP parameter (ToyNet has more), the same training metrics.
    assert set(reference.data.params) <= set(run.data.params)
    assert set(run.data.metrics) == set(reference.data.metrics)
    assert len(run.data.metrics) >= 5
    assert run.data.tags["estimator_name"] == toynet.__name__


def test_autolog_logs_a_pipeline_as_one_run_as_before():
    # ToyNet's fit, patched too, must not open a second run inside the pipeline's.
    tm.autolog(log_models=False)
    n_runs = len(mlflow.search_runs(output_format="list"))
    # Seeded: autolog scores the fit, and an unseeded 20-epoch net leaves a class
    # unpredicted about one time in three (then scikit-learn's precision warns).
    pipe = make_pipeline(
        StandardScaler(), ToyNetClassifier((6,), max_iter=20, random_state=0)
    )
    run = autologged_run(pipe, Y3)
    assert len(mlflow.search_runs(output_format="list")) == n_runs + 1
    assert run.data.params["toynetclassifier__hidden_layer_sizes"] == "(6,)"
    assert run.data.tags["estimator_name"] == "Pipeline"


@pytest.mark.slow  # MLflow infers the requirements in a subprocess
def test_autolog_logs_a_model_that_loads_back():
    tm.autolog()
    est = ToyNetClassifier((6,), max_iter=30, random_state=0)
    run = autologged_run(est, Y3)
    models = mlflow.search_logged_models(
        experiment_ids=[run.info.experiment_id],
        filter_string=f"source_run_id = '{run.info.run_id}'",
        output_format="list",
    )
    assert [m.name for m in models] == ["model"]
    loaded = mlflow.sklearn.load_model(models[0].model_uri)
    np.testing.assert_array_equal(loaded.predict_proba(X), est.predict_proba(X))


def test_autolog_turns_off_and_leaves_mlflow_as_it_was():
    choose = mlflow.sklearn._gen_estimators_to_patch
    tm.autolog(log_models=False)
    assert mlflow.sklearn._gen_estimators_to_patch is choose
    tm.autolog(disable=True)
    assert autologged_run(ToyNetClassifier((6,), max_iter=20), Y3) is None
    tm.autolog(log_models=False)
    mlflow.sklearn.autolog(disable=True)  # MLflow's own switch turns ToyNet's off
    assert autologged_run(ToyNetClassifier((6,), max_iter=20), Y3) is None


def test_autolog_refuses_the_skops_format():
    with pytest.raises(ValueError, match="skops.*log_model"):
        tm.autolog(serialization_format="skops")


# -- training curves ------------------------------------------------------------------
def test_epoch_logger_logs_every_epoch_in_the_active_run():
    est = ToyNetClassifier((6,), early_stopping=True, max_iter=40, random_state=0)
    with mlflow.start_run() as run:
        quiet_fit(est.set_callbacks(tm.EpochLogger()), X, Y3)
    run_id = run.info.run_id
    assert history(run_id, "loss") == steps_and_values(est.loss_curve_)
    assert history(run_id, "validation_score") == steps_and_values(
        est.validation_scores_
    )
    assert history(run_id, "validation_loss") == steps_and_values(
        est.validation_loss_curve_
    )
    assert len(est.loss_curve_) == est.n_iter_ > 1


def test_epoch_logger_without_a_run_starts_and_ends_its_own():
    est = ToyNetRegressor(hidden_layer_sizes=(6,), max_iter=8, solver="lbfgs")
    quiet_fit(
        est.set_callbacks(tm.EpochLogger(prefix="net_")), X, TARGETS["regression"]
    )
    assert mlflow.active_run() is None
    run = mlflow.last_active_run()
    assert run.info.status == "FINISHED"
    assert history(run.info.run_id, "net_loss") == steps_and_values(est.loss_curve_)
    assert set(run.data.metrics) == {"net_loss"}  # no validation without early stop


def test_epoch_logger_goes_on_counting_across_warm_starts_and_partial_fits():
    est = ToyNetClassifier((6,), early_stopping=True, max_iter=6, tol=None)
    est.set_params(random_state=0).set_callbacks(tm.EpochLogger())
    with mlflow.start_run() as run:
        quiet_fit(est, X, Y3)
        quiet_fit(est.set_params(warm_start=True), X, Y3)
        # One more epoch, without validation: the validation curves keep theirs.
        est.set_params(early_stopping=False).partial_fit(X, Y3)
    run_id = run.info.run_id
    assert len(est.loss_curve_) == 13
    assert history(run_id, "loss") == steps_and_values(est.loss_curve_)
    assert history(run_id, "validation_score") == steps_and_values(
        est.validation_scores_
    )
    assert [step for step, _ in history(run_id, "validation_score")] == list(
        range(1, 13)
    )


class FailAt(EpochCallback):
    """A callback that raises at the end of epoch ``n``."""

    def on_fit_task_end(self, estimator, context):
        if context.parent is not None and context.task_id + 1 == self.n:
            raise KeyError("stop here")
        return False


def test_a_fit_that_raises_ends_the_loggers_run_as_failed():
    est = ToyNetClassifier((6,), max_iter=10, random_state=0)
    est.set_callbacks(tm.EpochLogger(), FailAt(3))
    with pytest.raises(KeyError, match="stop here"):
        quiet_fit(est, X, Y3)
    assert mlflow.active_run() is None
    run = mlflow.last_active_run()
    assert run.info.status == "FAILED"
    assert [step for step, _ in history(run.info.run_id, "loss")] == [1, 2, 3]


def test_epoch_logger_under_autolog_fills_the_autologged_run():
    tm.autolog(log_models=False)
    est = ToyNetClassifier((6,), early_stopping=True, max_iter=20, random_state=0)
    run = autologged_run(est.set_callbacks(tm.EpochLogger()), Y3)
    assert "training_score" in run.data.metrics
    assert run.data.params["early_stopping"] == "True"
    assert history(run.info.run_id, "loss") == steps_and_values(est.loss_curve_)


def test_a_model_with_an_epoch_logger_still_pickles():
    # Autologging saves models with cloudpickle, callbacks included.
    est = ToyNetClassifier((6,), max_iter=5, random_state=0)
    with mlflow.start_run():
        quiet_fit(est.set_callbacks(tm.EpochLogger()), X, Y3)
    loaded = pickle.loads(pickle.dumps(est))
    np.testing.assert_array_equal(loaded.predict_proba(X), est.predict_proba(X))


@pytest.mark.parametrize("Est", [ToyNetClassifier, MLPClassifier])
def test_log_training_curves_after_the_fit(Est):
    est = Est(hidden_layer_sizes=(6,), early_stopping=True, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        est.set_params(max_iter=25).fit(X, Y3)
    with mlflow.start_run() as run:
        n_epochs = tm.log_training_curves(est, prefix="mlp_")
    assert n_epochs == len(est.loss_curve_)
    run_id = run.info.run_id
    assert history(run_id, "mlp_loss") == steps_and_values(est.loss_curve_)
    assert history(run_id, "mlp_validation_score") == steps_and_values(
        est.validation_scores_
    )


def test_log_training_curves_aligns_a_late_validation_curve_with_the_end():
    est = model("binary", max_iter=5, tol=None)
    quiet_fit(
        est.set_params(warm_start=True, early_stopping=True), X, TARGETS["binary"]
    )
    assert len(est.loss_curve_) == 10 and len(est.validation_scores_) == 5
    with mlflow.start_run() as run:
        tm.log_training_curves(est)
    assert history(run.info.run_id, "validation_score") == steps_and_values(
        est.validation_scores_, first_step=6
    )


# -- the optional dependency ----------------------------------------------------------
def test_without_mlflow_the_module_names_the_extra():
    code = (
        "import sys, sklearn_toynet\n"
        "assert 'mlflow' not in sys.modules\n"
        "sys.modules['mlflow'] = None  # as if not installed\n"
        "try:\n"
        "    import sklearn_toynet.mlflow\n"
        "except ImportError as exc:\n"
        "    print(exc)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True
    ).stdout
    assert 'the mlflow extra (pip install ".[mlflow]"' in out


def test_trusted_types_is_the_packages_one_list():
    assert tm.TRUSTED_TYPES is sklearn_toynet.TRUSTED_TYPES
