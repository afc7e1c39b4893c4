"""Alternating-median timing: every repeat runs each contender once, in turn."""

import gc
import statistics
import time

CLOCKS = {"wall": time.perf_counter, "cpu": time.process_time}
_clock = CLOCKS["wall"]


def use_clock(name):
    """Time with wall-clock ("wall", default) or this process's CPU time ("cpu").

    CPU time shrugs off other processes competing for the cores, but counts
    every thread's work (and spin-waiting), so use it with one BLAS thread.
    """
    global _clock
    _clock = CLOCKS[name]


def alternate(contenders, repeats, warmup=1):
    """Time zero-argument callables, interleaved as A, B, C, A, B, C, ...

    Interleaving spreads slow drifts of the machine (thermal throttling,
    other processes, allocator state) over all contenders instead of
    penalising whichever one happens to run last.

    Parameters
    ----------
    contenders : dict of str -> callable
        Each callable does the work once. If it returns a number, that
        number is used as a divisor (e.g. the number of epochs run), so
        the recorded time is per unit of work.
    repeats : int
        Number of timed rounds.
    warmup : int
        Untimed rounds run first (imports, caches, BLAS thread start-up).

    Returns
    -------
    dict of str -> list of float
        Per-round seconds (per unit of work) for every contender.
    """
    for _ in range(warmup):
        for fn in contenders.values():
            fn()
    times = {name: [] for name in contenders}
    gc_was_enabled = gc.isenabled()
    try:
        for _ in range(repeats):
            for name, fn in contenders.items():
                gc.collect()
                gc.disable()
                start = _clock()
                units = fn()
                elapsed = _clock() - start
                gc.enable()
                if (
                    not isinstance(units, bool)
                    and isinstance(units, (int, float))
                    and units > 0
                ):
                    elapsed /= units
                times[name].append(elapsed)
    finally:
        if gc_was_enabled:
            gc.enable()
    return times


def medians(times):
    """Median of every contender's per-round times."""
    return {name: statistics.median(ts) for name, ts in times.items()}


def noise(times, keys=None):
    """Largest relative half-range ``(max - min) / (2 * median)`` among ``keys``.

    A rough flag for disturbed rows: medians shrug off a few slow repeats,
    but a large value says the machine was not quiet while they ran.
    """
    worst = 0.0
    for name, ts in times.items():
        med = statistics.median(ts)
        if (keys is None or name in keys) and med > 0:
            worst = max(worst, (max(ts) - min(ts)) / (2 * med))
    return worst
