"""Stochastic optimizers: update parameter arrays in place from their gradients.

Same rules and hyperparameters as scikit-learn's MLP solvers ("sgd" with
momentum, Nesterov momentum and learning-rate schedules; "adam"), written to
update in place so an epoch allocates nothing per parameter. Parameters of
another Array API library (see ``_array_api``) take the generic path with the
same arithmetic in their namespace, still updating the parameters in place.
The NumPy updates are written apart for their ``out=`` writes, cache-sized
blocks and ``into=`` spares, which benchmarks/RESULTS.md's rows "partial_fit,
10 rows" (Small calls) and "partial_fit on a wide network" pay for.
"""

import copy
import math

import numpy as np

from ._array_api import is_numpy, namespace, sum_of_squares, xp_of


def _zeros_like(a):
    return xp_of(a).zeros_like(a)


class _Moments:
    """What both optimizers share: their moments, moved by scikit-learn's helpers."""

    def scale_step(self, factor):
        """Step by ``factor * learning_rate_init`` from now on (a loop schedule)."""
        self.learning_rate = float(self.learning_rate_init * factor)

    @property
    def step_size(self):
        """The current step size, before any per-weight scaling."""
        return self.learning_rate

    def __sklearn_array_api_convert__(self, converter):
        """A copy with its moment arrays converted (``move_estimator_to``)."""
        new = copy.copy(self)
        for name in self.MOMENTS:
            setattr(new, name, [converter(a) for a in getattr(self, name)])
        return new


class SGD(_Moments):
    """Stochastic gradient descent with (Nesterov) momentum and a schedule.

    ``learning_rate`` is "constant", "invscaling" (``lr_init / (t + 1) **
    power_t`` after each epoch, ``t`` counting samples seen, as MLPClassifier) or
    "adaptive" (divided by 5 each time training stops improving).
    """

    def __init__(
        self,
        params,
        learning_rate_init=0.1,
        lr_schedule="constant",
        momentum=0.9,
        nesterov=True,
        power_t=0.5,
    ):
        self.learning_rate_init = learning_rate_init
        self.learning_rate = float(learning_rate_init)
        self.lr_schedule = lr_schedule
        self.momentum = momentum
        self.nesterov = nesterov
        self.power_t = power_t
        self.velocities = [_zeros_like(p) for p in params]

    #: The per-parameter arrays the optimizer carries from step to step.
    MOMENTS = ("velocities",)

    def moments(self):
        """Its per-parameter arrays, one list each, in the order of ``MOMENTS``."""
        return [self.velocities]

    def update(self, params, grads, into=None):
        """Step every parameter; ``grads`` are scratch and are overwritten.

        ``into``: ``(new_params, [new_velocities])``, arrays to write the
        step's results to, leaving ``params`` and the velocities as they were
        (which the optimizer then forgets); see ``_continued``. A missing or
        None entry of the moments' list gets new arrays.
        """
        lr, mu = self.learning_rate, self.momentum
        if not is_numpy(params[0]):
            return self._generic_update(params, grads)
        if mu == 0:
            # Plain gradient descent: the blog's ``syn0 += ...``, downhill:
            # ``param -= step`` (``new_param`` is ``param`` but in the first step
            # of a continued fit). Two passes: no blocks, no velocities (zeros,
            # never written).
            new_params = params if into is None else into[0]
            for param, grad, new_param in zip(params, grads, new_params):
                np.subtract(param, np.multiply(grad, lr, out=grad), out=new_param)
            return
        new_params, new_velocities = _targets(self, params, into)
        arrays = zip(params, grads, self.velocities, new_params, *new_velocities)
        for param, grad, velocity, new_param, new_velocity in _blocks(arrays):
            step = np.multiply(grad, lr, out=grad)
            velocity = np.multiply(velocity, mu, out=new_velocity)
            velocity -= step
            if self.nesterov:
                # param += mu * velocity - lr * grad, without a temporary.
                param = np.subtract(param, step, out=new_param)
                step = np.multiply(velocity, mu, out=grad)
            else:
                param, step = _carry(param, new_param), velocity
            param += step
        self.velocities = list(new_velocities[0])

    def _generic_update(self, params, grads):
        """``update`` for another array library: the same steps, in its namespace."""
        # In place, as NumPy's (the standard's in-place operators): the moments
        # are the fit's own (a continued fit of another library deep-copies
        # them), the gradients scratch.
        lr, mu = self.learning_rate, self.momentum
        for param, step, velocity in zip(params, grads, self.velocities):
            step *= lr
            if mu == 0:
                param -= step
                continue
            velocity *= mu
            velocity -= step
            if self.nesterov:
                param -= step
                param += velocity * mu
            else:
                param += velocity

    def iteration_ends(self, time_step):
        if self.lr_schedule == "invscaling":
            self.learning_rate = (
                self.learning_rate_init / (time_step + 1) ** self.power_t
            )

    def trigger_stopping(self, msg, verbose):
        """Return True to stop; "adaptive" first shrinks the step down to 1e-6."""
        if self.lr_schedule != "adaptive":
            if verbose:
                print(msg + " Stopping.")
            return True
        if self.learning_rate <= 1e-6:
            if verbose:
                print(msg + " Learning rate too small. Stopping.")
            return True
        self.learning_rate /= 5.0
        if verbose:
            print(msg + " Setting learning rate to %f" % self.learning_rate)
        return False


class Adam(_Moments):
    """Adam (Kingma & Ba, 2014) with bias-corrected step size."""

    def __init__(
        self, params, learning_rate_init=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-8
    ):
        self.learning_rate_init = learning_rate_init
        self.learning_rate = float(learning_rate_init)
        self.step_scale = 1.0  # a loop schedule's factor (see ``scale_step``)
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.t = 0
        self.first_moments = [_zeros_like(p) for p in params]
        self.second_moments = [_zeros_like(p) for p in params]

    MOMENTS = ("first_moments", "second_moments")

    def scale_step(self, factor):
        """Step by ``factor`` times the bias-corrected rate (a loop schedule)."""
        self.step_scale = float(factor)

    @property
    def step_size(self):
        """The scheduled rate, without the bias correction (AdamW's decay step)."""
        return self.learning_rate_init * self.step_scale

    def moments(self):
        """Its per-parameter arrays, one list each, in the order of ``MOMENTS``."""
        return [self.first_moments, self.second_moments]

    def update(self, params, grads, into=None):
        """Step every parameter; ``grads`` are scratch and are overwritten.

        ``into``: as for :meth:`SGD.update`, with the new first and second
        moments, in that order.
        """
        if not is_numpy(params[0]):
            return self._generic_update(params, grads)
        new_params, (new_firsts, new_seconds) = _targets(self, params, into)
        self.t += 1
        b1, b2 = self.beta_1, self.beta_2
        # A Python float, so float32 parameters stay float32.
        self.learning_rate = float(
            self.learning_rate_init
            * self.step_scale
            * np.sqrt(1 - b2**self.t)
            / (1 - b1**self.t)
        )
        arrays = zip(
            params,
            grads,
            self.first_moments,
            self.second_moments,
            new_params,
            new_firsts,
            new_seconds,
        )
        for param, grad, m, v, new_param, new_m, new_v in _blocks(arrays):
            m = np.multiply(m, b1, out=new_m)
            m += (1 - b1) * grad
            v = np.multiply(v, b2, out=new_v)
            np.multiply(grad, grad, out=grad)
            grad *= 1 - b2
            v += grad
            # param -= learning_rate * m / (sqrt(v) + epsilon), in ``grad``.
            step = np.sqrt(v, out=grad)
            step += self.epsilon
            np.divide(m, step, out=step)
            step *= self.learning_rate
            np.subtract(param, step, out=new_param)
        self.first_moments, self.second_moments = list(new_firsts), list(new_seconds)

    def _generic_update(self, params, grads):
        """``update`` for another array library: the same steps, in its namespace."""
        self.t += 1
        b1, b2 = self.beta_1, self.beta_2
        self.learning_rate = float(
            self.learning_rate_init
            * self.step_scale
            * np.sqrt(1 - b2**self.t)
            / (1 - b1**self.t)
        )
        # In place, as NumPy's (see SGD._generic_update), in NumPy's order.
        for param, grad, m, v in zip(
            params, grads, self.first_moments, self.second_moments
        ):
            xp = namespace(param)
            m *= b1
            m += (1 - b1) * grad
            v *= b2
            grad *= grad
            grad *= 1 - b2
            v += grad
            step = xp.sqrt(v)
            step += self.epsilon
            step = m / step
            step *= self.learning_rate
            param -= step

    def iteration_ends(self, time_step):
        pass

    def trigger_stopping(self, msg, verbose):
        if verbose:
            print(msg + " Stopping.")
        return True


#: Elements per block of an update: a block of each of its arrays stays in the
#: CPU cache through the dozen elementwise passes (16,384 float64: 128 KiB).
BLOCK = 2**14


def _blocks(arrays):
    """Each tuple of same-shape ``arrays``, as tuples of flat blocks of ``BLOCK``.

    The update's elementwise passes then run block by block: the same
    operations on every element in the same order (the same results), but a
    wide network's arrays come from memory about once instead of once per
    pass (Adam on 1.2 million weights: 5.4 ms instead of 7.3 ms, measured).
    Arrays that cannot be viewed flat go whole.
    """
    for group in arrays:
        if group[0].size <= BLOCK or not all(a.flags.c_contiguous for a in group):
            yield group
            continue
        flat = [a.reshape(-1) for a in group]
        for start in range(0, flat[0].size, BLOCK):
            yield tuple(a[start : start + BLOCK] for a in flat)


def _carry(array, new_array):
    """``new_array`` holding ``array``'s values (no copy when they are one)."""
    if new_array is not array:
        np.copyto(new_array, array)
    return new_array


def _targets(optimizer, params, into):
    """Where an update writes: ``into``'s arrays, or (None) the arrays themselves."""
    if into is None:
        return params, optimizer.moments()
    new_params, new_moments = into
    targets = []
    for i, current in enumerate(optimizer.moments()):
        given = new_moments[i] if i < len(new_moments) else None
        targets.append(given or [np.empty_like(a) for a in current])
    return new_params, targets


def decay_weights(flat, n_weights, shrink):
    """Multiply the first ``n_weights`` entries of ``flat`` (the weights) by ``shrink``.

    Decoupled weight decay (Loshchilov & Hutter's AdamW): after each step the
    weights shrink by ``1 - step size * weight_decay``, whatever the optimizer's
    per-weight scaling; the intercepts and batch norm's parameters, laid out
    after the weights in the flat buffer (``Network.flatten``), do not.
    """
    flat[:n_weights] *= shrink  # in place, in every library (the slice is set back)


def clip_grad_norm(grads, max_norm):
    """Scale ``grads`` in place so their global L2 norm is at most ``max_norm``.

    This is the blog's "delta trimming". Returns the norm before clipping.
    Gradients so large that their squares overflow are measured in units of
    their largest entry, so clipping still scales them down instead of
    multiplying them by ``max_norm / inf = 0`` (and ``inf * 0`` into NaN).
    """
    xp = xp_of(grads[0])
    norm = math.sqrt(sum(sum_of_squares(g) for g in grads))
    if not math.isfinite(norm):
        unit = max((float(xp.max(xp.abs(g))) for g in grads if g.shape[0]), default=0.0)
        if math.isfinite(unit) and unit > 0:
            norm = unit * math.sqrt(sum(sum_of_squares(g / unit) for g in grads))
    if norm > max_norm:
        scale = max_norm / norm
        for g in grads:
            g *= scale
    return norm
