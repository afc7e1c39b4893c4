"""Batch normalization of a hidden layer's pre-activations (Ioffe & Szegedy, 2015).

Training normalizes ``Z`` with the batch's own mean and variance and folds them
into running estimates; prediction uses only the running estimates, so the output
for a row never depends on the other rows passed with it. With sample weights the
batch statistics are weighted, so a row of weight 2 counts as two rows.
"""

from dataclasses import dataclass

import numpy as np

from ._array_api import xp_of

EPSILON = 1e-5


@dataclass
class BatchNormCache:
    """What the backward pass needs from one normalized layer."""

    Z_hat: np.ndarray  # the normalized pre-activations
    inv_std: np.ndarray  # 1 / sqrt(batch variance + eps), one per unit
    gamma: np.ndarray
    # Each row's share of the statistics: 1 / n, or a column of the rows'
    # weights over the batch's total weight.
    row_share: np.ndarray | float


def batch_norm_forward(
    Z, gamma, beta, running_mean, running_var, *, train, momentum, sample_weight=None
):
    """Normalize ``Z`` per unit, then scale by ``gamma`` and shift by ``beta``.

    With ``train`` the batch statistics (weighted by ``sample_weight`` if given)
    are used, and when ``momentum`` is not None ``running_mean``/``running_var``
    move towards them in place. Returns the new pre-activations and a cache (None
    when not training).

    A batch of one row (the last of an epoch when ``batch_size`` leaves one over,
    or a one-row ``partial_fit``; rows of weight 0 do not count) has variance 0
    and its row as its mean: no estimate of the data's statistics, so it leaves
    the running ones alone.
    """
    # One body for every array library: the statistics are whole-array
    # reductions, with nothing to gain from NumPy's in-place forms.
    xp = xp_of(Z)
    row_share = 1.0 / Z.shape[0]
    if not train:
        mean, var = running_mean, running_var
    else:
        if sample_weight is None:
            mean, var = xp.mean(Z, axis=0), xp.var(Z, axis=0)
            n_rows = Z.shape[0]
        else:
            row_share = xp.reshape(sample_weight / xp.sum(sample_weight), (-1, 1))
            mean = xp.sum(row_share * Z, axis=0)
            var = xp.sum(row_share * (Z - mean) ** 2, axis=0)
            n_rows = int(xp.count_nonzero(sample_weight))
        if momentum is not None and n_rows > 1:
            running_mean *= 1 - momentum
            running_mean += momentum * mean
            running_var *= 1 - momentum
            running_var += momentum * var
    inv_std = 1 / xp.sqrt(var + EPSILON)
    Z_hat = (Z - mean) * inv_std
    out = Z_hat * gamma + beta
    cache = BatchNormCache(Z_hat, inv_std, gamma, row_share) if train else None
    return out, cache


def batch_norm_backward(cache, delta):
    """Send ``delta`` (dLoss/d output) back through the normalization.

    Returns ``(delta_Z, grad_gamma, grad_beta)``. ``delta`` already carries the
    loss's row weights (1/n, or the sample weights), so ``row_share`` enters only
    through the statistics' own dependence on every row.
    """
    # One body for every array library, as the forward pass.
    xp = xp_of(delta)
    grad_gamma = xp.sum(delta * cache.Z_hat, axis=0)
    grad_beta = xp.sum(delta, axis=0)
    # d Z_hat, then through the mean and variance that every row shares.
    delta_hat = delta * cache.gamma
    shared = xp.sum(delta_hat, axis=0) + cache.Z_hat * grad_gamma * cache.gamma
    delta_Z = (delta_hat - cache.row_share * shared) * cache.inv_std
    return delta_Z, grad_gamma, grad_beta
