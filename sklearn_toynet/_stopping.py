"""When a fit stops: divergence checks and the no-improvement rule.

Pure bookkeeping over a fit's ``state`` dict (its fitted attributes, being
trained on a copy); the loops that call these live in ``_fitting``.
"""

import math

import numpy as np

# MLP's message, word for word, then what else to try.
MLP_DIVERGED = (
    "Solver produced non-finite parameter weights. The input data may contain "
    "large values and need to be preprocessed."
)
DIVERGED = (
    MLP_DIVERGED + " Otherwise, learning_rate_init={lr} is too large: lower it, "
    "or set max_grad_norm."
)
DIVERGED_LBFGS = MLP_DIVERGED + " Scale it, for example with StandardScaler."


def check_loss(est, state, loss):
    """Raise if the epoch's loss is not finite or has exploded (divergence)."""
    if not math.isfinite(loss):
        raise ValueError(_diverged_message(est))
    check_not_exploding(est, state, loss)


def check_weights(est, net, flat):
    """Raise if a parameter or a batch-norm running statistic is not finite."""
    arrays = [flat]
    if net.batch_norm is not None:
        # Running statistics are not trained, but prediction divides by them.
        arrays += net.batch_norm.running_means + net.batch_norm.running_vars
    if not all(_finite(a) for a in arrays):
        raise ValueError(_diverged_message(est))


def _finite(a):
    """Whether every entry of ``a`` is finite; a dot product first (no temporary).

    A NaN or an infinity makes ``a . a`` NaN or infinite; so can finite
    entries beyond ``1e154``, which the exact elementwise check then clears.
    """
    with np.errstate(over="ignore", invalid="ignore"):
        if np.isfinite(np.dot(a.ravel(), a.ravel())):
            return True
    return bool(np.isfinite(a).all())


def _diverged_message(est):
    if est.solver == "lbfgs":
        return DIVERGED_LBFGS
    return DIVERGED.format(lr=est.learning_rate_init)


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


def trained_arrays(net):
    """The arrays a fit changes: ``params()`` and batch norm's running statistics."""
    arrays = net.params()
    if net.batch_norm is not None:
        arrays += net.batch_norm.running_means + net.batch_norm.running_vars
    return arrays


def update_no_improvement(est, state, early_stopping, net):
    """Update the no-improvement count and best scores after an epoch."""
    if early_stopping:
        score = state["validation_scores_"][-1]
        if est.tol is not None and score < state["best_validation_score_"] + est.tol:
            state["_no_improvement_count"] += 1
        else:
            state["_no_improvement_count"] = 0
        if score > state["best_validation_score_"]:
            state["best_validation_score_"] = score
            state["_best_params"] = [p.copy() for p in trained_arrays(net)]
        return
    loss = state["loss_curve_"][-1]
    if est.tol is not None and loss > state["best_loss_"] - est.tol:
        state["_no_improvement_count"] += 1
    else:
        state["_no_improvement_count"] = 0
    state["best_loss_"] = min(state["best_loss_"], loss)


def no_improvement_message(est, early_stopping):
    what = "Validation score" if early_stopping else "Training loss"
    return (
        f"{what} did not improve more than tol={est.tol:f} for "
        f"{est.n_iter_no_change} consecutive epochs."
    )
