"""
====================================
Grid search on a dask cluster
====================================

A :class:`~sklearn.model_selection.GridSearchCV` fits one network per
parameter setting and cross-validation fold: independent jobs, which
scikit-learn hands to :mod:`joblib`. With the optional ``dask`` extra
installed (``pip install ".[dask]"`` from a clone), joblib's ``"dask"``
backend sends those jobs to the workers of a :mod:`dask.distributed` cluster
instead of to local processes. The search code itself does not change.

This example starts a small cluster on this machine (a
:class:`~distributed.LocalCluster` of two worker processes, listening on
127.0.0.1 only), searches the hidden layer size of a
:class:`~sklearn_toynet.ToyNetClassifier` on it, checks that the scores are
identical to those of the same search run locally, and shuts the cluster down.
On a real multi-machine cluster only the line that makes the ``Client``
changes: see :ref:`distributed`.
"""

# %%
# The data and the search
# -----------------------
# Two interleaved half moons with label noise: a linear model cannot separate
# them, so the accuracy should grow with the number of hidden units. The
# random states fix the network's initialization and the folds, so the search
# is deterministic wherever its fits run.
import time

import joblib
import numpy as np
from distributed import Client, LocalCluster
from sklearn.base import clone
from sklearn.datasets import make_moons
from sklearn.model_selection import GridSearchCV, StratifiedKFold

from sklearn_toynet import ToyNetClassifier

X, y = make_moons(n_samples=400, noise=0.3, random_state=0)

sizes = [1, 2, 4, 8, 16, 32, 64]
search = GridSearchCV(
    ToyNetClassifier(learning_rate_init=0.01, max_iter=1000, random_state=0),
    {"hidden_layer_sizes": [(n,) for n in sizes]},
    cv=StratifiedKFold(n_splits=5, shuffle=True, random_state=0),
    n_jobs=-1,  # under the dask backend: every thread of the cluster
)

# %%
# Start a cluster
# ---------------
# :class:`~distributed.LocalCluster` starts a scheduler in this process and
# two worker processes of one thread each. The workers are new Python
# processes that import this script (as ``__mp_main__``), so everything that
# starts work sits under ``if __name__ == "__main__":``: without it, each
# worker would try to start a cluster of its own. ``host="127.0.0.1"`` keeps
# all of the cluster's sockets on the loopback interface, and
# ``dashboard_address=None`` starts no dashboard.
if __name__ == "__main__":
    cluster = LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
    )
    client = Client(cluster)
    print("workers:", len(client.nthreads()))

# %%
# Search on the cluster
# ---------------------
# Inside ``joblib.parallel_config(backend="dask")``, joblib gives every batch
# of fits to the cluster of the current ``Client``. The estimator and the data
# travel to the workers by pickle, so every worker needs ``sklearn_toynet``
# installed (here they share this machine's environment).
if __name__ == "__main__":
    start = time.perf_counter()
    with joblib.parallel_config(backend="dask"):
        search.fit(X, y)
    dask_seconds = time.perf_counter() - start
    print(f"{len(sizes) * search.n_splits_} fits on the cluster: {dask_seconds:.1f} s")
    print("best parameters:", search.best_params_)
    print(f"best cross-validated accuracy: {search.best_score_:.3f}")

# %%
# The same search, locally
# ------------------------
# The same search without dask, one fit after another in this process. Each
# fit starts from the same seed on the same fold, whichever process runs it,
# so the scores agree to the last bit.
if __name__ == "__main__":
    local = clone(search).set_params(n_jobs=1)
    start = time.perf_counter()
    local.fit(X, y)
    print(f"the same fits locally: {time.perf_counter() - start:.1f} s")
    for key in ["mean_test_score", "std_test_score"]:
        assert np.array_equal(search.cv_results_[key], local.cv_results_[key]), key
    print("cluster and local cv_results_ are identical:", True)

# %%
# These fits take milliseconds each, so the cluster's overhead (pickling the
# data and the estimator, a round trip per batch) outweighs the parallelism
# here; the backend pays off when each fit takes seconds and the cluster has
# many cores. Shut the cluster down: this stops the worker processes.
if __name__ == "__main__":
    client.close()
    cluster.close()

# %%
# Accuracy against the hidden layer size
# --------------------------------------
# The cluster's scores (line, with one standard deviation over the folds)
# and the local run's (crosses) coincide.
if __name__ == "__main__":
    import matplotlib.pyplot as plt  # here, not above: the workers don't need it

    mean = search.cv_results_["mean_test_score"]
    std = search.cv_results_["std_test_score"]
    fig, ax = plt.subplots(figsize=(7, 4.5))
    ax.plot(sizes, mean, marker="o", label="GridSearchCV on the dask cluster")
    ax.fill_between(sizes, mean - std, mean + std, alpha=0.2)
    ax.plot(
        sizes,
        local.cv_results_["mean_test_score"],
        linestyle="none",
        marker="x",
        markersize=10,
        color="black",
        label="the same search, run locally",
    )
    ax.set_xscale("log", base=2)
    ax.set_xticks(sizes, [str(n) for n in sizes])
    ax.set_xlabel("hidden units (one hidden layer)")
    ax.set_ylabel("5-fold cross-validated accuracy")
    ax.set_title("Hidden layer size searched on a 2-worker dask cluster, moons")
    ax.legend(loc="lower right")
    fig.tight_layout()
    plt.show()

# %%
# On a real cluster
# -----------------
# Start a scheduler on one machine (``dask scheduler``) and a worker on each
# of the others (``dask worker tcp://scheduler-host:8786``), with the same
# versions of Python, NumPy, scikit-learn, dask and ``sklearn-toynet``
# installed everywhere. Then replace the ``LocalCluster`` above by::
#
#     client = Client("tcp://scheduler-host:8786")
#
# and run the search exactly as above. Data too large for one machine's
# memory calls for ``partial_fit`` over a dask array instead, with
# :class:`dask_ml.wrappers.Incremental`: see :ref:`distributed`.
