"""Epoch-level fitting: the stochastic solvers' epoch loop and the L-BFGS run.

The estimator hands over a ``state`` dict (its fitted attributes, copied) and
validated, encoded data; these functions train the copy in place. The estimator
adopts the state only when fitting succeeds, so a failed call loses nothing.
"""

import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split

from ._optimizers import SGD, Adam
from ._training import Workspace, fit_lbfgs, run_epoch

DIVERGED = (
    "Solver produced non-finite parameter weights. The input data may contain "
    "large values and need to be preprocessed, or learning_rate_init={lr} is too "
    "large (lower it, or set max_grad_norm)."
)
DIVERGED_LBFGS = (
    "Solver produced non-finite parameter weights. The input data may contain "
    "large values and need to be preprocessed (for example with StandardScaler)."
)


def check_finite(est, net, loss):
    arrays = net.params()
    if net.batch_norm is not None:
        # Running statistics are not trained, but prediction divides by them.
        arrays += net.batch_norm.running_means + net.batch_norm.running_vars
    if not np.isfinite(loss) or not all(np.isfinite(a).all() for a in arrays):
        if est.solver == "lbfgs":
            raise ValueError(DIVERGED_LBFGS)
        raise ValueError(DIVERGED.format(lr=est.learning_rate_init))


# A loss this many times its first epoch's (and above this many times 1) means
# the steps are blowing the weights up, long before they overflow: no useful fit
# gets there. The floor keeps a fit that starts near zero loss from tripping it.
EXPLOSION_FACTOR = 1e6


def check_not_exploding(est, state, loss):
    curve = state["loss_curve_"]
    if curve and loss > EXPLOSION_FACTOR * max(curve[0], 1.0):
        raise ValueError(
            f"The training loss exploded from {curve[0]:.4g} to {loss:.4g}: "
            f"learning_rate_init={est.learning_rate_init} is too large for this "
            "data (lower it, scale the data, or set max_grad_norm)."
        )


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
    arrays = (X, Y) if sample_weight is None else (X, Y, sample_weight)
    parts = train_test_split(
        *arrays,
        test_size=est.validation_fraction,
        random_state=state["_rng"],
        stratify=stratify,
    )
    if parts[1].shape[0] < 2:
        raise ValueError(
            "The validation set is too small. Increase 'validation_fraction' "
            "or the size of your dataset."
        )
    train, val = parts[0::2], parts[1::2]
    if sample_weight is None:
        train, val = (*train, None), (*val, None)
    return train, val


def _batch_size(est, n_samples):
    if est.batch_size == "auto":
        return min(200, n_samples)
    if est.batch_size > n_samples:
        warnings.warn(
            "Got `batch_size` less than 1 or larger than sample size. It is going "
            "to be clipped"
        )
    return int(np.clip(est.batch_size, 1, n_samples))


def _trained_arrays(net):
    """The arrays a fit changes: ``params()`` and batch norm's running statistics."""
    arrays = net.params()
    if net.batch_norm is not None:
        arrays += net.batch_norm.running_means + net.batch_norm.running_vars
    return arrays


def _improved(est, state, early_stopping, net):
    """Update the no-improvement count and best scores after an epoch."""
    if early_stopping:
        score = state["validation_scores_"][-1]
        if est.tol is not None and score < state["best_validation_score_"] + est.tol:
            state["_no_improvement_count"] += 1
        else:
            state["_no_improvement_count"] = 0
        if score > state["best_validation_score_"]:
            state["best_validation_score_"] = score
            state["_best_params"] = [p.copy() for p in _trained_arrays(net)]
        return
    loss = state["loss_curve_"][-1]
    if est.tol is not None and loss > state["best_loss_"] - est.tol:
        state["_no_improvement_count"] += 1
    else:
        state["_no_improvement_count"] = 0
    state["best_loss_"] = min(state["best_loss_"], loss)


def fit_stochastic(est, state, net, X, Y, sample_weight, incremental, hooks):
    """Run epochs of "sgd" or "adam" on ``net`` until a stopping rule fires.

    ``hooks`` (see ``_callbacks``) runs the estimator's callbacks around each
    epoch; one that asks to stop ends the fit after that epoch.
    """
    if state.get("_optimizer") is None or not incremental:
        state["_optimizer"] = make_optimizer(est, net.params())
    optimizer = state["_optimizer"]
    # As MLPClassifier: n_iter_ counts this call's epochs (warm start or not; 1
    # after partial_fit); t_ counts every sample seen.
    state["n_iter_"] = 0
    early_stopping = est.early_stopping and not incremental
    if early_stopping:
        (X, Y, sample_weight), validation = _validation_split(
            est, state, X, Y, sample_weight
        )
    settings = est._train_settings(batch_size=_batch_size(est, X.shape[0]))
    workspace = Workspace(net, X.dtype)
    rng = state["_rng"]
    try:
        for _ in range(est.max_iter):
            hooks.begin_epoch()
            loss = run_epoch(
                net, optimizer, workspace, X, Y, sample_weight, settings, rng
            )
            try:
                check_finite(est, net, loss)
                check_not_exploding(est, state, loss)
            except ValueError:
                if not early_stopping or state.get("_best_params") is None:
                    raise
                # As MLPClassifier: with a best epoch to fall back on, divergence
                # is no error; the epoch scores NaN and the best weights return.
                hooks.abandon_epoch()
                state["n_iter_"] += 1
                state["t_"] += X.shape[0]
                state["loss_"] = loss
                state["loss_curve_"].append(loss)
                state["validation_scores_"].append(np.nan)
                break
            state["n_iter_"] += 1
            state["t_"] += X.shape[0]
            state["loss_"] = loss
            state["loss_curve_"].append(loss)
            if est.verbose:
                print("Iteration %d, loss = %.8f" % (state["n_iter_"], loss))
            if early_stopping:
                state["validation_scores_"].append(est._outputs_score(net, *validation))
                if est.verbose:
                    print("Validation score: %f" % state["validation_scores_"][-1])
            _improved(est, state, early_stopping, net)
            optimizer.iteration_ends(state["t_"])
            if hooks.end_epoch():
                break
            if state["_no_improvement_count"] > est.n_iter_no_change:
                what = "Validation score" if early_stopping else "Training loss"
                msg = (
                    f"{what} did not improve more than tol={est.tol:f} for "
                    f"{est.n_iter_no_change} consecutive epochs."
                )
                if optimizer.trigger_stopping(msg, est.verbose):
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
        for param, best in zip(_trained_arrays(net), state.pop("_best_params")):
            param[...] = best


def fit_full_batch(est, state, net, X, Y, sample_weight, hooks):
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
    check_finite(est, net, result.fun)
    state["n_iter_"] = int(result.nit)
    state["loss_"] = float(result.fun)
    state["best_loss_"] = min(curve, default=float(result.fun))
    if result.status != 0 and est.tol is not None and not stopped_by_callback:
        warnings.warn(
            f"lbfgs failed to converge after {result.nit} iteration(s) "
            f"(status={result.status}): {result.message}. Increase the number of "
            "iterations (max_iter) or the number of loss evaluations (max_fun), or "
            "scale the data.",
            ConvergenceWarning,
        )
