"""The training loop: one step, one epoch, and L-BFGS over the flat parameters.

No scikit-learn estimator in sight: these functions take a ``Network``, data
already validated and encoded, and an optimizer.
"""

import numpy as np
import scipy.optimize

from ._losses import loss_and_delta, reported_loss
from ._network import views_of
from ._optimizers import clip_grad_norm


def loss_and_gradient(
    net,
    X,
    Y,
    sample_weight,
    grads,
    *,
    loss,
    alpha,
    loss_params=None,
    rng=None,
    bn_momentum=None,
    workspace=None,
    report=False,
):
    """Forward, loss, output delta, backward: return the loss, fill ``grads``.

    The loss is the (weighted) mean over rows plus the L2 penalty
    ``alpha / 2 * sum(W**2) / n``, as MLPClassifier; ``grads`` is its exact
    gradient. ``loss_params`` are the loss's own parameters (a dict, such as
    ``{"huber_delta": 1.0}``). ``rng`` draws dropout masks; ``bn_momentum``
    moves batch norm's running statistics (None: they stay); a ``workspace``
    lends both passes their arrays. With ``report=True``, return ``(loss,
    reported)``: ``reported`` is the same loss on MLP's scale (see
    ``reported_loss``), the number ``loss_`` and the stopping rules use.
    """
    buffers, deltas = (None, None) if workspace is None else workspace.arrays(X)
    cache = net.forward(
        X,
        train=True,
        rng=rng,
        bn_momentum=bn_momentum,
        buffers=buffers,
        sample_weight=sample_weight,
    )
    value, delta = loss_and_delta(
        loss, net.out_activation, Y, cache.output, sample_weight, **(loss_params or {})
    )
    reported = reported_loss(loss, value, Y.shape[1])
    l2_scale = 0.0
    if alpha:
        total = X.shape[0] if sample_weight is None else float(sample_weight.sum())
        l2_scale = alpha / total
        penalty = 0.5 * l2_scale * sum(float(np.vdot(W, W)) for W in net.coefs)
        value += penalty
        reported += penalty
    net.backward(cache, delta, grads, l2_scale=l2_scale, buffers=deltas)
    return (value, reported) if report else value


class Workspace:
    """Gradients and per-batch-size activation buffers, allocated once a fit.

    ``flat`` is the network's flattened parameters (see ``Network.flatten``);
    ``flat_grad`` holds the gradient in the same layout, and ``grads`` are its
    views, one per parameter array, for the backward pass to fill.
    """

    def __init__(self, net, flat):
        self.flat = flat
        self.flat_grad = np.empty_like(flat)
        self.grads = views_of(self.flat_grad, net.params())
        self._units = [W.shape[1] for W in net.coefs]
        self._dtype = flat.dtype
        self._buffers = {}
        self.order = None  # the last epoch's row order, when shuffling
        # ``(flat, moments)`` for the first step to write (see ``_continued``).
        self.first_step_into = None

    @classmethod
    def reuse(cls, workspace, net, flat):
        """``workspace`` (a previous call's) set to train ``flat``, or a new one.

        Continued fits keep their workspace between calls, sparing the
        allocation (and first-touch page faults) of its arrays on wide networks.
        """
        if (
            workspace is None
            or workspace.flat_grad.shape != flat.shape
            or workspace.flat_grad.dtype != flat.dtype
            or workspace._units != [W.shape[1] for W in net.coefs]
        ):
            return cls(net, flat)
        workspace.flat = flat
        workspace.order = None  # each call shuffles afresh, as MLPClassifier
        return workspace

    def arrays(self, X):
        """Activation and hidden-delta buffers for a batch of ``X``'s rows."""
        n_rows = X.shape[0]
        if n_rows not in self._buffers:
            if len(self._buffers) >= 4:  # batches of many sizes: keep memory bounded
                self._buffers.clear()
            self._buffers[n_rows] = (
                [np.empty((n_rows, n), dtype=self._dtype) for n in self._units],
                [np.empty((n_rows, n), dtype=self._dtype) for n in self._units[:-1]],
            )
        return self._buffers[n_rows]


def train_step(net, optimizer, workspace, X, Y, sample_weight, settings, rng):
    """One gradient step on one batch; returns the batch loss on MLP's scale."""
    _, reported = loss_and_gradient(
        net,
        X,
        Y,
        sample_weight,
        workspace.grads,
        loss=settings["loss"],
        alpha=settings["alpha"],
        loss_params=settings.get("loss_params"),
        rng=rng,
        bn_momentum=settings["bn_momentum"],
        workspace=workspace,
        report=True,
    )
    if settings["max_grad_norm"] is not None:
        clip_grad_norm([workspace.flat_grad], settings["max_grad_norm"])
    into = workspace.first_step_into
    if into is None:
        optimizer.update([workspace.flat], [workspace.flat_grad])
        return reported
    # A continued fit's first step: the fitted arrays stay as they were.
    new_flat, moments = into
    optimizer.update(
        [workspace.flat], [workspace.flat_grad], into=([new_flat], moments)
    )
    workspace.first_step_into = None
    net.use_buffer(new_flat)
    workspace.flat = new_flat
    return reported


def run_epoch(net, optimizer, workspace, X, Y, sample_weight, settings, rng):
    """One pass over the data in (shuffled) mini-batches; returns the mean loss.

    The loss is on MLP's scale (see ``reported_loss``), as its ``loss_curve_``.
    """
    n_samples = X.shape[0]
    batch_size = settings["batch_size"]
    order = None
    if settings["shuffle"]:
        # As MLPClassifier: each epoch shuffles the previous epoch's order (the
        # same draws as MLP, so the same random_state gives the same batches).
        if workspace.order is None or workspace.order.size != n_samples:
            workspace.order = np.arange(n_samples)
        order = workspace.order = workspace.order[rng.permutation(n_samples)]
    if order is None and batch_size >= n_samples:  # full batch: the blog's case
        return train_step(net, optimizer, workspace, X, Y, sample_weight, settings, rng)
    accumulated, rows_seen = 0.0, 0
    for start in range(0, n_samples, batch_size):
        if order is None:
            rows = slice(start, start + batch_size)
        else:
            rows = order[start : start + batch_size]
        sw = None if sample_weight is None else sample_weight[rows]
        if sw is not None and not sw.any():
            # Rows of weight 0 count as absent: a batch of only such rows has no
            # loss to take a step on (its weighted mean would be 0 / 0).
            continue
        X_batch, Y_batch = X[rows], Y[rows]
        batch_loss = train_step(
            net, optimizer, workspace, X_batch, Y_batch, sw, settings, rng
        )
        accumulated += batch_loss * X_batch.shape[0]
        rows_seen += X_batch.shape[0]
    return accumulated / rows_seen


def fit_lbfgs(
    net, flat, X, Y, sample_weight, settings, *, max_iter, max_fun, tol, on_iteration
):
    """Minimize the full-batch loss with scipy's L-BFGS-B; returns scipy's result.

    scipy works on a float64 copy of the flattened parameters ``flat``, copied
    back (in the network's dtype) before each evaluation. ``on_iteration(loss)``
    is called after every L-BFGS iteration.

    scipy minimizes the loss whose gradient it is given (for squared error over
    several outputs, the sum over outputs, as the stochastic solvers follow);
    ``on_iteration`` and the result's ``reported_fun`` get the same iterate's
    loss on MLP's scale (see ``reported_loss``).
    """
    flat_grad = np.empty_like(flat)
    grads = views_of(flat_grad, net.params())
    last = {}  # the last evaluated point and its loss on MLP's scale

    def objective(x):
        flat[...] = x
        # bn_momentum=1: the running statistics become the full data's.
        value, last["reported"] = loss_and_gradient(
            net,
            X,
            Y,
            sample_weight,
            grads,
            loss=settings["loss"],
            alpha=settings["alpha"],
            loss_params=settings.get("loss_params"),
            bn_momentum=1.0,
            report=True,
        )
        last["x"] = x.copy()
        return value, flat_grad.astype(np.float64)

    def reported_at(x):
        # scipy's iterates are points it has just evaluated; recompute otherwise.
        if "x" not in last or not np.array_equal(last["x"], x):
            objective(x)
        return last["reported"]

    result = scipy.optimize.minimize(
        objective,
        flat.astype(np.float64),
        method="L-BFGS-B",
        jac=True,
        options={"maxfun": max_fun, "maxiter": max_iter, "gtol": tol},
        callback=lambda intermediate_result: on_iteration(
            reported_at(intermediate_result.x)
        ),
    )
    result.reported_fun = reported_at(result.x)
    flat[...] = result.x
    if net.batch_norm is not None:
        # Leave the running statistics at those of the returned weights.
        net.forward(X, train=True, bn_momentum=1.0, sample_weight=sample_weight)
    return result
