"""A continued fit (``partial_fit``, warm ``fit``) trains without a deep copy.

A call that raises must leave the estimator as it was, so training never
writes the fitted arrays themselves. Copying them all (``copy.deepcopy`` of
the weights, the optimizer's moments, the random state and the loss curve,
then a fresh flat buffer) costs allocations and page faults in the size of the
network on every call, the larger part of a small-batch ``partial_fit`` on a
wide network. Instead each estimator keeps, between calls, a spare flat buffer
for the weights and spare arrays for the optimizer's moments. The first step
of a stochastic call reads the fitted arrays and writes its result into the
spares (the same arithmetic as in place, see ``_optimizers``); later steps
update the spares in place. On success they become the fitted arrays and the
replaced ones the next call's spares; on failure they are simply dropped.
L-BFGS rewrites its weights at every evaluation, so a warm L-BFGS fit copies
the weights into the spare buffer first (a full fit: the copy is negligible).
Histories are copied as lists of floats; the random state is restored from a
snapshot on failure (see ``BaseToyNet._fit``).

:class:`Scratch` owns that memory, and the stochastic solvers' workspace:
scratch memory, not state. It lives beside the estimator (in a weak
dictionary of ``_base``), not in its attributes, so it is never pickled, cloned or
compared, and a failed call that wrote it changed nothing the estimator holds.
"""

import copy
from typing import NamedTuple

import numpy as np

from ._array_api import is_numpy
from ._network import views_of


class Spares:
    """Arrays of the last fitted layout, free for the next call to write.

    ``moments`` are spare optimizer moments, in the order of the optimizer's
    ``MOMENTS`` (see ``_optimizers``); None where there is no spare.
    """

    def __init__(self, flat=None, moments=()):
        self.flat = flat
        self.moments = list(moments)

    def take(self, spare, like):
        """``spare`` when it fits ``like`` (shape and dtype), else a new array."""
        if spare is None or spare.shape != like.shape or spare.dtype != like.dtype:
            spare = np.empty_like(like)
        return spare

    def moment(self, i):
        return self.moments[i] if i < len(self.moments) else None


class Scratch:
    """An estimator's memory between calls: spare arrays and the workspace."""

    def __init__(self):
        self.spares = Spares()
        self.workspace = None  # the stochastic solvers' ``_training.Workspace``

    def continue_from(self, state, *, fit_intercept, lbfgs):
        """Set ``state`` (the fitted one, see ``FitState.of``) to train over spares.

        Returns a :class:`Continuation`, or None when the fitted arrays are
        not the flat layout a fit leaves (set by hand, unpickled) or batch
        normalization needs the general path (a deep copy).
        """
        if state.batch_norm_ is not None:
            return None
        n_layers = len(state.coefs_)
        params = state.coefs_ + (state.intercepts_ if fit_intercept else [])
        flat = _flat_buffer(params)
        if flat is None:
            return None
        spares = self.spares
        old_moments, spare_moments = [], []
        if state._optimizer is not None and not lbfgs:
            state._optimizer = copy.copy(state._optimizer)
            for i, arrays in enumerate(state._optimizer.moments()):
                if len(arrays) != 1 or arrays[0].shape != flat.shape:
                    return None
                old_moments.append(arrays[0])
                spare_moments.append([spares.take(spares.moment(i), arrays[0])])
        new_flat = spares.take(spares.flat, flat)
        continuation = Continuation(self, flat, new_flat, old_moments)
        if lbfgs:
            np.copyto(new_flat, flat)
            views = views_of(new_flat, params)
            state.coefs_ = views[:n_layers]
            if fit_intercept:
                state.intercepts_ = views[n_layers:]
            continuation.flat = new_flat
        else:
            continuation.first_step_into = FirstStepInto(new_flat, spare_moments)
        return continuation


class FirstStepInto(NamedTuple):
    """Where a continued stochastic fit's first step writes (see ``_optimizers``)."""

    flat: np.ndarray  # the spare flat buffer: the new weights
    moments: list  # per optimizer moment (``MOMENTS`` order): ``[spare array]``


class Continuation:
    """One continued call over the spares: what it trains, and its adoption.

    ``flat`` is the buffer the state's weights are views of (what
    ``Network.flatten`` would return); ``first_step_into`` is where a
    stochastic solver's first step writes (a :class:`FirstStepInto`), None
    for L-BFGS.
    """

    def __init__(self, scratch, flat, new_flat, old_moments):
        self.flat, self.first_step_into = flat, None
        self._scratch, self._new_flat, self._old_moments = (
            scratch,
            new_flat,
            old_moments,
        )
        self._old_flat = flat

    def adopt(self, state):
        """Rotate the spares once ``state`` (trained) has replaced the fitted one."""
        if state.coefs_[0].base is self._new_flat:
            # The arrays trained replaced these, which become the spares.
            free = Spares(self._old_flat, self._old_moments)
        else:
            free = self._scratch.spares  # no step was adopted (interrupted before it)
        # A moment array the adopted optimizer still holds (plain gradient
        # descent never replaces its velocities; an interrupted first step
        # may have) is not free: the next call must not write into it.
        held = set()
        if state._optimizer is not None:
            held = {id(a) for arrays in state._optimizer.moments() for a in arrays}
        moments = [None if id(a) in held else a for a in free.moments]
        self._scratch.spares = Spares(free.flat, moments)


def _flat_buffer(params):
    """The 1-D buffer ``params`` are consecutive views of, or None."""
    flat = params[0].base
    if not is_numpy(flat) or flat.ndim != 1:
        return None
    if flat.size != sum(p.size for p in params):
        return None
    start = flat.__array_interface__["data"][0]
    for p in params:
        if p.base is not flat or p.__array_interface__["data"][0] != start:
            return None
        if not p.flags.c_contiguous or p.dtype != flat.dtype:
            return None
        start += p.nbytes
    return flat
