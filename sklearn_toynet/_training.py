"""Training: the epochs of "sgd"/"adam" and the L-BFGS run, in named steps.

No estimator in sight: these functions take a :class:`~._state.FitState`
(advanced in place), the ``Network`` over its arrays, the encoded
:class:`~._state.Data` and the call's :class:`~._state.TrainingSettings`.
Read top-down, a stochastic fit is::

    fit_stochastic    epochs until a stopping rule fires
      run_epoch       one pass over the (shuffled) mini-batches
        train_step    one batch: the blog's forward pass, error, delta, update
          loss_and_gradient   forward, loss and output delta, backward
          optimizer.update    the blog's ``syn1 += l1.T.dot(l2_delta)``
"""

import warnings

import numpy as np
import scipy.optimize
from sklearn.exceptions import ConvergenceWarning

from ._array_api import (
    any_nonzero,
    copy_of,
    is_numpy,
    namespace,
    sum_of_squares,
    to_device_of,
    to_numpy,
    xp_of,
)
from ._network import views_of
from ._optimizers import clip_grad_norm, decay_weights
from ._schedules import SCHEDULES, step_factor
from ._stopping import (
    check_loss,
    check_weights,
    no_improvement_message,
    trained_arrays,
    update_no_improvement,
)


def fit_stochastic(state, net, data, settings, workspace, hooks, validation=None):
    """Run epochs of "sgd" or "adam" on ``net`` until a stopping rule fires.

    ``hooks`` (see ``_callbacks``) runs the estimator's callbacks around each
    epoch; one that asks to stop ends the fit after that epoch. Early stopping
    (``settings.early_stopping``) follows ``validation``'s score (a
    ``ValidationMonitor``) and returns the best epoch's weights.
    """
    if state._optimizer is None or not settings.incremental:
        state._optimizer = settings.new_optimizer([workspace.flat])
    optimizer = state._optimizer
    # As MLPClassifier: n_iter_ counts this call's epochs (warm start or not; 1
    # after partial_fit); t_ counts every sample seen.
    state.n_iter_ = 0
    early_stopping = settings.early_stopping
    if early_stopping:
        state.start_validation_history()
    elif state.best_loss_ is None:
        # A continued fit without early stopping after a fit with it (which
        # tracked scores, not the loss): MLP raises a TypeError here.
        state.best_loss_ = np.inf
    best_params = None  # early stopping's best epoch so far
    scheduled = settings.learning_rate in SCHEDULES and not settings.incremental
    if settings.learning_rate in SCHEDULES and settings.incremental:
        # partial_fit steps by learning_rate_init, even after a scheduled fit
        # left the optimizer at its last epoch's factor.
        optimizer.scale_step(1.0)
    # Read once, not every epoch: the fit's rows and its random state.
    n_samples, rng = data.n_samples, state._rng
    try:
        for epoch in range(settings.max_iter):
            hooks.begin_epoch()
            if scheduled:  # this epoch's step size, from the fit's progress
                optimizer.scale_step(
                    step_factor(settings.learning_rate, epoch, settings.max_iter)
                )
            loss = run_epoch(net, optimizer, workspace, data, settings, rng)
            try:
                check_loss(settings, state, loss)
                if early_stopping:  # the validation score needs finite weights
                    check_weights(settings, net, workspace.flat)
            except ValueError:
                if best_params is None:
                    raise
                # As MLPClassifier: with a best epoch to fall back on, divergence
                # is no error; the epoch scores NaN and the best weights return.
                hooks.abandon_epoch()
                _record_epoch(settings, state, loss, n_samples)
                state.validation_loss_curve_.append(np.nan)
                state.validation_scores_.append(np.nan)
                break
            _record_epoch(settings, state, loss, n_samples)
            if early_stopping:
                _record_validation(settings, state, *validation.evaluate(net, state))
            if update_no_improvement(settings, state):
                best_params = [copy_of(p) for p in trained_arrays(net)]
            optimizer.iteration_ends(state.t_)
            if hooks.end_epoch():
                break
            if state._no_improvement_count > settings.n_iter_no_change:
                message = no_improvement_message(settings)
                if optimizer.trigger_stopping(message, settings.verbose):
                    break
                state._no_improvement_count = 0
            if settings.incremental:
                break
        else:
            if settings.tol is not None:
                warnings.warn(
                    "Stochastic Optimizer: Maximum iterations (%d) reached and the "
                    "optimization hasn't converged yet." % settings.max_iter,
                    ConvergenceWarning,
                )
    except KeyboardInterrupt:
        warnings.warn("Training interrupted by user.")
    if best_params is not None:
        for param, best in zip(trained_arrays(net), best_params):
            param[...] = best
    check_weights(settings, net, workspace.flat)


def _record_epoch(settings, state, loss, n_samples):
    state.n_iter_ += 1
    state.t_ += n_samples
    state.loss_ = loss
    state.loss_curve_.append(loss)
    if settings.verbose:
        print("Iteration %d, loss = %.8f" % (state.n_iter_, loss))


def _record_validation(settings, state, loss, score):
    state.validation_loss_curve_.append(loss)
    state.validation_scores_.append(score)
    if settings.verbose:
        print("Validation score: %f" % score)


def run_epoch(net, optimizer, workspace, data, settings, rng):
    """One pass over the data in (shuffled) mini-batches; returns the mean loss.

    The loss is on MLP's scale (see ``reported_loss``), as its ``loss_curve_``.
    """
    n_samples = data.n_samples
    batch_size = settings.batch_size
    order = None
    if settings.shuffle:
        # As MLPClassifier: each epoch shuffles the previous epoch's order (the
        # same draws as MLP, so the same random_state gives the same batches).
        if workspace.order is None or workspace.order.size != n_samples:
            workspace.order = np.arange(n_samples)
        order = workspace.order = workspace.order[rng.permutation(n_samples)]
        if workspace.generic:  # the epoch's order moves to the device once
            order = workspace.on_device(order)
    if order is None and batch_size >= n_samples:  # full batch: the blog's case
        return train_step(net, optimizer, workspace, data, settings, rng)
    accumulated, rows_seen = 0.0, 0
    for start in range(0, n_samples, batch_size):
        if order is None:
            rows = slice(start, start + batch_size)
        else:
            rows = order[start : start + batch_size]
        batch = data.rows(rows)
        if batch.sample_weight is not None and not any_nonzero(batch.sample_weight):
            # Rows of weight 0 count as absent: a batch of only such rows has no
            # loss to take a step on (its weighted mean would be 0 / 0).
            continue
        batch_loss = train_step(net, optimizer, workspace, batch, settings, rng)
        accumulated += batch_loss * batch.n_samples
        rows_seen += batch.n_samples
    return accumulated / rows_seen


def train_step(net, optimizer, workspace, batch, settings, rng):
    """One gradient step on one batch; returns the batch loss on MLP's scale."""
    _, reported = loss_and_gradient(
        net,
        batch,
        workspace.grads,
        settings.objective,
        rng=rng,
        bn_momentum=settings.bn_momentum,
        workspace=workspace,
    )
    if settings.max_grad_norm is not None:
        clip_grad_norm([workspace.flat_grad], settings.max_grad_norm)
    into = workspace.first_step_into
    if into is None:
        optimizer.update([workspace.flat], [workspace.flat_grad])
    else:
        # A continued fit's first step: the fitted arrays stay as they were.
        optimizer.update(
            [workspace.flat], [workspace.flat_grad], into=([into.flat], into.moments)
        )
        workspace.first_step_into = None
        net.use_buffer(into.flat)
        workspace.flat = into.flat
    if settings.weight_decay:  # asked here: no call at all without decay
        _decay(net, optimizer, workspace, settings)
    return reported


def _decay(net, optimizer, workspace, settings):
    """Decoupled weight decay after a step: the weights shrink, by the step size."""
    n_weights = sum(W.shape[0] * W.shape[1] for W in net.coefs)
    shrink = 1.0 - optimizer.step_size * settings.weight_decay
    decay_weights(workspace.flat, n_weights, shrink)


def loss_and_gradient(
    net, batch, grads, objective, *, rng=None, bn_momentum=None, workspace=None
):
    """Forward, loss, output delta, backward: return the loss, fill ``grads``.

    Returns ``(value, reported)``: the (weighted) mean loss over the rows of
    ``batch`` plus the L2 penalty ``alpha / 2 * sum(W**2) / n``, as
    MLPClassifier, whose exact gradient fills ``grads``; and the same loss on
    MLP's scale (see ``reported_loss``), the number ``loss_`` and the stopping
    rules use. ``rng`` draws dropout masks; ``bn_momentum`` moves batch norm's
    running statistics (None: they stay); a ``workspace`` lends both passes
    their arrays.
    """
    X, Y, sample_weight = batch.X, batch.Y, batch.sample_weight
    buffers, deltas = (None, None) if workspace is None else workspace.arrays(X)
    cache = net.forward(
        X,
        train=True,
        rng=rng,
        bn_momentum=bn_momentum,
        buffers=buffers,
        sample_weight=sample_weight,
    )
    value, delta = objective.loss_and_delta(
        net.out_activation, Y, cache.output, sample_weight
    )
    reported = objective.reported(value, Y.shape[1])
    l2_scale = 0.0
    if objective.alpha:
        total = X.shape[0] if sample_weight is None else _sum(sample_weight)
        l2_scale = objective.alpha / total
        penalty = 0.5 * l2_scale * sum(sum_of_squares(W) for W in net.coefs)
        value += penalty
        reported += penalty
    net.backward(cache, delta, grads, l2_scale=l2_scale, buffers=deltas)
    return value, reported


def _sum(a):
    return float(xp_of(a).sum(a))


class Workspace:
    """Gradients and per-batch-size activation buffers, allocated once a fit.

    ``flat`` is the network's flattened parameters (see ``Network.flatten``);
    ``flat_grad`` holds the gradient in the same layout, and ``grads`` are its
    views, one per parameter array, for the backward pass to fill.
    ``first_step_into`` is where a continued fit's first step writes (a
    ``_continued.FirstStepInto``), or None.
    For another array library's ``flat`` (see ``_array_api``) the passes
    allocate their own arrays: no activation buffers.
    """

    def __init__(self, net, flat):
        self.flat = flat
        self.generic = not is_numpy(flat)  # another array library's parameters
        if self.generic:
            self.flat_grad = namespace(flat).zeros_like(flat)
        else:
            self.flat_grad = np.empty_like(flat)
        self.grads = views_of(self.flat_grad, net.params())
        self._units = [W.shape[1] for W in net.coefs]
        self._dtype = flat.dtype
        self._buffers = {}
        self.order = None  # the last epoch's row order, when shuffling
        self.first_step_into = None

    @classmethod
    def reuse(cls, workspace, net, flat):
        """``workspace`` (a previous call's) set to train ``flat``, or a new one.

        Continued fits keep their workspace between calls, sparing the
        allocation (and first-touch page faults) of its arrays on wide networks.
        """
        if (
            workspace is None
            or workspace.generic
            or not is_numpy(flat)
            or workspace.flat_grad.shape != flat.shape
            or workspace.flat_grad.dtype != flat.dtype
            or workspace._units != [W.shape[1] for W in net.coefs]
        ):
            return cls(net, flat)
        workspace.flat = flat
        workspace.order = None  # each call shuffles afresh, as MLPClassifier
        workspace.first_step_into = None
        return workspace

    def on_device(self, index):
        """NumPy row numbers ``index`` on the parameters' device (generic path)."""
        return to_device_of(index, self.flat, dtype=namespace(self.flat).int64)

    def arrays(self, X):
        """Activation and hidden-delta buffers for a batch of ``X``'s rows."""
        if self.generic:
            return None, None
        n_rows = X.shape[0]
        if n_rows not in self._buffers:
            if len(self._buffers) >= 4:  # batches of many sizes: keep memory bounded
                self._buffers.clear()
            self._buffers[n_rows] = (
                [np.empty((n_rows, n), dtype=self._dtype) for n in self._units],
                [np.empty((n_rows, n), dtype=self._dtype) for n in self._units[:-1]],
            )
        return self._buffers[n_rows]


def fit_lbfgs(state, net, flat, data, settings, hooks):
    """Run "lbfgs" on the whole data set; each iteration is a callback task."""
    curve = state.loss_curve_
    stopped_by_callback = []

    def on_iteration(loss):
        curve.append(loss)
        state.n_iter_, state.loss_ = len(curve), loss
        if settings.verbose:
            print("Iteration %d, loss = %.8f" % (len(curve), loss))
        if hooks.end_epoch():
            stopped_by_callback.append(True)
            raise StopIteration  # scipy ends the minimization cleanly
        hooks.begin_epoch()

    hooks.begin_epoch()
    result = minimize_lbfgs(net, flat, data, settings, on_iteration)
    hooks.abandon_epoch()
    if not np.isfinite(result.fun):
        check_loss(settings, state, float(result.fun))
    check_weights(settings, net, flat)
    state.n_iter_ = int(result.nit)
    state.loss_ = float(result.reported_fun)
    state.best_loss_ = min(curve, default=state.loss_)
    if result.status != 0 and settings.tol is not None and not stopped_by_callback:
        warnings.warn(lbfgs_warning(result, settings.max_iter), ConvergenceWarning)


def minimize_lbfgs(net, flat, data, settings, on_iteration):
    """Minimize the full-batch loss with scipy's L-BFGS-B; returns scipy's result.

    scipy works on a float64 copy of the flattened parameters ``flat``, copied
    back (in the network's dtype) before each evaluation. ``on_iteration(loss)``
    is called after every L-BFGS iteration. For another array library (see
    ``_array_api``) the data stay on their device and every evaluation runs
    there; only the parameter vector and its gradient cross to the host and
    back, where scipy's L-BFGS-B does its own (vector-sized) arithmetic.

    scipy minimizes the loss whose gradient it is given (for squared error over
    several outputs, the sum over outputs, as the stochastic solvers follow);
    ``on_iteration`` and the result's ``reported_fun`` get the same iterate's
    loss on MLP's scale (see ``reported_loss``).
    """
    generic = not is_numpy(flat)  # another array library's parameters
    flat_grad = Workspace(net, flat).flat_grad if generic else np.empty_like(flat)
    grads = views_of(flat_grad, net.params())
    last_x, last_reported = None, None  # the last evaluated point, its MLP loss

    def objective(x):
        nonlocal last_x, last_reported
        flat[...] = to_device_of(x, flat) if generic else x
        # bn_momentum=1: the running statistics become the full data's.
        value, last_reported = loss_and_gradient(
            net, data, grads, settings.objective, bn_momentum=1.0
        )
        last_x = x.copy()
        return value, to_numpy(flat_grad).astype(np.float64)

    def reported_at(x):
        # scipy's iterates are points it has just evaluated; recompute otherwise.
        if last_x is None or not np.array_equal(last_x, x):
            objective(x)
        return last_reported

    result = scipy.optimize.minimize(
        objective,
        to_numpy(flat).astype(np.float64),
        method="L-BFGS-B",
        jac=True,
        options={
            "maxfun": settings.max_fun,
            "maxiter": settings.max_iter,
            "gtol": 0.0 if settings.tol is None else settings.tol,
        },
        callback=lambda intermediate_result: on_iteration(
            reported_at(intermediate_result.x)
        ),
    )
    result.reported_fun = reported_at(result.x)
    flat[...] = to_device_of(result.x, flat) if generic else result.x
    if net.batch_norm is not None:
        # Leave the running statistics at those of the returned weights.
        net.forward(
            data.X, train=True, bn_momentum=1.0, sample_weight=data.sample_weight
        )
    return result


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
