"""Elementwise kernels written several ways, one picked per process for its CPU.

Which way of writing an elementwise kernel is fastest depends on the CPU's SIMD
level and on numpy's build: numpy's float64 ``tanh`` runs 6x slower with AVX2
than with AVX-512, where it beats ``exp`` (2x slower than ``exp`` on AVX2);
scipy's ``expit`` is vectorized for neither. A *kernel* here is a name with
*candidates*: functions with the same contract (in place on a NumPy array,
finite and warning-free for any finite input) computing the same values to
rounding.

:func:`choose` returns a kernel's candidate for a dtype. The first time it is
asked, it times every candidate on a representative block (``BLOCK`` values
drawn once, best of ``REPEATS``: 1-3 ms per kernel and dtype on a quiet
machine, up to 15 ms on a busy one) and keeps the fastest for the rest of the
process. The first candidate registered is the default: another replaces it
only when at least ``MARGIN`` faster, so two runs on one machine rarely pick
differently.

To force a choice (tests, benchmarks): :func:`force`, or the environment
variable ``SKLEARN_TOYNET_KERNELS``, read at the first choice, e.g.
``SKLEARN_TOYNET_KERNELS="logistic=exp,tanh=tanh"``. :func:`choices` reports what
this process picked.
"""

import os
import time

import numpy as np

#: The environment variable that forces choices: ``kernel=candidate,...``.
ENV_VAR = "SKLEARN_TOYNET_KERNELS"
#: The block each candidate is timed on: a batch of 256 rows of 128 units.
BLOCK = (256, 128)
#: Timed calls per candidate; the fastest counts.
REPEATS = 5
#: A candidate replaces the default only when this much faster (0.1: 10%).
MARGIN = 0.1

_CANDIDATES = {}  # kernel -> {candidate name: function}, the default first
_chosen = {}  # (kernel, dtype) -> function: the hot path's one lookup
_names = {}  # (kernel, dtype) -> candidate name, for ``choices``
_forced = None  # kernel -> candidate name; read from ENV_VAR on first use


def candidate(kernel, name):
    """Register the decorated function as candidate ``name`` of ``kernel``.

    The first candidate of a kernel is its default.
    """

    def register(function):
        _CANDIDATES.setdefault(kernel, {})[name] = function
        return function

    return register


def candidates(kernel):
    """The candidates of ``kernel``: ``{name: function}``, the default first."""
    if kernel not in _CANDIDATES:
        raise ValueError(
            f"Unknown kernel {kernel!r}; the kernels are {sorted(_CANDIDATES)}."
        )
    return dict(_CANDIDATES[kernel])


def choose(kernel, dtype):
    """The candidate of ``kernel`` to run on arrays of ``dtype``.

    Forced, or measured on first use and cached for the process.
    """
    try:
        return _chosen[kernel, dtype]
    except KeyError:
        return _choose_now(kernel, np.dtype(dtype))


def _choose_now(kernel, dtype):
    if (kernel, dtype) in _chosen:  # asked for by a type (np.float64), not a dtype
        return _chosen[kernel, dtype]
    forced = _forced_choices().get(kernel)
    name = forced if forced is not None else _fastest(kernel, dtype)
    function = candidates(kernel)[name]
    _names[kernel, dtype] = name
    _chosen[kernel, dtype] = function
    return function


def _fastest(kernel, dtype):
    """The name of ``kernel``'s fastest candidate on a ``BLOCK`` of ``dtype``."""
    options = candidates(kernel)
    # Pre-activations of a typical hidden layer; a fixed generator, so the
    # global random state is left alone.
    block = np.random.default_rng(0).normal(scale=2.0, size=BLOCK).astype(dtype)
    work = np.empty_like(block)
    best = dict.fromkeys(options, np.inf)
    for repeat in range(REPEATS + 1):  # the first round warms the caches
        for name, function in options.items():
            np.copyto(work, block)
            start = time.perf_counter()
            function(work)
            elapsed = time.perf_counter() - start
            if repeat:
                best[name] = min(best[name], elapsed)
    default = next(iter(options))
    fastest = min(best, key=best.get)
    if best[fastest] < (1 - MARGIN) * best[default]:
        return fastest
    return default


def _forced_choices():
    global _forced
    if _forced is None:
        _forced = _parse(os.environ.get(ENV_VAR, ""))
    return _forced


def _parse(text):
    """``{kernel: candidate}`` from ``"kernel=candidate,..."``; checked."""
    forced = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        kernel, sep, name = (s.strip() for s in item.partition("="))
        if not sep or name not in _CANDIDATES.get(kernel, ()):
            raise ValueError(
                f"{ENV_VAR} holds {item!r}: expected kernel=candidate with a "
                f"candidate of {sorted(_CANDIDATES.get(kernel, {}))}."
            )
        forced[kernel] = name
    return forced


def force(kernel, name=None):
    """Run candidate ``name`` of ``kernel`` from now on; None measures again.

    Returns the candidate forced before (None if none was), so a caller can
    put it back.
    """
    if name is not None and name not in candidates(kernel):
        raise ValueError(
            f"{name!r} is not a candidate of {kernel!r}; "
            f"the candidates are {sorted(candidates(kernel))}."
        )
    forced = _forced_choices()
    before = forced.pop(kernel, None)
    if name is not None:
        forced[kernel] = name
    for key in [key for key in _chosen if key[0] == kernel]:
        del _chosen[key], _names[key]
    return before


def choices():
    """What this process picked so far: ``{"kernel dtype": candidate name}``."""
    return {f"{kernel} {dtype}": name for (kernel, dtype), name in _names.items()}
