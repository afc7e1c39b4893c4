"""Losses: their value per sample and the delta they send into the output layer.

A loss value is a weighted mean over samples of a sum over outputs; the output
delta is its gradient with respect to the output layer's pre-activation ``Z``.
"""

import numpy as np

from ._activations import DERIVATIVES


def _clipped(P):
    eps = np.finfo(P.dtype).eps
    return np.clip(P, eps, 1 - eps)


def log_loss(Y, P):
    """Cross-entropy per sample of independent sigmoid outputs (binary, multilabel)."""
    P = _clipped(P)
    return -(Y * np.log(P) + (1 - Y) * np.log1p(-P)).sum(axis=1)


def categorical_log_loss(Y, P):
    """Cross-entropy per sample of softmax rows against one-hot ``Y``."""
    return -np.log(_clipped(np.einsum("ij,ij->i", Y, P)))


def squared_error(Y, P):
    """Half the squared error, summed over outputs: the blog's loss."""
    return 0.5 * ((P - Y) ** 2).sum(axis=1)


def poisson(Y, P):
    """Half the Poisson deviance (as MLPRegressor), summed over outputs."""
    P = np.maximum(P, np.finfo(P.dtype).tiny)
    Y_log_Y = np.where(Y > 0, Y * np.log(np.where(Y > 0, Y, 1)), 0)
    return (Y_log_Y - Y * np.log(P) - Y + P).sum(axis=1)


LOSSES = {
    "log_loss": log_loss,
    "categorical_log_loss": categorical_log_loss,
    "squared_error": squared_error,
    "poisson": poisson,
}

# Output activations for which dLoss/dZ is simply ``P - Y`` (the canonical link).
CANONICAL = {
    ("log_loss", "logistic"),
    ("log_loss", "softmax"),
    ("squared_error", "identity"),
    ("poisson", "exp"),
}


def mean_loss(loss, out_activation, Y, P, sample_weight=None):
    """Weighted mean over samples of the per-sample loss."""
    if loss == "log_loss" and out_activation == "softmax":
        loss = "categorical_log_loss"
    per_sample = LOSSES[loss](Y, P)
    if sample_weight is None:
        return float(per_sample.mean())
    return float(np.dot(per_sample, sample_weight) / sample_weight.sum())


def output_delta(loss, out_activation, Y, P, row_scale):
    """dLoss/dZ of the output layer, each row multiplied by ``row_scale``.

    ``row_scale`` is ``1 / n`` (a mean over the batch) or a column of
    ``sample_weight / sample_weight.sum()``: folding it in here makes every
    gradient downstream a plain sum.
    """
    # The blog's ``l2_error``, with the sign flipped to point uphill.
    delta = P - Y
    if (loss, out_activation) not in CANONICAL:
        # The blog's ``l2_delta = l2_error * nonlin(l2, deriv=True)``.
        DERIVATIVES[out_activation](P, delta)
    delta *= row_scale
    return delta
