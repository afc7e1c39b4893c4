"""Sections 1-2: epoch time (ToyNet vs MLP vs numpy loop) and float32 vs float64.

Every contender trains the same network (100 hidden units, batch 200,
shuffled every epoch) for exactly ``epochs`` epochs; the time per epoch is
the fit time divided by ``epochs`` (one-off set-up is included, amortized).
All dtypes and contenders of one case are interleaved in every repeat.
"""

import numpy as np
from threadpoolctl import threadpool_limits

from . import _contenders as C
from ._data import tabular
from ._numpy_loop import NumpyLoopMLP, one_hot
from ._results import Check, Row, Section, noise_check, ratio
from ._timing import alternate, medians, noise
from ._tuned_loop import TunedLoopMLP

DTYPES = {"f64": np.float64, "f32": np.float32}


def _contenders(X, y, Y, solver, activation, epochs, threads=None, tuned=True):
    params = C.epoch_params(solver, activation, epochs)
    np_params = {
        k: params[k]
        for k in ("hidden_layer_sizes", "activation", "solver", "alpha", "batch_size")
    }
    np_params.update(
        learning_rate_init=params["learning_rate_init"],
        momentum=params["momentum"],
        nesterovs_momentum=params["nesterovs_momentum"],
    )

    def limited(fn):
        if threads is None:
            return fn

        def run():
            with threadpool_limits(limits=threads, user_api="blas"):
                return fn()

        return run

    def toynet():
        C.quiet_fit(C.make_toynet(**params), X, y)
        return epochs

    def mlp():
        C.quiet_fit(C.make_mlp(**params), X, y)
        return epochs

    def numpy_loop():
        NumpyLoopMLP(**np_params).fit(X, Y, epochs)
        return epochs

    classes, codes = np.unique(y, return_inverse=True)

    def tuned_loop():
        TunedLoopMLP(
            activation=activation,
            solver=solver,
            lr=params["learning_rate_init"],
            alpha=params["alpha"],
            batch_size=params["batch_size"],
        ).fit(X, codes, len(classes), epochs)
        return epochs

    out = {C.TOYNET: limited(toynet)} if C.have_toynet() else {}
    out[C.MLP] = limited(mlp)
    out[C.NUMPY] = limited(numpy_loop)
    if tuned:
        out[C.TUNED] = limited(tuned_loop)
    return out


def run(cfg, log=print):
    n, epochs, repeats = cfg["epoch_n"], cfg["epochs"], cfg["repeats"]
    ms = 1e3
    epoch = Section(
        "epoch",
        f"Epoch time, {n:,} x 100, 1 hidden layer of 100, batch 200",
        "ms/epoch",
        [C.TOYNET, C.MLP, C.NUMPY, C.TUNED],
        notes=[
            f"fit for exactly {epochs} epochs (tol off), time / epochs; "
            + f"median of {repeats} alternating repeats",
            "numpy loop = bare-numpy floor (same math, no loss evaluation)",
            "tuned loop = the same math with every numpy overhead cut, the batch "
            + "loss included (benchmarks/_tuned_loop.py): how low numpy goes here; "
            + "tuned/MLP is informational",
        ],
    )
    dtype = Section(
        "dtype",
        "float32 vs float64 (epoch time ratio f32 / f64, same cases)",
        "ratio",
        [f"{name} f32/f64" for name in (C.TOYNET, C.MLP, C.NUMPY, C.TUNED)],
        fmt="{:.2f}",
    )
    data = {}
    for n_classes, solver, activation in cfg["epoch_cases"]:
        if n_classes not in data:
            X, y = tabular(n, n_classes=n_classes)
            Y = one_hot(y)
            data[n_classes] = {
                k: (X.astype(dt), y, Y.astype(dt)) for k, dt in DTYPES.items()
            }
        task = "binary" if n_classes == 2 else f"{n_classes}-class"
        case = f"{task} {solver} {activation}"
        log(f"  epoch: {case} ...")
        contenders = {}
        for dt_name, (X, y, Y) in data[n_classes].items():
            for name, fn in _contenders(X, y, Y, solver, activation, epochs).items():
                contenders[(name, dt_name)] = fn
        times = alternate(contenders, repeats)
        med = medians(times)
        for dt_name in DTYPES:
            vals = {
                name: med[(name, dt_name)] * ms
                for name in epoch.columns
                if (name, dt_name) in med
            }
            toy = vals.get(C.TOYNET)
            epoch.rows.append(
                Row(
                    f"{case} {dt_name}",
                    vals,
                    [
                        Check("ToyNet/MLP", ratio(toy, vals[C.MLP]), 0.5),
                        Check("ToyNet/numpy", ratio(toy, vals[C.NUMPY]), 1.0),
                        Check("tuned/MLP", ratio(vals[C.TUNED], vals[C.MLP])),
                        noise_check(noise(times, [(n, dt_name) for n in vals])),
                    ],
                )
            )
        f32 = {
            name: ratio(med.get((name, "f32")), med.get((name, "f64")))
            for name in epoch.columns
        }
        dtype.rows.append(
            Row(
                case,
                {f"{k} f32/f64": v for k, v in f32.items() if v is not None},
                [Check("ToyNet f32/f64", f32[C.TOYNET], 0.55)],
            )
        )
    sections = [epoch, dtype]
    if cfg.get("threads_case"):
        sections.append(_threads(cfg, data, log))
    return sections


def _threads(cfg, data, log):
    """Informational: one BLAS thread vs the default, on one epoch case."""
    n_classes, solver, activation = cfg["threads_case"]
    epochs, repeats = cfg["epochs"], cfg["repeats"]
    X, y, Y = data.get(n_classes, {}).get("f64") or _fresh(cfg["epoch_n"], n_classes)
    log(f"  threads: {n_classes}-class {solver} {activation} f64 ...")
    contenders = {}
    for label, limit in (("default", None), ("1 thread", 1)):
        fns = _contenders(X, y, Y, solver, activation, epochs, limit, tuned=False)
        for name, fn in fns.items():
            contenders[(name, label)] = fn
    med = medians(alternate(contenders, repeats))
    section = Section(
        "threads",
        f"BLAS threads ({n_classes}-class {solver} {activation} f64, ms/epoch)",
        "ms/epoch",
        ["default", "1 thread"],
        notes=[
            "informational: ratio = 1 thread / default (below 1: one thread is faster)"
        ],
    )
    for name in (C.TOYNET, C.MLP, C.NUMPY):
        if (name, "default") not in med:
            continue
        d, one = med[(name, "default")] * 1e3, med[(name, "1 thread")] * 1e3
        section.rows.append(
            Row(name, {"default": d, "1 thread": one}, [Check("1t/default", one / d)])
        )
    return section


def _fresh(n, n_classes):
    X, y = tabular(n, n_classes=n_classes)
    return X, y, one_hot(y)
