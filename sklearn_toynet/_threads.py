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

Limits last for the call only: the previous thread counts come back when it
returns or raises. Nothing is ever raised above what the user set (with
``threadpoolctl`` or ``OPENBLAS_NUM_THREADS``).
"""

import threading
from contextlib import contextmanager

from threadpoolctl import ThreadpoolController

#: Multiply-adds of one batch's largest product that earn one BLAS thread.
MULTIPLY_ADDS_PER_THREAD = 4_000_000

# Products this small run on one thread in OpenBLAS whatever its setting
# (its GEMM threshold is 4 x 65536 multiply-adds): nothing to limit.
_SINGLE_THREADED_ANYWAY = 4 * 65536

_lock = threading.Lock()
_pools = None  # (numpy's pools, the other pools), found once


def _blas_pools():
    """numpy's BLAS pools and the others, as threadpoolctl controllers."""
    global _pools
    if _pools is None:
        with _lock:
            if _pools is None:
                blas = ThreadpoolController().select(user_api="blas").lib_controllers
                ours = [lib for lib in blas if "numpy" in lib.filepath]
                # One shared library (conda, a system BLAS): it runs the network.
                ours = ours or blas
                _pools = (ours, [lib for lib in blas if lib not in ours])
    return _pools


def largest_product(n_rows, layer_units):
    """Multiply-adds of the largest ``(n_rows, fan_in) @ (fan_in, fan_out)``."""
    return n_rows * max(a * b for a, b in zip(layer_units[:-1], layer_units[1:]))


def threads_for(multiply_adds):
    """The thread count for numpy's pool: one per ``MULTIPLY_ADDS_PER_THREAD``."""
    return max(1, int(multiply_adds // MULTIPLY_ADDS_PER_THREAD))


@contextmanager
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
    """
    multiply_adds = largest_product(n_rows, layer_units)
    if not fit and multiply_adds < _SINGLE_THREADED_ANYWAY:
        yield  # a small prediction: no pool would start a thread
        return
    ours, others = _blas_pools()
    wanted = [(lib, threads_for(multiply_adds)) for lib in ours]
    if fit:
        wanted += [(lib, 1) for lib in others]
    changed = []
    try:
        for lib, threads in wanted:
            current = lib.get_num_threads()
            if threads < current:
                lib.set_num_threads(threads)
                changed.append((lib, current))
        yield
    finally:
        for lib, threads in reversed(changed):
            lib.set_num_threads(threads)


@contextmanager
def limited_device_threads(X, n_rows, layer_units):
    """PyTorch's CPU thread pool for one call on CPU tensors, by the same rule.

    Another array library's arrays (see ``_array_api``) run their products in
    that library's own pool, which :func:`limited_blas` does not reach. On a
    GPU that is the device's business; PyTorch on the CPU runs an OpenMP pool
    whose spinning workers, on small products, cost more than they compute
    (measured: a 200 x 50 @ 50 x 100 product 40 times slower with two threads
    than one on a busy two-core machine). So it gets NumPy's rule for the
    call: one thread per ``MULTIPLY_ADDS_PER_THREAD`` multiply-adds, never
    more than it had. Anything else: nothing to do.
    """
    device = getattr(X, "device", None)
    if (
        not type(X).__module__.startswith("torch")
        or getattr(device, "type", "") != "cpu"
    ):
        yield
        return
    import torch

    current = torch.get_num_threads()
    wanted = min(current, threads_for(largest_product(n_rows, layer_units)))
    if wanted < current:
        torch.set_num_threads(wanted)
    try:
        yield
    finally:
        if wanted < current:
            torch.set_num_threads(current)
