"""Section 5: peak traced memory of fit on a large array, and import time.

numpy reports its buffers to ``tracemalloc``, so the traced peak during
``fit`` is the extra memory an estimator needs on top of the (already
allocated) training data. BLAS scratch space is not traced for anyone.
Import time is the only thing measured in subprocesses.
"""

import gc
import os
import statistics
import subprocess
import sys
import time
import tracemalloc

from . import _contenders as C
from ._data import tabular
from ._numpy_loop import NumpyLoopMLP, one_hot
from ._results import Check, Row, Section, ratio

MIB = 2.0**20
REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _numpy_fit(model, X, y, epochs):
    return model.fit(X, one_hot(y), epochs)


def _peak(fn, *args):
    gc.collect()
    tracemalloc.start()
    try:
        fn(*args)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def memory(cfg, log=print):
    n, epochs = cfg["memory_n"], cfg["memory_epochs"]
    section = Section(
        "memory",
        f"Peak traced memory of fit, {n:,} x 100 float64, {epochs} epoch(s)",
        "MiB",
        [C.TOYNET, C.MLP, C.NUMPY],
        fmt="{:.1f}",
    )
    for n_classes, solver in cfg["memory_cases"]:
        case = f"{'binary' if n_classes == 2 else f'{n_classes}-class'} {solver}"
        log(f"  memory: {case} ...")
        X, y = tabular(n, n_classes=n_classes)
        params = C.epoch_params(solver, "relu", epochs)
        fits = {}
        if C.have_toynet():
            fits[C.TOYNET] = (C.quiet_fit, C.make_toynet(**params), X, y)
        fits[C.MLP] = (C.quiet_fit, C.make_mlp(**params), X, y)
        fits[C.NUMPY] = (_numpy_fit, NumpyLoopMLP(solver=solver), X, y, epochs)
        vals = {name: _peak(*call) / MIB for name, call in fits.items()}
        section.rows.append(
            Row(
                case,
                vals,
                [Check("ToyNet/MLP", ratio(vals.get(C.TOYNET), vals[C.MLP]), 1.0)],
            )
        )
    section.notes.append(
        f"for scale: X itself is {X.nbytes / MIB:.0f} MiB (not counted)"
    )
    return [section]


def _wall(code):
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], cwd=REPO, check=True)
    return time.perf_counter() - start


def imports(cfg, log=print):
    repeats = cfg["import_repeats"]
    log("  import time ...")
    codes = {"python": "pass", C.MLP: "import sklearn.neural_network"}
    if C.have_toynet():
        codes[C.TOYNET] = "import sklearn_toynet"
    times = {name: [] for name in codes}
    for code in codes.values():  # warm the OS file cache
        _wall(code)
    for _ in range(repeats):
        for name, code in codes.items():
            times[name].append(_wall(code))
    base = statistics.median(times.pop("python"))
    vals = {name: (statistics.median(ts) - base) * 1e3 for name, ts in times.items()}
    section = Section(
        "import",
        "Import time (fresh interpreter, minus bare interpreter start-up)",
        "ms",
        [C.TOYNET, C.MLP],
        notes=[
            f"bare interpreter start-up {base * 1e3:.0f} ms, subtracted; "
            + f"median of {repeats} alternating runs",
            "MLP = `import sklearn.neural_network`; ToyNet = `import sklearn_toynet`",
        ],
    )
    section.rows.append(
        Row(
            "import",
            vals,
            [Check("ToyNet/MLP", ratio(vals.get(C.TOYNET), vals[C.MLP]))],
        )
    )
    return [section]
