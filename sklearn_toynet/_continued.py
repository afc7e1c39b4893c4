"""The state a continued fit (``partial_fit``, warm ``fit``) trains: no deep copy.

A call that raises must leave the estimator as it was, so training never
writes the fitted arrays themselves. Copying them all (``copy.deepcopy`` of
the weights, the optimizer's moments, the random state and the loss curve,
then a fresh flat buffer) costs allocations and page faults in the size of the
network on every call, the larger part of a small-batch ``partial_fit`` on a
wide network. Instead the estimator keeps, between calls, a spare flat buffer
for the weights and spare arrays for the optimizer's moments. The first step
of a stochastic call reads the fitted arrays and writes its result into the
spares (the same arithmetic as in place, see ``_optimizers``); later steps
update the spares in place. On success they become the fitted arrays and the
replaced ones the next call's spares; on failure they are simply dropped.
L-BFGS rewrites its weights at every evaluation, so a warm L-BFGS fit copies
the weights into the spare buffer first (a full fit: the copy is negligible).
Histories are copied as lists of floats; the random state is restored from a
snapshot on failure (see ``BaseToyNet._fit``).

Spares and the stochastic solvers' workspace are scratch memory, not state:
they live beside the estimator (in a weak dictionary), not in its attributes,
so they are never pickled, cloned or compared, and a failed call that wrote
them changed nothing the estimator holds.
"""

import copy
import weakref

import numpy as np

from ._network import views_of

# The optimizers' per-parameter arrays (see ``_optimizers``).
_MOMENTS = ("velocities", "first_moments", "second_moments")

_SCRATCH = weakref.WeakKeyDictionary()  # estimator -> {"spares": ..., "workspace": ...}


def scratch(est):
    """The estimator's scratch memory, kept between calls: a dict."""
    return _SCRATCH.setdefault(est, {})


def forget_scratch(est):
    """Drop the scratch memory (a fresh fit: the old layout is no use)."""
    _SCRATCH.pop(est, None)


class Spares:
    """Arrays of the last fitted layout, free for the next call to write."""

    def __init__(self, flat, moments):
        self.flat = flat
        self.moments = moments  # {optimizer attribute: [array]}

    def take(self, name, like):
        """A spare array shaped like ``like``: reused when it fits, else new."""
        spare = self.flat if name is None else self.moments.get(name, [None])[0]
        if spare is None or spare.shape != like.shape or spare.dtype != like.dtype:
            spare = np.empty_like(like)
        return spare


def _flat_buffer(params):
    """The 1-D buffer ``params`` are consecutive views of, or None."""
    flat = params[0].base
    if not isinstance(flat, np.ndarray) or flat.ndim != 1:
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


def _moments(optimizer, name):
    return getattr(optimizer, name, None) or []


def continued_state(est, names, dtype):
    """The fitted state to continue training from, without copying it.

    Returns ``(state, flat, adopt)``, or None when the fitted arrays are not
    the flat layout a fit leaves (set by hand, unpickled), or batch
    normalization or a new dtype needs the general path (a deep copy).
    ``flat`` is the buffer the state's weights are views of (what
    ``Network.flatten`` returns); ``adopt(est)`` runs once the trained state
    has replaced the estimator's. A stochastic solver finds the spares to
    write its first step into as ``scratch(est)["first_step_into"]``
    (``(flat, {moment name: [array]})``, see ``_optimizers``).
    """
    if est.batch_norm_ is not None or est.coefs_[0].dtype != dtype:
        return None
    n_layers = len(est.coefs_)
    params = list(est.coefs_) + (list(est.intercepts_) if est.fit_intercept else [])
    flat = _flat_buffer(params)
    if flat is None:
        return None
    kept = scratch(est)
    spares = kept.get("spares") or Spares(None, {})
    state = {k: getattr(est, k) for k in names if hasattr(est, k)}
    for key, value in state.items():  # weights and histories: the fit appends
        if isinstance(value, list):
            state[key] = list(value)
    spare_moments, old_moments = {}, {}
    optimizer = state.get("_optimizer")
    if optimizer is not None and est.solver != "lbfgs":
        optimizer = state["_optimizer"] = copy.copy(optimizer)
        for name in _MOMENTS:
            arrays = _moments(optimizer, name)
            if not arrays:
                continue
            if len(arrays) != 1 or arrays[0].shape != flat.shape:
                return None
            old_moments[name] = arrays
            spare_moments[name] = [spares.take(name, arrays[0])]
    new_flat = spares.take(None, flat)
    if est.solver == "lbfgs":
        np.copyto(new_flat, flat)
        views = views_of(new_flat, params)
        state["coefs_"] = views[:n_layers]
        if est.fit_intercept:
            state["intercepts_"] = views[n_layers:]
        kept["first_step_into"] = None
        trained_flat = new_flat
    else:
        kept["first_step_into"] = (new_flat, spare_moments)
        trained_flat = flat

    def adopt(est):
        kept.pop("first_step_into", None)
        if est.coefs_[0].base is new_flat:
            # The arrays trained replaced these, which become the spares.
            free = Spares(flat, old_moments)
        else:
            free = spares  # no step was adopted (interrupted before it)
        # A moment array the adopted optimizer still holds (plain gradient
        # descent never replaces its velocities; an interrupted first step
        # may have) is not free: the next call must not write into it.
        held = {id(a) for name in _MOMENTS for a in _moments(est._optimizer, name)}
        moments = {n: a for n, a in free.moments.items() if id(a[0]) not in held}
        kept["spares"] = Spares(free.flat, moments)

    return state, trained_flat, adopt


def weights_as(state, dtype):
    """Copies of a fit state's weights and batch-norm arrays in ``dtype``."""
    new = {k: [a.astype(dtype) for a in state[k]] for k in ("coefs_", "intercepts_")}
    bn = state["batch_norm_"]
    if bn is not None:
        bn = type(bn)(**{k: [a.astype(dtype) for a in v] for k, v in vars(bn).items()})
    return {**state, **new, "batch_norm_": bn}


def compatible_state(est, X, Y):
    """``(state, flat, adopt)``: the fitted state to train, the original untouched.

    Over spare buffers where it can be (``continued_state``), else a deep
    copy (``flat`` None: the caller flattens it). ``adopt(est)`` runs once
    the state has replaced the estimator's.
    """
    if Y.shape[1] != est.n_outputs_:
        raise ValueError(
            f"y has {Y.shape[1]} outputs, but the fitted network has {est.n_outputs_}."
        )
    hidden = [W.shape[1] for W in est.coefs_[:-1]]
    if hidden != est._hidden_units():
        raise ValueError(
            f"hidden_layer_sizes={est.hidden_layer_sizes} differs from the fitted "
            f"network's {tuple(hidden)}: refit with warm_start=False."
        )
    if bool(est.batch_norm) != (est.batch_norm_ is not None):
        raise ValueError(
            f"batch_norm={est.batch_norm} differs from the fitted network's "
            f"{est.batch_norm_ is not None}: refit with warm_start=False."
        )
    names = [k for k in vars(est) if k.endswith("_") and not k.startswith("__")]
    names += ["_no_improvement_count", "_optimizer", "_rng"]
    continued = continued_state(est, names, X.dtype)
    if continued is not None:
        return continued
    forget_scratch(est)
    state = {k: copy.deepcopy(getattr(est, k)) for k in names if hasattr(est, k)}
    if X.dtype != state["coefs_"][0].dtype:
        state.update(weights_as(state, X.dtype))
        state["_optimizer"] = None
    return state, None, forget_scratch
