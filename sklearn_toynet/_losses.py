"""Losses: their value on a batch and the delta they send into the output layer.

A loss value is a weighted mean over samples of a sum over outputs; the output
delta is its gradient with respect to the output layer's pre-activation ``Z``.
Both start from the error ``P - Y``, computed once. ``reported_loss`` puts a
value on the scale MLP reports (its ``loss_``), which for several outputs is
not always the function whose gradient both train on.

The robust regression losses ("absolute_error", "huber", "quantile") take their
parameters (``huber_delta``, ``quantile``) as keywords; their gradient with
respect to ``P`` is written into the error in place by ``ERROR_GRADIENTS``. At a
kink (``P == Y`` for "absolute_error" and "quantile") the subgradient used is
0: it lies between the one-sided slopes, and a prediction equal to its target
is left where it is.

Label smoothing (a classifier's ``label_smoothing``) replaces 0/1 targets by
``smoothed_targets`` before the error is taken: the canonical deltas stay
``P - Y``, against the smoothed ``Y``, and the log-losses switch to their
soft-target forms, the cross-entropy against a target distribution. Without
smoothing the 0/1 forms run, unchanged.
"""

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

import numpy as np

from ._activations import DERIVATIVES
from ._array_api import is_numpy, namespace, ones_vector


@functools.cache
def _eps(dtype):
    """The dtype's machine epsilon, where the log-losses clip probabilities.

    Looked up once per dtype: ``np.finfo`` took 1.5 us a call inside an epoch's
    loop (0.2 us alone), once per batch.
    """
    return np.finfo(dtype).eps


def log_loss(Y, P, error):
    """Cross-entropy of independent sigmoid outputs (binary, multilabel), per entry.

    With 0/1 targets the probability given to the truth is ``1 - |P - Y|``.
    """
    p_true = np.abs(error)
    np.subtract(1, p_true, out=p_true)
    np.maximum(p_true, _eps(P.dtype), out=p_true)
    np.log(p_true, out=p_true)
    return np.negative(p_true, out=p_true)


def categorical_log_loss(Y, P, error):
    """Cross-entropy of softmax rows against one-hot ``Y``, per row.

    The probability given to the truth is the row sum of ``Y * P``: one term
    of the row is not zero, so the sum is exact in any order. A product with
    ones sums the rows (in an epoch's loop 9 us a batch of 200 x 10, against
    17 us for ``einsum("ij,ij->i")``, the same values).
    """
    p_true = np.multiply(Y, P) @ ones_vector(P.shape[1], P.dtype)
    np.maximum(p_true, _eps(P.dtype), out=p_true)
    np.log(p_true, out=p_true)
    return np.negative(p_true, out=p_true)


def soft_log_loss(Y, P, error):
    """Cross-entropy of sigmoid outputs against targets in [0, 1], per entry.

    ``-(Y log P + (1 - Y) log(1 - P))``: ``log_loss`` for 0/1 targets.
    """
    tiny = np.finfo(P.dtype).eps
    log_P = np.log(np.maximum(P, tiny))
    log_not_P = np.log(np.maximum(1 - P, tiny))
    return -(Y * log_P + (1 - Y) * log_not_P)


def soft_categorical_log_loss(Y, P, error):
    """Cross-entropy of softmax rows against target distributions ``Y``, per row."""
    log_P = np.log(np.maximum(P, np.finfo(P.dtype).eps))
    return -np.einsum("ij,ij->i", Y, log_P)


def squared_error(Y, P, error):
    """Half the squared error, per entry: the blog's loss."""
    return 0.5 * error**2


def poisson(Y, P, error):
    """Half the Poisson deviance (as MLPRegressor), per entry."""
    P = np.maximum(P, np.finfo(P.dtype).tiny)
    Y_log_Y = np.where(Y > 0, Y * np.log(np.where(Y > 0, Y, 1)), 0)
    return Y_log_Y - Y * np.log(P) - Y + P


def absolute_error(Y, P, error):
    """The absolute error ``|P - Y|``, per entry."""
    return np.abs(error)


def huber(Y, P, error, *, huber_delta):
    """Huber's loss, per entry: quadratic near the target, linear far from it.

    Half the squared error up to ``huber_delta``, then
    ``huber_delta * (|error| - huber_delta / 2)``. Written as
    ``m * (|error| - m / 2)`` with ``m = min(|error|, huber_delta)``, which is
    both cases at once and never squares a large error.
    """
    size = np.abs(error)
    m = np.minimum(size, huber_delta)
    size -= 0.5 * m
    size *= m
    return size


def quantile(Y, P, error, *, quantile):
    """The pinball loss of the ``quantile``, per entry.

    ``quantile * (Y - P)`` for a prediction below its target and
    ``(1 - quantile) * (P - Y)`` above it; its minimizer over a sample is the
    sample's ``quantile``. At ``quantile=0.5`` it is half the absolute error.
    """
    return np.maximum((1 - quantile) * error, -quantile * error)


LOSSES = {
    "log_loss": log_loss,
    "categorical_log_loss": categorical_log_loss,
    "soft_log_loss": soft_log_loss,
    "soft_categorical_log_loss": soft_categorical_log_loss,
    "squared_error": squared_error,
    "poisson": poisson,
    "absolute_error": absolute_error,
    "huber": huber,
    "quantile": quantile,
}


# dLoss/dP of the losses whose output delta is not ``P - Y``, from ``error``,
# in place.


def absolute_error_gradient(error):
    """``sign(P - Y)``: 1 above the target, -1 below, 0 on it."""
    return np.sign(error, out=error)


def huber_gradient(error, *, huber_delta):
    """The error clipped to ``[-huber_delta, huber_delta]`` (no kink: continuous)."""
    return np.clip(error, -huber_delta, huber_delta, out=error)


def quantile_gradient(error, *, quantile):
    """``1 - quantile`` above the target, ``-quantile`` below, 0 on it."""
    above, below = error > 0, error < 0
    error[...] = 0
    error[above] = 1 - quantile
    error[below] = -quantile
    return error


ERROR_GRADIENTS = {
    "absolute_error": absolute_error_gradient,
    "huber": huber_gradient,
    "quantile": quantile_gradient,
}

# Output activations for which dLoss/dZ is simply ``P - Y`` (the canonical link).
# Losses MLP reports as a mean over outputs (its ``squared_loss``); the others
# (log-losses, Poisson) it sums over outputs, as the value here does. Either
# way MLP, like ToyNet, steps along the gradient of the sum.
AVERAGED_OVER_OUTPUTS = {"squared_error", "absolute_error", "huber", "quantile"}


def reported_loss(loss, value, n_outputs):
    """A loss ``value`` (summed over outputs) on MLP's scale.

    With ``k`` outputs, MLP reports the squared error averaged over them: the
    value divided by ``k``. The robust regression losses are averaged the same
    way, as scikit-learn's regression metrics average over outputs. Stopping
    rules compare these numbers with ``tol``.
    """
    return value / n_outputs if loss in AVERAGED_OVER_OUTPUTS else value


CANONICAL = {
    ("log_loss", "logistic"),
    ("log_loss", "softmax"),
    ("squared_error", "identity"),
    ("poisson", "exp"),
}


def smoothed_targets(Y, out_activation, label_smoothing):
    """0/1 targets pulled towards uniform: ``Y * (1 - eps) + eps / K``.

    ``K`` is the number of classes an output's target chooses between: every
    output of a softmax (multiclass), or 2 for each sigmoid output (binary,
    multilabel). Any array library's ``Y``; a new array of its dtype.
    """
    n_classes = Y.shape[1] if out_activation == "softmax" else 2
    return Y * (1 - label_smoothing) + label_smoothing / n_classes


def _loss_name(loss, out_activation, soft):
    """The key of ``LOSSES`` for ``loss`` on ``out_activation``'s outputs.

    ``soft``: the targets are smoothed, so not 0/1.
    """
    if loss != "log_loss":
        return loss
    name = "categorical_log_loss" if out_activation == "softmax" else "log_loss"
    return f"soft_{name}" if soft else name


def loss_and_delta(
    loss,
    out_activation,
    Y,
    P,
    sample_weight=None,
    *,
    label_smoothing=0.0,
    **loss_params,
):
    """The batch's mean loss, and dLoss/dZ of the output layer.

    The delta's rows are already divided by ``n`` (or weighted by
    ``sample_weight / sample_weight.sum()``), so every gradient downstream is a
    plain sum over rows. ``label_smoothing`` smooths the 0/1 targets ``Y``
    first (see ``smoothed_targets``); ``loss_params`` are the loss's own
    parameters (``huber_delta=`` for "huber", ``quantile=`` for "quantile").
    """
    if label_smoothing:
        Y = smoothed_targets(Y, out_activation, label_smoothing)
    if not is_numpy(P):  # another array library: the generic path
        return _generic_loss_and_delta(
            loss,
            out_activation,
            Y,
            P,
            sample_weight,
            bool(label_smoothing),
            **loss_params,
        )
    # The blog's ``l2_error``, with the sign flipped to point uphill.
    delta = P - Y
    name = loss
    if loss == "log_loss":  # which of the four log-losses
        name = _loss_name(loss, out_activation, soft=bool(label_smoothing))
    n = P.shape[0]
    if sample_weight is None:
        if name == "squared_error":  # one product, no per-entry array
            value = 0.5 * float(np.vdot(delta, delta)) / n
        else:
            # The ufunc's reduce: ``.sum()`` is the same call behind a Python layer.
            per_entry = LOSSES[name](Y, P, delta, **loss_params)
            value = float(np.add.reduce(per_entry, axis=None)) / n
        row_scale = 1.0 / n
    else:
        per_sample = LOSSES[name](Y, P, delta, **loss_params)
        total = float(sample_weight.sum())
        value = float(per_sample.reshape(n, -1).sum(axis=1) @ sample_weight) / total
        row_scale = (sample_weight / total)[:, None]
    if loss in ERROR_GRADIENTS:
        ERROR_GRADIENTS[loss](delta, **loss_params)  # dLoss/dP, not P - Y
    if (loss, out_activation) not in CANONICAL:
        # The blog's ``l2_delta = l2_error * nonlin(l2, deriv=True)``.
        DERIVATIVES[out_activation](P, delta)
    delta *= row_scale
    return value, delta


# -- The generic path: arrays of any other Array API library ------------------------
# The same losses and gradients in the array's namespace, returning new arrays
# (see ``_activations``' generic path). NumPy's ``loss_and_delta`` above writes
# the delta in place, for the "Epoch time, 50,000 x 100" rows of
# benchmarks/RESULTS.md, as the activations do.


def _xp(array):
    return namespace(array)


def _generic_poisson(Y, P, error):
    xp = _xp(P)
    P = xp.clip(P, min=float(xp.finfo(P.dtype).smallest_normal))
    positive, ones = Y > 0, xp.ones_like(Y)
    Y_log_Y = xp.where(positive, Y * xp.log(xp.where(positive, Y, ones)), 0 * ones)
    return Y_log_Y - Y * xp.log(P) - Y + P


def _generic_huber(Y, P, error, *, huber_delta):
    size = _xp(error).abs(error)
    m = _xp(error).clip(size, max=huber_delta)
    return (size - 0.5 * m) * m


def _generic_log_loss(Y, P, error):
    xp = _xp(P)
    return -xp.log(xp.clip(1 - xp.abs(error), min=float(xp.finfo(P.dtype).eps)))


def _generic_categorical_log_loss(Y, P, error):
    xp = _xp(P)
    p_true = xp.sum(Y * P, axis=1)
    return -xp.log(xp.clip(p_true, min=float(xp.finfo(P.dtype).eps)))


def _generic_soft_log_loss(Y, P, error):
    xp = _xp(P)
    tiny = float(xp.finfo(P.dtype).eps)
    log_P, log_not_P = xp.log(xp.clip(P, min=tiny)), xp.log(xp.clip(1 - P, min=tiny))
    return -(Y * log_P + (1 - Y) * log_not_P)


def _generic_soft_categorical_log_loss(Y, P, error):
    xp = _xp(P)
    log_P = xp.log(xp.clip(P, min=float(xp.finfo(P.dtype).eps)))
    return -xp.sum(Y * log_P, axis=1)


GENERIC_LOSSES = {
    "log_loss": _generic_log_loss,
    "categorical_log_loss": _generic_categorical_log_loss,
    "soft_log_loss": _generic_soft_log_loss,
    "soft_categorical_log_loss": _generic_soft_categorical_log_loss,
    "squared_error": squared_error,
    "poisson": _generic_poisson,
    "absolute_error": lambda Y, P, error: _xp(error).abs(error),
    "huber": _generic_huber,
    "quantile": lambda Y, P, error, *, quantile: _xp(error).maximum(
        (1 - quantile) * error, -quantile * error
    ),
}


def _generic_quantile_gradient(error, *, quantile):
    xp = _xp(error)
    zero = xp.zeros_like(error)
    below = xp.where(error < 0, zero - quantile, zero)
    return xp.where(error > 0, zero + (1 - quantile), below)


GENERIC_ERROR_GRADIENTS = {
    "absolute_error": lambda error: _xp(error).sign(error),
    "huber": lambda error, *, huber_delta: _xp(error).clip(
        error, min=-huber_delta, max=huber_delta
    ),
    "quantile": _generic_quantile_gradient,
}


def _generic_loss_and_delta(
    loss, out_activation, Y, P, sample_weight, soft, **loss_params
):
    """``loss_and_delta`` for arrays of another library, in their namespace.

    ``soft``: ``Y`` is smoothed already, so not 0/1.
    """
    from ._activations import GENERIC_DERIVATIVES

    xp = _xp(P)
    delta = P - Y
    name = _loss_name(loss, out_activation, soft)
    n = P.shape[0]
    per_entry = GENERIC_LOSSES[name](Y, P, delta, **loss_params)
    if sample_weight is None:
        value = float(xp.sum(per_entry)) / n
        row_scale = 1.0 / n
    else:
        per_sample = xp.sum(xp.reshape(per_entry, (n, -1)), axis=1)
        total = float(xp.sum(sample_weight))
        value = float(xp.sum(per_sample * sample_weight)) / total
        row_scale = xp.reshape(sample_weight / total, (-1, 1))
    if loss in GENERIC_ERROR_GRADIENTS:
        delta = GENERIC_ERROR_GRADIENTS[loss](delta, **loss_params)
    if (loss, out_activation) not in CANONICAL:
        delta = GENERIC_DERIVATIVES[out_activation](P, delta)
    return value, delta * row_scale


@dataclass(frozen=True)
class Objective:
    """What a fit minimizes: a loss with its parameters, plus the L2 penalty.

    ``loss_params`` are the loss's own keywords (``{"huber_delta": 1.0}``);
    ``label_smoothing`` (a classifier's) smooths the 0/1 targets the loss
    compares the outputs with (see ``smoothed_targets``).
    """

    loss: str
    alpha: float = 0.0
    loss_params: Mapping = field(default_factory=dict)
    label_smoothing: float = 0.0

    def __post_init__(self):
        # The loss and its keywords, bound once: every training step asks for
        # the delta, and spreading the keywords in each call took 0.16 us more
        # (2.92 against 2.76 us on the blog's arrays). Frozen: set as ``object``
        # would.
        keywords = dict(self.loss_params)
        if self.label_smoothing:
            keywords["label_smoothing"] = self.label_smoothing
        bound = functools.partial(loss_and_delta, self.loss, **keywords)
        object.__setattr__(self, "_bound_loss_and_delta", bound)

    def loss_and_delta(self, out_activation, Y, P, sample_weight=None):
        """The batch's mean loss (no penalty) and the output layer's delta."""
        return self._bound_loss_and_delta(out_activation, Y, P, sample_weight)

    def unsmoothed(self):
        """The same objective against the true 0/1 targets."""
        return replace(self, label_smoothing=0.0) if self.label_smoothing else self

    def reported(self, value, n_outputs):
        """``value`` on MLP's scale (see :func:`reported_loss`)."""
        return reported_loss(self.loss, value, n_outputs)
