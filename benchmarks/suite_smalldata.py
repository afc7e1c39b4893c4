"""Small data: L-BFGS and adam fits on the datasets scikit-learn ships, a grid search.

Where most users fit: a few hundred to a few thousand rows, L-BFGS (scikit-
learn's advice for small data) or adam, at default BLAS threads. Each fit is
also timed with every BLAS pool limited to one thread (threadpoolctl), the
setting where no thread pools can compete: ToyNet at default threads should
be as fast as that (it limits its own pools for the duration of a fit).
"""

import warnings

import numpy as np
from sklearn import datasets
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import GridSearchCV, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from threadpoolctl import ThreadpoolController

from . import _contenders as C
from ._numpy_loop import NumpyLoopMLP, one_hot
from ._results import Check, Row, Section, noise_check, ratio
from ._timing import alternate, medians, noise

ONE = " 1 thread"  # suffix of the one-BLAS-thread columns
HIDDEN = (64,)
DATASETS = {
    "iris": datasets.load_iris,
    "wine": datasets.load_wine,
    "breast_cancer": datasets.load_breast_cancer,
    "digits": datasets.load_digits,
}
ADAM_EPOCHS = 50

_controller = None


def one_blas_thread():
    """A context manager holding every BLAS pool at one thread (threadpoolctl)."""
    global _controller
    if _controller is None:
        _controller = ThreadpoolController()
    return _controller.limit(limits=1, user_api="blas")


def _data(name):
    """Standardized features; digits cut to its first 1,200 rows."""
    X, y = DATASETS[name](return_X_y=True)
    if name == "digits":
        X, y = X[:1200], y[:1200]
    return StandardScaler().fit_transform(X), y


def _params(solver):
    if solver == "lbfgs":
        return {"hidden_layer_sizes": HIDDEN, "solver": "lbfgs", "max_iter": 300}
    return {
        "hidden_layer_sizes": HIDDEN,
        "solver": "adam",
        "max_iter": ADAM_EPOCHS,
        "tol": 0.0,
        "n_iter_no_change": 10**9,
    }


def _fitter(make, X, y, one_thread=False):
    def fit():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            if one_thread:
                with one_blas_thread():
                    make().fit(X, y)
            else:
                make().fit(X, y)

    return fit


def _toynet_threads(n_rows, n_features, n_outputs):
    """The numpy-pool thread count ToyNet's rule picks for this fit's products."""
    try:
        from sklearn_toynet._threads import largest_product, threads_for
    except ImportError:
        return "-"
    return threads_for(largest_product(n_rows, [n_features, *HIDDEN, n_outputs]))


def fits(cfg, log=print):
    """L-BFGS and adam fits, default threads and one BLAS thread."""
    repeats = cfg["repeats"]
    columns = [C.TOYNET, C.MLP, C.TOYNET + ONE, C.MLP + ONE, C.NUMPY]
    section = Section(
        "smallfit",
        f"Small data: one fit, hidden {HIDDEN}, standardized (default threads)",
        "ms",
        columns,
        notes=[
            "lbfgs: max_iter=300 (default tol); adam: exactly "
            f"{ADAM_EPOCHS} epochs of batch 200; random_state=0",
            f"'{ONE.strip()}': every BLAS pool limited to one thread "
            "(threadpoolctl) around the fit: the contention-free reference",
            f"{C.NUMPY}: the bare-numpy floor (adam only; no L-BFGS in it)",
            "threads: the numpy-pool thread count ToyNet's rule picks (one per "
            "4 million multiply-adds of a batch's largest product, at most the "
            "current setting); its fits hold every other BLAS pool at one thread",
        ],
    )
    for name in cfg.get("smallfit_datasets", list(DATASETS)):
        X, y = _data(name)
        n_out = len(np.unique(y))
        n_out = 1 if n_out == 2 else n_out
        for solver in ("lbfgs", "adam"):
            log(f"  small fit: {name} {solver} ...")
            params = {**_params(solver), "random_state": 0}
            contenders = {}
            if C.have_toynet():

                def toynet(params=params):
                    return C.ToyNetClassifier(**params)

                contenders[C.TOYNET] = _fitter(toynet, X, y)
                contenders[C.TOYNET + ONE] = _fitter(toynet, X, y, one_thread=True)

            def mlp(params=params):
                return C.MLPClassifier(**params)

            contenders[C.MLP] = _fitter(mlp, X, y)
            contenders[C.MLP + ONE] = _fitter(mlp, X, y, one_thread=True)
            if solver == "adam":
                Y = one_hot(y)

                def numpy_loop(Y=Y, X=X):
                    NumpyLoopMLP(HIDDEN, solver="adam").fit(X, Y, ADAM_EPOCHS)

                contenders[C.NUMPY] = numpy_loop
            times = alternate(contenders, repeats)
            med = {k: v * 1e3 for k, v in medians(times).items()}
            toy = med.get(C.TOYNET)
            digits_lbfgs = name == "digits" and solver == "lbfgs"
            rows = min(len(X), 200) if solver == "adam" else len(X)
            threads = _toynet_threads(rows, X.shape[1], n_out)
            section.rows.append(
                Row(
                    f"{name} {X.shape[0]} x {X.shape[1]}, {solver}, threads {threads}",
                    med,
                    [
                        Check(
                            "ToyNet/MLP",
                            ratio(toy, med[C.MLP]),
                            0.3 if digits_lbfgs else None,
                        ),
                        Check(
                            "ToyNet/ToyNet 1 thread",
                            ratio(toy, med.get(C.TOYNET + ONE)),
                            1.25 if digits_lbfgs else None,
                        ),
                        Check("MLP/MLP 1 thread", ratio(med[C.MLP], med[C.MLP + ONE])),
                        Check("ToyNet/numpy", ratio(toy, med.get(C.NUMPY))),
                        noise_check(noise(times)),
                    ],
                )
            )
    return [section]


def _search(make_classifier):
    """The search of examples/plot_grid_search.py (16 candidates x 3 folds)."""
    X, y = datasets.load_digits(return_X_y=True)
    X_train, _, y_train, _ = train_test_split(X, y, random_state=0)
    pipeline = make_pipeline(StandardScaler(), make_classifier())
    step = pipeline.steps[-1][0]
    grid = {
        f"{step}__hidden_layer_sizes": [(n,) for n in (1, 2, 4, 8, 16, 32, 64, 128)],
        f"{step}__alpha": [1e-4, 1.0],
    }
    search = GridSearchCV(pipeline, grid, cv=3)

    def run():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            search.fit(X_train, y_train)

    return run


def grid_search(cfg, log=print):
    """The gallery's grid search, default threads against one BLAS thread."""
    repeats = cfg.get("grid_repeats", 3)
    section = Section(
        "gridsearch",
        "Grid search of the gallery example (L-BFGS, 16 candidates x 3 folds, digits)",
        "s",
        [C.TOYNET, C.TOYNET + ONE, C.MLP, C.MLP + ONE],
        notes=[
            "examples/plot_grid_search.py's search: StandardScaler + the "
            "classifier (solver='lbfgs', max_iter=300, random_state=0), hidden "
            "1 to 128 units x alpha in {1e-4, 1}, 3-fold CV on 1,347 digits rows",
            f"'{ONE.strip()}': every BLAS pool limited to one thread around the search",
        ],
    )
    log("  grid search ...")
    contenders = {}
    params = {"solver": "lbfgs", "max_iter": 300, "random_state": 0}
    if C.have_toynet():
        toy = _search(lambda: C.ToyNetClassifier(**params))
        contenders[C.TOYNET] = toy
        contenders[C.TOYNET + ONE] = _one_thread(toy)
    mlp = _search(lambda: C.MLPClassifier(**params))
    contenders[C.MLP] = mlp
    contenders[C.MLP + ONE] = _one_thread(mlp)
    times = alternate(contenders, repeats, warmup=0)
    med = medians(times)
    section.rows.append(
        Row(
            "digits, 48 fits + refit",
            med,
            [
                Check(
                    "ToyNet/ToyNet 1 thread",
                    ratio(med.get(C.TOYNET), med.get(C.TOYNET + ONE)),
                    1.3,
                ),
                Check("ToyNet/MLP", ratio(med.get(C.TOYNET), med[C.MLP])),
                Check("MLP/MLP 1 thread", ratio(med[C.MLP], med[C.MLP + ONE])),
                noise_check(noise(times)),
            ],
        )
    )
    return [section]


def _one_thread(fn):
    def limited():
        with one_blas_thread():
            fn()

    return limited


def run(cfg, log=print):
    return fits(cfg, log) + grid_search(cfg, log)
