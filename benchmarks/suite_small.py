"""Sections 3-4: the blog's 4-row network per iteration, predict_proba throughput."""

import numpy as np

from . import _blog
from . import _contenders as C
from ._data import tabular
from ._numpy_loop import NumpyLoopMLP, one_hot
from ._results import Check, Row, Section, noise_check, ratio
from ._timing import alternate, medians, noise

RAW = "raw 11-line loop"
GEMM = "first-layer GEMM"


def blog(cfg, log=print):
    n_iter, n_mlp, repeats = cfg["blog_iter"], cfg["blog_iter_mlp"], cfg["repeats"]
    log(f"  blog: {n_iter} iterations ...")
    X, y = _blog.X, _blog.targets()
    fitted = {}

    def toynet():
        fitted[C.TOYNET] = C.quiet_fit(C.blog_toynet(n_iter), X, y)
        return n_iter

    def mlp():
        C.quiet_fit(C.blog_mlp(n_mlp), X, y)
        return n_mlp

    def raw():
        _blog.raw_loop(n_iter)
        return n_iter

    contenders = {RAW: raw}
    if C.have_toynet():
        contenders[C.TOYNET] = toynet
    contenders[C.MLP] = mlp
    times = alternate(contenders, repeats)
    med = {k: v * 1e6 for k, v in medians(times).items()}
    section = Section(
        "blog",
        "Blog network: 3-4-1 sigmoid, 4 rows, full batch",
        "us/iteration",
        [C.TOYNET, RAW, C.MLP],
        notes=[
            f"ToyNet and the raw loop run {n_iter} iterations, MLPClassifier "
            + f"(batch 4, no momentum, with biases) {n_mlp}; time / iterations",
        ],
    )
    toy = med.get(C.TOYNET)
    section.rows.append(
        Row(
            "XOR, 4 x 3",
            med,
            [
                Check("ToyNet/raw", ratio(toy, med[RAW]), 1.3),
                Check("MLP/raw", ratio(med[C.MLP], med[RAW])),
                noise_check(noise(times)),
            ],
        )
    )
    if C.TOYNET in fitted:
        ok = np.array_equal(fitted[C.TOYNET].predict(X), y)
        section.notes.append(
            f"ToyNet learns XOR in {n_iter} iterations: {'yes' if ok else 'NO'}"
        )
    return [section]


def predict(cfg, log=print):
    n, repeats = cfg["predict_n"], cfg["repeats"]
    section = Section(
        "predict",
        f"predict_proba on {n:,} x 100 rows (100 hidden units)",
        "ms",
        [C.TOYNET, C.MLP, C.NUMPY, GEMM],
        notes=[
            "models fit for 1 epoch on 5,000 rows; time of one predict_proba call",
            f"{GEMM} = X @ W of the first layer alone, a cache-sized block of rows "
            + "at a time (as ToyNet): the product every forward pass computes; "
            + "GEMM/MLP is informational",
        ],
    )
    for n_classes, dt in cfg["predict_cases"]:
        task = "binary" if n_classes == 2 else f"{n_classes}-class"
        case = f"{task} {np.dtype(dt).name}"
        log(f"  predict_proba: {case} ...")
        X, y = tabular(n, n_classes=n_classes)
        X = X.astype(dt)
        Xs, ys = X[:5000], y[:5000]
        params = C.epoch_params("adam", "relu", 1)
        models = {C.MLP: C.quiet_fit(C.make_mlp(**params), Xs, ys)}
        if C.have_toynet():
            models[C.TOYNET] = C.quiet_fit(C.make_toynet(**params), Xs, ys)
        models[C.NUMPY] = NumpyLoopMLP(solver="adam").fit(Xs, one_hot(ys).astype(dt), 1)
        contenders = {name: _predictor(m, X) for name, m in models.items()}
        contenders[GEMM] = _first_layer_gemm(X, models[C.MLP].coefs_[0])
        times = alternate(contenders, repeats)
        med = {k: v * 1e3 for k, v in medians(times).items()}
        section.rows.append(
            Row(
                case,
                med,
                [
                    Check("ToyNet/MLP", ratio(med.get(C.TOYNET), med[C.MLP]), 0.6),
                    Check("ToyNet/numpy", ratio(med.get(C.TOYNET), med[C.NUMPY])),
                    Check("GEMM/MLP", ratio(med[GEMM], med[C.MLP])),
                    noise_check(noise(times)),
                ],
            )
        )
    return [section]


def _predictor(model, X):
    def predict_proba():
        model.predict_proba(X)

    return predict_proba


def _first_layer_gemm(X, W, chunk=2**18 // 100):
    out = np.empty((chunk, W.shape[1]), dtype=X.dtype)

    def gemm():
        for start in range(0, X.shape[0], chunk):
            block = X[start : start + chunk]
            np.matmul(block, W, out=out[: block.shape[0]])

    return gemm
