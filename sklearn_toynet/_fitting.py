"""The fit loops: epochs of "sgd"/"adam" and the L-BFGS run, in named steps.

The estimator hands over a ``state`` dict (its fitted attributes, copied), the
network over those arrays, flattened, and validated, encoded data; these
functions train the copy in place. The estimator adopts the state only when
fitting succeeds, so a failed call loses nothing.
"""

import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split

from ._continued import scratch
from ._optimizers import SGD, Adam
from ._stopping import (
    check_loss,
    check_weights,
    no_improvement_message,
    trained_arrays,
    update_no_improvement,
)
from ._training import Workspace, fit_lbfgs, run_epoch
from ._validation import ValidationMonitor, ValidationSet, start_validation


def make_optimizer(est, params):
    if est.solver == "sgd":
        return SGD(
            params,
            est.learning_rate_init,
            est.learning_rate,
            est.momentum,
            est.nesterovs_momentum,
            est.power_t,
        )
    return Adam(params, est.learning_rate_init, est.beta_1, est.beta_2, est.epsilon)


def _validation_split(est, state, X, Y, sample_weight):
    stratify = Y if est._stratify_validation(Y) else None
    if stratify is not None:
        _check_stratifiable(est, Y)
    arrays = (X, Y) if sample_weight is None else (X, Y, sample_weight)
    try:
        parts = train_test_split(
            *arrays,
            test_size=est.validation_fraction,
            random_state=state["_rng"],
            stratify=stratify,
        )
    except ValueError as error:
        if stratify is None or "number of classes" not in str(error):
            raise
        raise ValueError(f"{error}. {_STRATIFIED % est.validation_fraction}") from None
    if parts[1].shape[0] < 2:
        raise ValueError(
            "The validation set is too small. Increase 'validation_fraction' "
            "or the size of your dataset."
        )
    train, val = parts[0::2], parts[1::2]
    if sample_weight is not None and not train[2].any():
        raise ValueError(
            "Every sample left for training after the validation split has "
            "sample_weight 0. Give more samples a non-zero weight, or lower "
            "'validation_fraction'."
        )
    if sample_weight is None:
        train, val = (*train, None), (*val, None)
    return train, ValidationSet(*val)


_STRATIFIED = (
    "early_stopping=True holds out validation_fraction=%s of the rows, stratified "
    "by class: each class needs a sample on either side. Change "
    "validation_fraction, or set early_stopping=False."
)


def _check_stratifiable(est, Y):
    """Raise, naming them by label, if a class has too few samples to split."""
    labels, counts = np.unique(est._decode(Y), return_counts=True)
    if counts.min() < 2:
        # scikit-learn's words (as MLP raises them), with the labels as given.
        few = labels[counts < 2].tolist()
        hint = _STRATIFIED % est.validation_fraction
        raise ValueError(
            "The least populated classes in y have only 1 member, which is too "
            "few. The minimum number of groups for any class cannot be less than "
            f"2. Classes with too few members are: {few}. {hint}"
        )


def batch_rows(est, n_samples):
    """Rows of one mini-batch: ``batch_size`` ("auto": 200) within ``n_samples``."""
    if est.batch_size == "auto":
        return min(200, n_samples)
    return int(np.clip(est.batch_size, 1, n_samples))


def _batch_size(est, n_samples):
    if est.batch_size != "auto" and est.batch_size > n_samples:
        warnings.warn(
            "Got `batch_size` less than 1 or larger than sample size. It is going "
            "to be clipped"
        )
    return batch_rows(est, n_samples)


def _record_epoch(est, state, loss, n_samples):
    state["n_iter_"] += 1
    state["t_"] += n_samples
    state["loss_"] = loss
    state["loss_curve_"].append(loss)
    if est.verbose:
        print("Iteration %d, loss = %.8f" % (state["n_iter_"], loss))


def _record_validation(est, state, loss, score):
    state["validation_loss_curve_"].append(loss)
    state["validation_scores_"].append(score)
    if est.verbose:
        print("Validation score: %f" % score)


def fit_stochastic(
    est, state, net, flat, X, Y, sample_weight, incremental, hooks, validation=None
):
    """Run epochs of "sgd" or "adam" on ``net`` until a stopping rule fires.

    ``hooks`` (see ``_callbacks``) runs the estimator's callbacks around each
    epoch; one that asks to stop ends the fit after that epoch. Early stopping
    scores ``validation`` (a ``ValidationSet``) when given, else a split of ``X``.
    """
    if state.get("_optimizer") is None or not incremental:
        state["_optimizer"] = make_optimizer(est, [flat])
    optimizer = state["_optimizer"]
    # As MLPClassifier: n_iter_ counts this call's epochs (warm start or not; 1
    # after partial_fit); t_ counts every sample seen.
    state["n_iter_"] = 0
    early_stopping = est.early_stopping and not incremental
    if early_stopping:
        if validation is None:
            (X, Y, sample_weight), validation = _validation_split(
                est, state, X, Y, sample_weight
            )
        start_validation(state)
        monitor = ValidationMonitor(est, state, validation)
    elif state["best_loss_"] is None:
        # A continued fit without early stopping after a fit with it (which
        # tracked scores, not the loss): MLP raises a TypeError here.
        state["best_loss_"] = np.inf
    settings = est._train_settings(batch_size=_batch_size(est, X.shape[0]))
    kept = scratch(est)
    workspace = kept["workspace"] = Workspace.reuse(kept.get("workspace"), net, flat)
    workspace.first_step_into = kept.pop("first_step_into", None)
    rng = state["_rng"]
    try:
        for _ in range(est.max_iter):
            hooks.begin_epoch()
            loss = run_epoch(
                net, optimizer, workspace, X, Y, sample_weight, settings, rng
            )
            try:
                check_loss(est, state, loss)
                if early_stopping:  # the validation score needs finite weights
                    check_weights(est, net, workspace.flat)
            except ValueError:
                if not early_stopping or state.get("_best_params") is None:
                    raise
                # As MLPClassifier: with a best epoch to fall back on, divergence
                # is no error; the epoch scores NaN and the best weights return.
                hooks.abandon_epoch()
                _record_epoch(est, state, loss, X.shape[0])
                state["validation_loss_curve_"].append(np.nan)
                state["validation_scores_"].append(np.nan)
                break
            _record_epoch(est, state, loss, X.shape[0])
            if early_stopping:
                _record_validation(est, state, *monitor.evaluate(net))
            update_no_improvement(est, state, early_stopping, net)
            optimizer.iteration_ends(state["t_"])
            if hooks.end_epoch():
                break
            if state["_no_improvement_count"] > est.n_iter_no_change:
                message = no_improvement_message(est, early_stopping)
                if optimizer.trigger_stopping(message, est.verbose):
                    break
                state["_no_improvement_count"] = 0
            if incremental:
                break
        else:
            if est.tol is not None:
                warnings.warn(
                    "Stochastic Optimizer: Maximum iterations (%d) reached and the "
                    "optimization hasn't converged yet." % est.max_iter,
                    ConvergenceWarning,
                )
    except KeyboardInterrupt:
        warnings.warn("Training interrupted by user.")
    if early_stopping and state.get("_best_params") is not None:
        for param, best in zip(trained_arrays(net), state.pop("_best_params")):
            param[...] = best
    check_weights(est, net, workspace.flat)


def fit_full_batch(est, state, net, flat, X, Y, sample_weight, hooks):
    """Run "lbfgs" on the whole data set; each iteration is a callback task."""
    curve = state["loss_curve_"]
    stopped_by_callback = []

    def on_iteration(loss):
        curve.append(loss)
        state["n_iter_"], state["loss_"] = len(curve), loss
        if est.verbose:
            print("Iteration %d, loss = %.8f" % (len(curve), loss))
        if hooks.end_epoch():
            stopped_by_callback.append(True)
            raise StopIteration  # scipy ends the minimization cleanly
        hooks.begin_epoch()

    hooks.begin_epoch()
    result = fit_lbfgs(
        net,
        flat,
        X,
        Y,
        sample_weight,
        est._train_settings(batch_size=X.shape[0]),
        max_iter=est.max_iter,
        max_fun=est.max_fun,
        tol=0.0 if est.tol is None else est.tol,
        on_iteration=on_iteration,
    )
    hooks.abandon_epoch()
    if not np.isfinite(result.fun):
        check_loss(est, state, float(result.fun))
    check_weights(est, net, flat)
    state["n_iter_"] = int(result.nit)
    state["loss_"] = float(result.reported_fun)
    state["best_loss_"] = min(curve, default=state["loss_"])
    if result.status != 0 and est.tol is not None and not stopped_by_callback:
        warnings.warn(lbfgs_warning(result, est.max_iter), ConvergenceWarning)


def lbfgs_warning(result, max_iter):
    """MLP's text for an L-BFGS run that did not converge."""
    n_iter = min(result.nit, max_iter)
    message = (
        f"lbfgs failed to converge after {n_iter} iteration(s) "
        f"(status={result.status}):\n{result.message}\n"
    )
    if n_iter == max_iter:
        message += (
            "\nIncrease the number of iterations to improve the convergence "
            f"(max_iter={max_iter})."
        )
    return message + (
        "\nYou might also want to scale the data as shown in:\n"
        "    https://scikit-learn.org/stable/modules/preprocessing.html"
    )
