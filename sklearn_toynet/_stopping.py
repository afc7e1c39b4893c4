"""When a fit stops: divergence checks and the no-improvement rule.

Pure bookkeeping over a fit's :class:`~._state.FitState` and the call's
:class:`~._state.TrainingSettings`; the loops that call these live in
``_training``.
"""

import math

from ._array_api import xp_of

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


def check_loss(settings, state, loss):
    """Raise if the epoch's loss is not finite or has exploded (divergence)."""
    if not math.isfinite(loss):
        raise ValueError(_diverged_message(settings))
    check_not_exploding(settings, state.loss_curve_, loss)


def check_weights(settings, net, flat):
    """Raise if a parameter (all in ``flat``) or a running statistic is not finite."""
    if not all(_finite(a) for a in [flat, *_running_statistics(net)]):
        raise ValueError(_diverged_message(settings))


def trained_arrays(net):
    """The arrays a fit changes: ``params()`` and batch norm's running statistics."""
    return net.params() + _running_statistics(net)


def _running_statistics(net):
    # Not trained, but a fit moves them, and prediction divides by them.
    if net.batch_norm is None:
        return []
    return net.batch_norm.running_means + net.batch_norm.running_vars


def _finite(a):
    """Whether every entry of ``a`` is finite, in any array library."""
    xp = xp_of(a)
    return bool(xp.all(xp.isfinite(a)))


def _diverged_message(settings):
    if settings.solver == "lbfgs":
        return DIVERGED_LBFGS
    return DIVERGED.format(lr=settings.learning_rate_init)


# A loss this many times its first epoch's (and above this many times 1) means
# the steps are blowing the weights up, long before they overflow: no useful fit
# gets there. The floor keeps a fit that starts near zero loss from tripping it.
EXPLOSION_FACTOR = 1e6


def check_not_exploding(settings, curve, loss):
    """Raise if ``loss`` is far above the first of the ``curve`` so far."""
    # Both bounds, compared in turn: ``max(curve[0], 1.0)`` is a builtin call
    # every epoch (a blog step is one epoch).
    if curve and loss > EXPLOSION_FACTOR * curve[0] and loss > EXPLOSION_FACTOR:
        raise ValueError(
            f"The training loss exploded from {curve[0]:.4g} to {loss:.4g}: "
            f"learning_rate_init={settings.learning_rate_init} is too large for "
            "this data (lower it, scale the data, or set max_grad_norm)."
        )


def update_no_improvement(settings, state):
    """Count an epoch that did not improve by ``tol``; True for a best score.

    With early stopping the validation score counts (True when this epoch's
    is the best yet: its weights are the ones to return); else the loss.
    """
    if settings.early_stopping:
        score = state.validation_scores_[-1]
        best = state.best_validation_score_
        if settings.tol is not None and score < best + settings.tol:
            state._no_improvement_count += 1
        else:
            state._no_improvement_count = 0
        if score > best:
            state.best_validation_score_ = score
            return True
        return False
    loss = state.loss_curve_[-1]
    if settings.tol is not None and loss > state.best_loss_ - settings.tol:
        state._no_improvement_count += 1
    else:
        state._no_improvement_count = 0
    if loss < state.best_loss_:  # min(), without the call
        state.best_loss_ = loss
    return False


def no_improvement_message(settings):
    what = "Validation score" if settings.early_stopping else "Training loss"
    return (
        f"{what} did not improve more than tol={settings.tol:f} for "
        f"{settings.n_iter_no_change} consecutive epochs."
    )
