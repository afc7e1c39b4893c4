"""The optional ``dask`` extra: searches on a dask cluster, out-of-core training.

One ``LocalCluster`` (2 worker processes of 1 thread, bound to 127.0.0.1, no
dashboard) serves the whole module. Every test checks that the work really ran
on the cluster's workers and that the result equals a plain local run.
"""

import contextlib
import os

import numpy as np
import pytest

pytestmark = pytest.mark.slow  # a local dask cluster per module

distributed = pytest.importorskip("distributed")
da = pytest.importorskip("dask.array")
joblib = pytest.importorskip("joblib")
psutil = pytest.importorskip("psutil")  # a dependency of distributed

from sklearn.datasets import make_classification, make_regression  # noqa: E402
from sklearn.model_selection import GridSearchCV, KFold, StratifiedKFold  # noqa: E402

from sklearn_toynet import ToyNetClassifier, ToyNetRegressor  # noqa: E402

N_ROWS, N_FEATURES, CHUNK_ROWS = 2000, 20, 500


@pytest.fixture(scope="module")
def client():
    """A 2-process cluster on the loopback interface, shut down after the module."""
    with (
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
            # No dashboard; the scheduler's small HTTP server (health checks) on a
            # free loopback port rather than 8787, which a parallel job may hold.
            scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        client.wait_for_workers(2)
        worker_pids = list(client.run(os.getpid).values())
        yield client
    # The worker processes are gone once the cluster is closed.
    alive = []
    for pid in worker_pids:
        with contextlib.suppress(psutil.NoSuchProcess):
            alive.append(psutil.Process(pid))
    _, still_alive = psutil.wait_procs(alive, timeout=10)
    assert not still_alive, f"worker processes left behind: {still_alive}"


def _ran_on_workers(client, task_stream, prefix):
    """Records of the tasks named ``prefix...``, checked to have run on the workers."""
    workers = set(client.scheduler_info()["workers"])
    ran = [
        t
        for t in task_stream.data
        if (t["key"][0] if isinstance(t["key"], tuple) else t["key"]).startswith(prefix)
    ]
    assert ran, f"no {prefix!r} task ran on the cluster"
    assert {t["worker"] for t in ran} <= workers
    return ran


def _connections(process):
    # psutil < 6 names it connections().
    method = getattr(process, "net_connections", None) or process.connections
    return method(kind="inet")


def test_cluster_listens_and_talks_on_loopback_only(client):
    addresses = [client.scheduler.address, *client.scheduler_info()["workers"]]
    assert len(addresses) == 3
    for address in addresses:
        assert address.startswith("tcp://127.0.0.1:"), address
    # Every socket of this process (scheduler, nannies, client) and of the
    # worker processes is bound to, and talks to, the loopback interface.
    me = psutil.Process()
    sockets = []
    for process in [me, *me.children(recursive=True)]:
        with contextlib.suppress(psutil.NoSuchProcess):
            sockets += _connections(process)
    assert sockets
    for sock in sockets:
        assert sock.laddr.ip == "127.0.0.1", sock
        assert not sock.raddr or sock.raddr.ip == "127.0.0.1", sock


@pytest.mark.parametrize(
    "Estimator, make_data, cv, scoring",
    [
        (
            ToyNetClassifier,
            lambda: make_classification(
                n_samples=240, n_features=8, n_informative=5, random_state=0
            ),
            StratifiedKFold(3, shuffle=True, random_state=0),
            ["accuracy", "neg_log_loss"],
        ),
        (
            ToyNetRegressor,
            lambda: make_regression(
                n_samples=240, n_features=8, noise=5.0, random_state=0
            ),
            KFold(3, shuffle=True, random_state=0),
            ["r2", "neg_mean_squared_error"],
        ),
    ],
    ids=["classifier", "regressor"],
)
def test_grid_search_on_the_dask_backend_equals_a_local_run(
    client, Estimator, make_data, cv, scoring
):
    X, y = make_data()
    if Estimator is ToyNetRegressor:
        y = y / y.std()

    def search(n_jobs):
        return GridSearchCV(
            Estimator(learning_rate_init=0.01, max_iter=300, tol=1e-3, random_state=0),
            {"hidden_layer_sizes": [(2,), (8,), (8, 8)]},
            cv=cv,
            scoring=scoring,
            refit=scoring[0],
            n_jobs=n_jobs,
        )

    local = search(n_jobs=None).fit(X, y)
    with (
        distributed.get_task_stream(client) as stream,
        joblib.parallel_config(backend="dask"),
    ):
        remote = search(n_jobs=-1).fit(X, y)
    # joblib's dask backend names its tasks "batch_of__fit_and_score_<n>_calls-".
    _ran_on_workers(client, stream, "batch_of__fit_and_score_")

    assert remote.best_params_ == local.best_params_
    for name in scoring:
        for key in [f"split{k}_test_{name}" for k in range(3)] + [f"mean_test_{name}"]:
            np.testing.assert_allclose(
                remote.cv_results_[key], local.cv_results_[key], rtol=1e-12, atol=0
            )
    np.testing.assert_allclose(remote.predict(X), local.predict(X), rtol=1e-12)


def _blocks(seed=0, n_rows=N_ROWS, regression=False):
    """Features generated block by block on the workers, and a target from them."""
    X = da.random.default_rng(seed).standard_normal(
        (n_rows, N_FEATURES), chunks=(CHUNK_ROWS, N_FEATURES)
    )
    signal = X[:, 0] + X[:, 1] - X[:, 2]
    return X, (signal if regression else (signal > 0).astype("int64"))


def _toynet(Estimator=ToyNetClassifier):
    return Estimator(
        hidden_layer_sizes=(16,), learning_rate_init=0.01, batch_size=50, random_state=0
    )


def _partial_fit_locally(order, n_passes, Estimator=ToyNetClassifier):
    """``partial_fit`` on one block at a time, in ``order``, without dask's help."""
    regression = Estimator is ToyNetRegressor
    X, y = _blocks(regression=regression)
    net = _toynet(Estimator)
    fit_kwargs = {} if regression else {"classes": [0, 1]}
    for _ in range(n_passes):
        for i in order:
            # Only one block is ever in memory here.
            X_block, y_block = X.blocks[i].compute(), y.blocks[i].compute()
            net.partial_fit(X_block, y_block, **fit_kwargs)
    return net


def _assert_same_network(a, b):
    for left, right in zip(a.coefs_ + a.intercepts_, b.coefs_ + b.intercepts_):
        np.testing.assert_allclose(left, right, rtol=1e-12, atol=1e-12)
    assert a.n_iter_ == b.n_iter_
    assert a.t_ == b.t_


def test_incremental_feeds_blocks_in_order_to_partial_fit(client):
    wrappers = pytest.importorskip("dask_ml.wrappers")
    X, y = _blocks()
    assert X.numblocks == (N_ROWS // CHUNK_ROWS, 1)
    # shuffle_blocks=True (dask-ml's default) visits the blocks in a random
    # order; False visits them 0, 1, 2, 3 like the local loop below.
    inc = wrappers.Incremental(_toynet(), scoring="accuracy", shuffle_blocks=False)
    with distributed.get_task_stream(client) as stream:
        inc.fit(X, y, classes=[0, 1])
        inc.partial_fit(X, y)
        inc.partial_fit(X, y)
    # dask-ml's graph: key ("fit-<token>", -1) holds the estimator, and task
    # ("fit-<token>", i) runs partial_fit on block i with the output of task i - 1.
    steps = [t for t in _ran_on_workers(client, stream, "fit-") if t["key"][1] >= 0]
    assert len(steps) == 3 * X.numblocks[0]

    reference = _partial_fit_locally(range(X.numblocks[0]), n_passes=3)
    _assert_same_network(inc.estimator_, reference)
    assert inc.estimator_.t_ == 3 * N_ROWS
    assert len(inc.estimator_.loss_curve_) == 3 * X.numblocks[0]
    assert inc.estimator_.n_iter_ == 1  # as MLPClassifier: this call's epochs

    X_test, y_test = _blocks(seed=1, n_rows=1000)
    predicted = inc.predict(X_test)
    assert isinstance(predicted, da.Array)  # predicted block by block, lazily
    np.testing.assert_array_equal(
        predicted.compute(), reference.predict(X_test.compute())
    )
    assert inc.score(X_test, y_test) > 0.9


def test_incremental_shuffled_blocks_are_reproducible_with_a_seed(client):
    wrappers = pytest.importorskip("dask_ml.wrappers")
    X, y = _blocks()
    inc = wrappers.Incremental(
        _toynet(), scoring="accuracy", shuffle_blocks=True, random_state=0
    )
    inc.fit(X, y, classes=[0, 1])
    # dask-ml shuffles the block indices with check_random_state(random_state).
    order = list(range(X.numblocks[0]))
    np.random.RandomState(0).shuffle(order)
    assert order != sorted(order)
    _assert_same_network(inc.estimator_, _partial_fit_locally(order, n_passes=1))


def test_incremental_trains_a_regressor_out_of_core(client):
    wrappers = pytest.importorskip("dask_ml.wrappers")
    X, y = _blocks(regression=True)
    # Not scoring="r2": dask-ml's r2 on dask arrays fails with dask 2026.8
    # ("cannot broadcast shape (nan,)"), for any estimator; 2025.1 was fine.
    inc = wrappers.Incremental(
        _toynet(ToyNetRegressor),
        scoring="neg_mean_squared_error",
        shuffle_blocks=False,
    )
    inc.fit(X, y)
    inc.partial_fit(X, y)
    reference = _partial_fit_locally(
        range(X.numblocks[0]), n_passes=2, Estimator=ToyNetRegressor
    )
    _assert_same_network(inc.estimator_, reference)
    X_test, y_test = _blocks(seed=1, n_rows=1000, regression=True)
    assert -inc.score(X_test, y_test) < 0.1 * float(y_test.var().compute())
