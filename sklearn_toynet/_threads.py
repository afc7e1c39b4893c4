"""BLAS thread pools during one call: one pool at work, sized to the products.

A pip-installed numpy and scipy each load their own OpenBLAS, each with its own
pool of worker threads, which spin for a while after every product. L-BFGS
alternates numpy's products (the network) with scipy's optimizer, so the two
pools' spinning workers compete for the same cores. Within a call
:func:`limited_blas` therefore

- holds every BLAS pool other than numpy's at one thread (during a fit; the
  optimizer's own vector work gains nothing from threads), and
- gives numpy's pool, which runs the network's products, one thread per
  ``MULTIPLY_ADDS_PER_THREAD`` multiply-adds of the largest product of one
  batch, never more threads than it had.

Measured on 2 cores (OpenBLAS 0.3.30, numpy's pool, scipy's at one thread),
a whole L-BFGS fit gains only 3-13% from a second thread while that product
is below 8 million multiply-adds (digits: 1,200 rows x 64 x 64 is 4.9
million), and loses several-fold whenever another process keeps a core busy,
as the spinning workers wait for each other; from 10 million on, the second
thread gains 15-25%: two threads from 8 million on. Products under
OpenBLAS's own threshold run on one thread anyway.

Limits last for the call only: the user's thread counts come back when it
returns or raises. Nothing is ever raised above what the user set (with
``threadpoolctl``, ``torch.set_num_threads`` or ``OPENBLAS_NUM_THREADS``).

Calls overlap when a server predicts on several threads, and a library keeps
its count for the whole process (OpenBLAS's own threads, MKL, BLIS), or for
each thread (OpenBLAS on OpenMP, PyTorch's usual builds), or, through
``threadpoolctl`` 3.8 and later, lets one thread at a time change OpenBLAS's.
Each pool's count is therefore a :class:`SharedCount`: under one lock, the
first of overlapping calls saves the user's count, each call sets its own
thread's count on entry and sets it back on exit (to the user's, or to an
outer call's when nested), and the last call to leave sets the user's count
once more. Whatever the library's scope, the counts left behind are the
user's; while calls overlap, a pool kept for the whole process holds the
count of the call that started or ended last. A count the user changes
between calls is the one the next call saves; one changed while limited
calls run is replaced when the last of them ends.
"""

import threading
from contextlib import nullcontext

from threadpoolctl import ThreadpoolController

#: Multiply-adds of one batch's largest product that earn one BLAS thread.
MULTIPLY_ADDS_PER_THREAD = 4_000_000

# Products this small run on one thread in OpenBLAS whatever its setting
# (its GEMM threshold is 4 x 65536 multiply-adds): nothing to limit.
_SINGLE_THREADED_ANYWAY = 4 * 65536

# One lock for every SharedCount (and for finding the pools): a call's entry
# and its exit each hold it for a few reads and writes of counts.
_lock = threading.Lock()
_pools = None  # (numpy's pools, the other pools), found once
_NOTHING = nullcontext()  # the context of a call that limits nothing


class SharedCount:
    """One pool's thread count, lowered by calls and given back to the user.

    Parameters
    ----------
    get, set : callable
        The library's ``get_num_threads()`` and ``set_num_threads(n)``.

    Notes
    -----
    :meth:`enter` and :meth:`leave` run under ``_lock``.
    """

    def __init__(self, get, set):
        self.get, self.set = get, set
        self.calls = 0  # calls running, in every thread
        self.users = None  # the count before the first of them
        self.changed = False  # whether any of them set a count
        self._here = threading.local()  # this thread's innermost call's count

    def enter(self, threads):
        """A call asking for at most ``threads`` starts; returns its outer count."""
        outer = getattr(self._here, "threads", None)
        current = self.get()
        users = self.users if self.calls else current  # the first call saves it
        threads = min(users if outer is None else outer, threads)
        changed = current != threads
        if changed:
            self.set(threads)  # (if this raises, the call is not counted)
        if not self.calls:
            self.users, self.changed = users, False
        self.calls += 1
        self.changed |= changed
        self._here.threads = threads
        return outer

    def leave(self, outer):
        """A call ends: its thread's count back to ``outer`` (None: the user's)."""
        self.calls -= 1
        self._here.threads = outer
        threads = self.users if outer is None else outer
        # The last call sets the user's count even where this thread's
        # reads it already: a library may keep a count per thread, and one
        # last set for the threads still to start (PyTorch).
        if (not self.calls and self.changed) or self.get() != threads:
            self.set(threads)


class _Limits:
    """The context of one call: counts asked of pools, given back on exit."""

    __slots__ = ("asked", "outer")

    def __init__(self, asked):
        self.asked = asked  # [(SharedCount, threads), ...]

    def __enter__(self):
        with _lock:
            self.outer = []
            try:
                for pool, threads in self.asked:
                    self.outer.append(pool.enter(threads))
            except BaseException:
                self._leave()
                raise

    def __exit__(self, *exc_info):
        with _lock:
            self._leave()

    def _leave(self):
        for (pool, _), outer in reversed(list(zip(self.asked, self.outer))):
            pool.leave(outer)


def _blas_pools():
    """numpy's BLAS pools and the others, as :class:`SharedCount` objects."""
    global _pools
    if _pools is None:
        with _lock:
            if _pools is None:
                blas = ThreadpoolController().select(user_api="blas").lib_controllers
                ours = [lib for lib in blas if "numpy" in lib.filepath]
                # One shared library (conda, a system BLAS): it runs the network.
                ours = ours or blas
                others = [lib for lib in blas if lib not in ours]
                _pools = tuple(
                    [
                        SharedCount(lib.get_num_threads, lib.set_num_threads)
                        for lib in libs
                    ]
                    for libs in (ours, others)
                )
    return _pools


def largest_product(n_rows, layer_units):
    """Multiply-adds of the largest ``(n_rows, fan_in) @ (fan_in, fan_out)``."""
    return n_rows * max(a * b for a, b in zip(layer_units[:-1], layer_units[1:]))


def threads_for(multiply_adds):
    """The thread count for numpy's pool: one per ``MULTIPLY_ADDS_PER_THREAD``."""
    return max(1, int(multiply_adds // MULTIPLY_ADDS_PER_THREAD))


def limited_blas(n_rows, layer_units, *, fit):
    """Limit the BLAS pools for one call whose batches have ``n_rows`` rows.

    Parameters
    ----------
    n_rows : int
        Rows of one batch (the whole data for L-BFGS, one chunk for predict).
    layer_units : list of int
        ``[n_features, *hidden_layer_sizes, n_outputs]``.
    fit : bool
        Also hold the pools other than numpy's at one thread (a fit may call
        scipy's optimizer between the network's products).

    Returns
    -------
    context : context manager
        Holds the limits from its entry to its exit, sharing the pools with
        other threads' calls (see the module's docstring).
    """
    multiply_adds = largest_product(n_rows, layer_units)
    if not fit and multiply_adds < _SINGLE_THREADED_ANYWAY:
        return _NOTHING  # a small prediction: no pool would start a thread
    ours, others = _blas_pools()
    threads = threads_for(multiply_adds)
    asked = [(pool, threads) for pool in ours]
    if fit:
        asked += [(pool, 1) for pool in others]
    return _Limits(asked)


_torch_count = None  # PyTorch's CPU count as a SharedCount, made at first use


def _torch_shared_count(torch):
    """PyTorch's CPU thread count as one SharedCount for every call."""
    global _torch_count
    if _torch_count is None or _torch_count.get != torch.get_num_threads:
        with _lock:  # two first calls at once must share one
            if _torch_count is None or _torch_count.get != torch.get_num_threads:
                _torch_count = SharedCount(torch.get_num_threads, torch.set_num_threads)
    return _torch_count


def limited_device_threads(X, n_rows, layer_units):
    """PyTorch's CPU thread pool for one call on CPU tensors, by the same rule.

    Another array library's arrays (see ``_array_api``) run their products in
    that library's own pool, which :func:`limited_blas` does not reach. On a
    GPU that is the device's business; PyTorch on the CPU runs an OpenMP pool
    whose spinning workers, on small products, cost more than they compute
    (measured: a 200 x 50 @ 50 x 100 product 40 times slower with two threads
    than one on a busy two-core machine). So it gets NumPy's rule for the
    call: one thread per ``MULTIPLY_ADDS_PER_THREAD`` multiply-adds, never
    more than the user set, shared with overlapping calls as a BLAS pool is.
    Anything else: nothing to do.
    """
    device = getattr(X, "device", None)
    if (
        not type(X).__module__.startswith("torch")
        or getattr(device, "type", "") != "cpu"
    ):
        return _NOTHING
    import torch

    threads = threads_for(largest_product(n_rows, layer_units))
    return _Limits([(_torch_shared_count(torch), threads)])
