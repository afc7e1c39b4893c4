"""Thread limits of calls that overlap in threads: the user's counts come back.

A server predicting on several threads runs limited calls that start and end
in any order. Eight threads here enter and leave their calls in a forced order
(each waits for its turn), the user's pools at four threads whatever the
machine's cores, every call asking for another count, so that a call saving
and restoring counts on its own would restore another's lowered count. After
the last call, every pool must hold the user's count again: on stand-ins for
the ways libraries keep a count (one for the process; one per thread; one that
only the first thread to set it may change, as ``threadpoolctl`` 3.8 rules for
OpenBLAS), and on this machine's BLAS and PyTorch (when installed).
"""

import sys
import threading
from types import SimpleNamespace

import numpy as np
import pytest
from threadpoolctl import threadpool_info, threadpool_limits

from sklearn_toynet import ToyNetRegressor, _base, _threads

N_THREADS = 8
USERS = 4  # the user's count: more than a call asks, on any number of cores
# One call's largest product per row (a 1,000-unit layer) and its rows: 12, 8
# and 4 million multiply-adds ask for three, two and one thread.
UNITS = [1000, 1000]
ROWS = [12, 8, 4]
WAIT = 30  # seconds a thread waits for its turn before the test fails

EXIT_ORDERS = {
    "first-in-first-out": list(range(N_THREADS)),
    "last-in-first-out": list(reversed(range(N_THREADS))),
    "interleaved": [3, 0, 6, 1, 7, 2, 5, 4],
}
SCOPES = ["process", "thread", "one-thread-sets"]


class FakePool:
    """A thread count kept as a library keeps it, for the test.

    ``scope``: "process", one count (OpenBLAS's own threads, MKL, BLIS);
    "thread", one per thread, a new thread starting from the count last set
    anywhere (PyTorch's OpenMP builds); "one-thread-sets", one count that only
    the first living thread to set it may change (``threadpoolctl`` 3.8 and
    later on OpenBLAS's own threads): the others' settings do nothing.
    """

    def __init__(self, scope, count, filepath=""):
        self.scope, self.filepath = scope, filepath
        self.last_set = count
        self._setter = None
        self._here = threading.local()
        self._threads_counts = []  # each thread's count, in a list of one

    def _this_threads(self):
        count = getattr(self._here, "count", None)
        if count is None:
            count = self._here.count = [self.last_set]
            self._threads_counts.append(count)
        return count

    def get_num_threads(self):
        if self.scope == "thread":
            return self._this_threads()[0]
        return self.last_set

    def set_num_threads(self, count):
        if self.scope == "one-thread-sets":
            if self._setter is None or not self._setter.is_alive():
                self._setter = threading.current_thread()
            if self._setter is not threading.current_thread():
                return
        if self.scope == "thread":
            self._this_threads()[0] = count
        self.last_set = count

    def counts(self):
        """The counts a thread would run with now: its own, or a new one's."""
        return {self.last_set, *(count for (count,) in self._threads_counts)}


class Turns:
    """Turns of named steps taken by several threads, one after another."""

    def __init__(self, turns):
        self.turns = turns
        self.step = 0
        self.failed = None
        self._changed = threading.Condition()

    def wait_for(self, turn):
        """Block until it is ``turn``'s turn (raise if a thread failed)."""
        with self._changed:
            came = self._changed.wait_for(
                lambda: self.failed or self.turns[self.step] == turn, timeout=WAIT
            )
            if self.failed or not came:
                raise RuntimeError(f"{turn} never came: {self.failed or 'stuck'}")

    def done(self):
        with self._changed:
            self.step += 1
            self._changed.notify_all()

    def fail(self, error):
        with self._changed:
            self.failed = self.failed or error
            self._changed.notify_all()


def run_in_turns(call, exit_order, inside=None):
    """Run ``call(i)``'s context on thread ``i`` of ``N_THREADS``, in turns.

    ``call(i)`` returns ``(context, after)``. Thread 0 enters its context
    first, then 1, ...; once all are inside, ``inside()`` runs on this
    thread; then they leave in ``exit_order``, and each calls ``after()``
    (if not None) once out. Returns ``inside()`` and the ``after()`` results
    by thread.
    """
    turns = Turns(
        [("enter", i) for i in range(N_THREADS)]
        + [("inside", None)]
        + [("exit", i) for i in exit_order]
    )
    afters = {}

    def worker(i):
        try:
            context, after = call(i)
            turns.wait_for(("enter", i))
            with context:
                turns.done()
                turns.wait_for(("exit", i))
            if after is not None:
                afters[i] = after()
            turns.done()
        except BaseException as error:  # reported on the test's thread
            turns.fail(error)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(N_THREADS)]
    for thread in threads:
        thread.start()
    seen_inside = None
    try:
        turns.wait_for(("inside", None))
        seen_inside = None if inside is None else inside()
        turns.done()
    except BaseException as error:
        turns.fail(error)
    for thread in threads:
        thread.join(WAIT)
    if turns.failed:
        raise turns.failed
    return seen_inside, afters


# -- BLAS pools ---------------------------------------------------------------------


def _blas_counts():
    return {
        lib["filepath"]: lib["num_threads"]
        for lib in threadpool_info()
        if lib["user_api"] == "blas"
    }


def _numpys_pools(counts):
    """numpy's pools' entries of a ``_blas_counts`` dict (as ``_threads``)."""
    ours = {f: n for f, n in counts.items() if "numpy" in f}
    return ours or counts


@pytest.fixture
def users_blas_counts():
    """This machine's BLAS pools at ``USERS`` threads (more than it has cores)."""
    with threadpool_limits(limits=USERS, user_api="blas"):
        counts = _blas_counts()
        if set(_numpys_pools(counts).values()) != {USERS}:
            pytest.skip(f"this BLAS caps its count below {USERS}: nothing to overlap")
        yield counts


@pytest.fixture(params=[*SCOPES, "this machine's"])
def blas_counts(request, monkeypatch):
    """BLAS pools at ``USERS`` threads: ``(counts_now, the user's counts)``.

    ``counts_now()``: each pool's counts a thread would run with now.
    """
    if request.param == "this machine's":
        users = request.getfixturevalue("users_blas_counts")
        return (
            lambda: {pool: {count} for pool, count in _blas_counts().items()},
            {pool: {count} for pool, count in users.items()},
        )
    pools = [
        FakePool(request.param, USERS, f"{package}.libs/libopenblas.so")
        for package in ("numpy", "scipy")
    ]
    controller = SimpleNamespace(lib_controllers=pools)
    monkeypatch.setattr(
        _threads,
        "ThreadpoolController",
        lambda: SimpleNamespace(select=lambda user_api: controller),
    )
    monkeypatch.setattr(_threads, "_pools", None)  # found again: the stand-ins
    return (
        lambda: {pool.filepath: pool.counts() for pool in pools},
        {pool.filepath: {USERS} for pool in pools},
    )


@pytest.mark.parametrize("exit_order", EXIT_ORDERS)
def test_overlapping_calls_leave_the_users_blas_counts(blas_counts, exit_order):
    def call(i):
        # Fits (which hold the other pools at one thread too) and predictions.
        rows = ROWS[i % len(ROWS)]
        return _threads.limited_blas(rows, UNITS, fit=i % 2 == 0), None

    run_in_turns(call, EXIT_ORDERS[exit_order])
    counts_now, users = blas_counts
    assert counts_now() == users


# Stand-ins only: eight fits at four threads each on this machine's two cores
# took 10 s (their counts are checked by the test above).
@pytest.mark.parametrize("blas_counts", SCOPES, indirect=True)
def test_concurrent_fits_leave_the_users_blas_counts(monkeypatch, blas_counts):
    # Eight L-BFGS fits of 4, 8 and 12 million multiply-adds, all inside their
    # limits at once, then leaving in whatever order they finish.
    everyone_inside = threading.Barrier(N_THREADS, timeout=WAIT)
    real = _base.fit_lbfgs

    def fit_lbfgs(*args, **kwargs):
        everyone_inside.wait()
        return real(*args, **kwargs)

    monkeypatch.setattr(_base, "fit_lbfgs", fit_lbfgs)
    rng = np.random.RandomState(0)
    X, y = rng.rand(3000, 50), rng.rand(3000)
    errors = []

    def fit(i):
        rows = 1000 * (i % 3 + 1)
        # One iteration, tol=None: the limits are under test, not convergence.
        est = ToyNetRegressor(
            hidden_layer_sizes=(80,), solver="lbfgs", max_iter=1, tol=None
        )
        try:
            est.fit(X[:rows], y[:rows])  # (warnings.catch_warnings is per process)
        except BaseException as error:  # reported on the test's thread
            errors.append(error)

    threads = [threading.Thread(target=fit, args=(i,)) for i in range(N_THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(WAIT)
    assert errors == []
    counts_now, users = blas_counts
    assert counts_now() == users


def test_nested_calls_in_one_thread_restore_the_outer_calls_limit(users_blas_counts):
    ours = _numpys_pools(users_blas_counts)
    with _threads.limited_blas(12, UNITS, fit=False):
        assert {f: _blas_counts()[f] for f in ours} == dict.fromkeys(ours, 3)
        with _threads.limited_blas(4, UNITS, fit=True):
            assert set(_blas_counts().values()) == {1}
        assert {f: _blas_counts()[f] for f in ours} == dict.fromkeys(ours, 3)
    assert _blas_counts() == users_blas_counts


def test_a_count_the_user_sets_between_calls_is_the_one_restored(users_blas_counts):
    with _threads.limited_blas(4, UNITS, fit=True):
        pass
    with threadpool_limits(limits=3, user_api="blas"):
        lowered = _blas_counts()
        with _threads.limited_blas(4, UNITS, fit=True):
            assert set(_blas_counts().values()) == {1}
        assert _blas_counts() == lowered
    assert _blas_counts() == users_blas_counts


# -- PyTorch's CPU threads ------------------------------------------------------------


class CPUTensor:
    """What ``limited_device_threads`` asks of a PyTorch CPU tensor."""

    device = SimpleNamespace(type="cpu")


CPUTensor.__module__ = "torch"


@pytest.fixture(params=[*SCOPES[:2], "PyTorch"])
def torch_and_tensor(request, monkeypatch):
    """PyTorch (a stand-in of each scope, or itself) at ``USERS`` CPU threads."""
    if request.param == "PyTorch":
        torch = pytest.importorskip("torch", reason="PyTorch is not installed")
        before = torch.get_num_threads()
        torch.set_num_threads(USERS)
        yield torch, torch.asarray(np.zeros((1, 1)))
        torch.set_num_threads(before)
        return
    torch = FakePool(request.param, USERS)
    monkeypatch.setitem(sys.modules, "torch", torch)
    yield torch, CPUTensor()


@pytest.mark.parametrize("exit_order", EXIT_ORDERS)
def test_overlapping_calls_leave_the_users_pytorch_count(torch_and_tensor, exit_order):
    torch, X = torch_and_tensor

    def call(i):
        rows = ROWS[i % len(ROWS)]
        return _threads.limited_device_threads(X, rows, UNITS), torch.get_num_threads

    _, after = run_in_turns(call, EXIT_ORDERS[exit_order])
    if getattr(torch, "scope", "thread") == "thread":
        # A count per thread: each calling thread's is the user's once out.
        assert after == dict.fromkeys(range(N_THREADS), USERS)
    assert torch.get_num_threads() == USERS
    if isinstance(torch, FakePool):  # and a new thread's
        assert torch.counts() == {USERS}


def test_nested_calls_restore_the_outer_pytorch_limit(torch_and_tensor):
    torch, X = torch_and_tensor
    with _threads.limited_device_threads(X, 12, UNITS):
        assert torch.get_num_threads() == 3
        with _threads.limited_device_threads(X, 4, UNITS):
            assert torch.get_num_threads() == 1
        assert torch.get_num_threads() == 3
    assert torch.get_num_threads() == USERS
