"""Track ToyNet models with MLflow: log and load them, autolog, training curves.

MLflow's scikit-learn flavor handles ToyNet estimators once it is told two
things it cannot find out by itself, which this module tells it:

- which of the package's types its safe ``skops`` format may load:
  :func:`log_model` and :func:`save_model` pass ``sklearn_toynet.TRUSTED_TYPES``
  (the list skops users pass to ``skops.io.load``), and MLflow stores it with
  the model, so that ``mlflow.sklearn.load_model`` loads it as it is;
- that ToyNet's ``fit`` is a training method to autolog: :func:`autolog` turns
  on ``mlflow.sklearn.autolog`` with ToyNet's estimators among the classes it
  patches (it patches only scikit-learn's own otherwise).

:class:`EpochLogger`, a scikit-learn callback, logs the loss and the validation
score after every epoch as the fit runs; :func:`log_training_curves` logs the
same curves of a model already fitted. MLP has no such curves in MLflow.

Needs the ``mlflow`` extra: ``pip install ".[mlflow]"`` from a clone
(``mlflow-skinny`` with the pieces MLflow's scikit-learn flavor and its local
database store need: pandas, SQLAlchemy, Alembic and skops).
"""

import contextlib
import time
from dataclasses import dataclass, field

try:
    import mlflow
    import mlflow.sklearn
    from mlflow.entities import Metric
except ImportError as exc:  # pragma: no cover - depends on the environment
    raise ImportError(
        "sklearn_toynet.mlflow needs MLflow: the mlflow extra "
        '(pip install ".[mlflow]" from a clone of the repository)'
    ) from exc
from sklearn.base import BaseEstimator

from ._classifier import ToyNetClassifier
from ._persistence import TRUSTED_TYPES
from ._regressor import ToyNetRegressor

__all__ = ["EpochLogger", "autolog", "log_model", "log_training_curves", "save_model"]

ESTIMATORS = (ToyNetClassifier, ToyNetRegressor)

#: MLflow metric name -> the fitted attribute holding its value for each epoch.
CURVES = {
    "loss": "loss_curve_",
    "validation_score": "validation_scores_",
    "validation_loss": "validation_loss_curve_",
}


# -- logging and saving models --------------------------------------------------------
def _trusted(extra):
    """``TRUSTED_TYPES`` and the caller's own trusted types, once each."""
    return sorted(set(TRUSTED_TYPES) | set(extra or ()))


def _estimators_in(obj, seen=None):
    """Every scikit-learn estimator reachable from ``obj``'s attributes."""
    seen = set() if seen is None else seen
    if id(obj) in seen:
        return
    seen.add(id(obj))
    if isinstance(obj, BaseEstimator):
        yield obj
        children = vars(obj).values()
    elif isinstance(obj, (list, tuple)):
        children = obj
    elif isinstance(obj, dict):
        children = obj.values()
    else:
        return
    for child in children:
        yield from _estimators_in(child, seen)


@contextlib.contextmanager
def _without_callbacks(model):
    """Take the callbacks off every estimator in ``model`` for the duration.

    Callbacks (an :class:`EpochLogger`, a progress bar) belong to the training
    run, not to the model; left on, they would be saved with it, and skops would
    refuse to load their types.
    """
    held = []
    for est in _estimators_in(model):
        callbacks = vars(est).pop("_skl_callbacks", None)
        if callbacks is not None:
            held.append((est, callbacks))
    try:
        yield
    finally:
        for est, callbacks in held:
            vars(est)["_skl_callbacks"] = callbacks  # as popped above


def log_model(model, name=None, *, skops_trusted_types=None, **kwargs):
    """Log a fitted ToyNet estimator, or a pipeline holding one, to the active run.

    ``mlflow.sklearn.log_model`` with ToyNet's types trusted: MLflow saves the
    model in the skops format (its default outside Databricks) and records the
    trusted types with it, so that ``mlflow.sklearn.load_model(uri)`` and
    ``mlflow.pyfunc.load_model(uri)`` load it back with no argument. The model is
    logged without the callbacks set on its estimators (they stay set on
    ``model``).

    Parameters
    ----------
    model : estimator
        A fitted ToyNet estimator, or a scikit-learn composite (a pipeline, a
        search) holding one.
    name : str, default=None
        The model's name in the run; when None, MLflow makes one up.
    skops_trusted_types : list of str, default=None
        Types to trust besides ``sklearn_toynet.TRUSTED_TYPES``: those of other
        packages' estimators in the pipeline.
    **kwargs
        Passed on to ``mlflow.sklearn.log_model``: ``input_example``,
        ``signature``, ``registered_model_name``, ``serialization_format``...

    Returns
    -------
    model_info : mlflow.models.model.ModelInfo
        What MLflow returns: ``model_info.model_uri`` loads the model.
    """
    with _without_callbacks(model):
        return mlflow.sklearn.log_model(
            model,
            name=name,
            skops_trusted_types=_trusted(skops_trusted_types),
            **kwargs,
        )


def save_model(model, path, *, skops_trusted_types=None, **kwargs):
    """Save a fitted ToyNet estimator, or a pipeline holding one, as an MLflow model.

    ``mlflow.sklearn.save_model`` with ToyNet's types trusted, as
    :func:`log_model`; ``mlflow.sklearn.load_model(path)`` loads it back.

    Parameters
    ----------
    model : estimator
        A fitted ToyNet estimator, or a scikit-learn composite holding one.
    path : str or path-like
        The folder to create; it must not exist.
    skops_trusted_types : list of str, default=None
        Types to trust besides ``sklearn_toynet.TRUSTED_TYPES``.
    **kwargs
        Passed on to ``mlflow.sklearn.save_model``.

    Returns
    -------
    None
    """
    with _without_callbacks(model):
        mlflow.sklearn.save_model(
            model,
            str(path),
            skops_trusted_types=_trusted(skops_trusted_types),
            **kwargs,
        )


# -- autologging ----------------------------------------------------------------------
def autolog(**kwargs):
    """Turn on MLflow's scikit-learn autologging, ToyNet's estimators included.

    ``mlflow.sklearn.autolog`` patches the ``fit`` of the classes scikit-learn
    lists in ``sklearn.utils.all_estimators()``, which names scikit-learn's own
    only: a bare ``ToyNetClassifier().fit(X, y)`` logs nothing (inside a
    ``Pipeline`` or a ``GridSearchCV`` it is logged as part of them). This
    function calls it with ToyNet's two estimators added to those classes, so
    that a ToyNet fit logs what an MLP fit logs: its parameters, its training
    metrics and the model. ``autolog(disable=True)`` turns it all off, as does
    ``mlflow.sklearn.autolog(disable=True)``. A later ``mlflow.sklearn.autolog()``
    or ``mlflow.autolog()`` patches scikit-learn's classes again, without
    ToyNet's: call this function after them.

    Parameters
    ----------
    **kwargs
        ``mlflow.sklearn.autolog``'s parameters (``log_models``,
        ``log_datasets``, ``disable``, ``silent``, ``max_tuning_runs``,
        ``log_post_training_metrics``, ``registered_model_name``,
        ``pos_label``, ``extra_tags``...). ``serialization_format="skops"`` is
        refused: autologging cannot pass the trusted types that a ToyNet model
        needs in that format (log it with :func:`log_model` instead).

    Returns
    -------
    None

    Raises
    ------
    ValueError
        For ``serialization_format="skops"``.
    RuntimeError
        If the installed MLflow no longer chooses the classes to patch as this
        function expects (``mlflow.sklearn._gen_estimators_to_patch``).
    """
    if kwargs.get("serialization_format") == "skops":
        raise ValueError(
            "autolog cannot log ToyNet models in the skops format: MLflow's "
            "autologging passes no skops_trusted_types. Keep its default format "
            "(cloudpickle), or turn off log_models and log the model with "
            "sklearn_toynet.mlflow.log_model."
        )
    # MLflow has no public way to add classes to scikit-learn autologging. It
    # asks this module-level function which classes to patch, while
    # ``mlflow.sklearn.autolog`` runs: answer with ToyNet's added, then restore.
    choose = getattr(mlflow.sklearn, "_gen_estimators_to_patch", None)
    if not callable(choose):
        raise RuntimeError(
            f"MLflow {mlflow.__version__} chooses the classes that "
            "mlflow.sklearn.autolog patches in a way sklearn_toynet.mlflow does "
            "not know; ToyNet estimators cannot be autologged with it."
        )

    def with_toynet():
        chosen = list(choose())
        return chosen + [cls for cls in ESTIMATORS if cls not in chosen]

    mlflow.sklearn._gen_estimators_to_patch = with_toynet
    try:
        mlflow.sklearn.autolog(**kwargs)
    finally:
        mlflow.sklearn._gen_estimators_to_patch = choose


# -- training curves ------------------------------------------------------------------
def _lengths(model):
    """``{metric name: length}`` of ``model``'s curves (those it keeps)."""
    curves = {
        name: getattr(model, attribute, None) for name, attribute in CURVES.items()
    }
    return {name: len(curve) for name, curve in curves.items() if curve is not None}


def _epoch_values(model, epoch):
    """``{metric name: value}`` of ``model``'s curves at ``epoch`` (1-based)."""
    values = {}
    for name, attribute in CURVES.items():
        curve = getattr(model, attribute, None)
        if curve is None:
            continue
        # The validation curves may be shorter (a warm start turned early
        # stopping on): they are taken to end at the last epoch, as they then do.
        offset = len(model.loss_curve_) - len(curve)
        if epoch - offset >= 1:
            values[name] = float(curve[epoch - offset - 1])
    return values


def log_training_curves(model, *, run_id=None, prefix=""):
    """Log the per-epoch curves of a fitted ToyNet (or MLP) estimator.

    Logs, with ``step`` the epoch number (1 for the first), the training loss
    (``loss_curve_``, as metric ``"loss"``) and, after a fit with early
    stopping, the validation score (``validation_scores_``,
    ``"validation_score"``) and, for ToyNet, the validation loss
    (``validation_loss_curve_``, ``"validation_loss"``), in a few batched calls.
    A validation curve shorter than the loss's (a warm start that turned early
    stopping on) is taken to end at the last epoch. For the curves as the fit
    runs, epoch by epoch, use :class:`EpochLogger`.

    Parameters
    ----------
    model : estimator
        A fitted ToyNet estimator, or an ``MLPClassifier`` or ``MLPRegressor``;
        for a pipeline, pass its last step.
    run_id : str, default=None
        The run to log to; the active run when None (MLflow starts one if none
        is active, as ``mlflow.log_metric`` does).
    prefix : str, default=""
        Put before each metric's name, to tell several models' curves apart in
        one run.

    Returns
    -------
    n_epochs : int
        The number of epochs logged.
    """
    if run_id is None:
        run = mlflow.active_run() or mlflow.start_run()
        run_id = run.info.run_id
    n_epochs = len(model.loss_curve_)
    now = int(time.time() * 1000)
    metrics = [
        Metric(prefix + name, value, now, epoch)
        for epoch in range(1, n_epochs + 1)
        for name, value in _epoch_values(model, epoch).items()
    ]
    client = mlflow.MlflowClient()
    batch = 1000  # MLflow's limit on the metrics of one log_batch call
    for start in range(0, len(metrics), batch):
        client.log_batch(run_id, metrics=metrics[start : start + batch])
    return n_epochs


@dataclass
class _LoggedFit:
    """What an :class:`EpochLogger` keeps of one fit, between its hooks."""

    run_id: str
    started: bool  # whether the logger started the run (and so ends it)
    # The asynchronous logging operations not yet waited for.
    pending: list = field(default_factory=list)
    # Each curve's length when the current epoch began.
    lengths: dict = field(default_factory=dict)
    ended: bool = False  # whether the whole fit ended (False if it raised)


class EpochLogger:
    """Callback logging the loss and validation score of each epoch to MLflow.

    Set on a ToyNet estimator with ``set_callbacks`` (scikit-learn >= 1.9), it
    logs after every epoch (with ``solver="lbfgs"``, every iteration), with
    ``step`` the epoch number: the training loss as ``"loss"`` (the value
    appended to ``loss_curve_``) and, with early stopping, the validation score
    as ``"validation_score"`` and the validation loss as ``"validation_loss"``.
    A warm-started fit or a ``partial_fit`` goes on counting epochs where the
    previous call stopped. The metrics are sent in the background as the fit
    runs (MLflow's asynchronous logging) and all have reached the tracking
    store when ``fit`` returns.

    Parameters
    ----------
    run_id : str, default=None
        The run to log to. When None, the run active when ``fit`` starts (the
        one ``mlflow.start_run()`` or autologging opened); if none is active, a
        new run, ended when ``fit`` ends (``mlflow.last_active_run()`` returns
        it). Around a loop of ``partial_fit`` calls, open a run, or each call
        gets its own.
    prefix : str, default=""
        Put before each metric's name, to tell several models apart in one run.

    Notes
    -----
    Set it on a model you fit yourself, not on one that a search clones and
    fits many times: each of those fits would log to the same run, over the
    same steps (and with ``n_jobs``, from other processes, which do not share
    this one's tracking settings). Autologging logs searches as MLflow does.

    See Also
    --------
    log_training_curves : The same curves, logged after the fit.
    """

    def __init__(self, run_id=None, prefix=""):
        self.run_id = run_id
        self.prefix = prefix
        self._fit = None  # this fit's run and pending operations, between hooks

    def setup(self, estimator, context):
        """Choose the run to log to, starting one if none is active."""
        run_id, started = self.run_id, False
        if run_id is None:
            active = mlflow.active_run()
            if active is None:
                active, started = mlflow.start_run(), True
            run_id = active.info.run_id
        self._fit = _LoggedFit(run_id, started)

    def on_fit_task_begin(self, estimator, context, *, fitted_estimator=None):
        """Note how long each curve is before an epoch."""
        if context.parent is not None and fitted_estimator is not None:
            self._fit.lengths = _lengths(fitted_estimator)

    def on_fit_task_end(self, estimator, context, *, fitted_estimator=None):
        """Log what the epoch added to each curve; never asks the fit to stop."""
        if context.parent is None:  # the whole fit, not an epoch
            self._fit.ended = True
            return False
        if fitted_estimator is None:  # an epoch begun but not run
            return False
        before = self._fit.lengths
        values = {
            self.prefix + name: float(getattr(fitted_estimator, CURVES[name])[-1])
            for name, length in _lengths(fitted_estimator).items()
            if length > before.get(name, 0)
        }
        operation = mlflow.log_metrics(
            values,
            step=len(fitted_estimator.loss_curve_),
            run_id=self._fit.run_id,
            synchronous=False,
        )
        self._fit.pending.append(operation)
        return False

    def teardown(self, estimator, context):
        """Wait until every value is logged; end the run if this callback began it."""
        fit, self._fit = self._fit, None
        try:
            for operation in fit.pending:
                operation.wait()
        finally:
            if fit.started:
                mlflow.end_run("FINISHED" if fit.ended else "FAILED")
