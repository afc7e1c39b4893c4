"""Array libraries: ToyNet on NumPy vs PyTorch (CPU, and CUDA when present).

Epoch time of an adam fit (batch 200, shuffled) for two hidden layouts, and
``predict_proba`` of one row and of many, each with ToyNet's NumPy path and
its plain path on PyTorch tensors (scikit-learn's ``array_api_dispatch``). On
a CUDA device a hand-written PyTorch loop of the same network (same batches,
same adam) is the yardstick. Without PyTorch the suite reports nothing.
"""

import importlib.util
import os

import numpy as np

from . import _contenders as C
from ._data import tabular
from ._results import Check, Row, Section, noise_check, ratio
from ._timing import alternate, medians, noise

NUMPY = "NumPy"
TORCH_CPU = "PyTorch-CPU"
TORCH_CUDA = "PyTorch-CUDA"
TORCH_LOOP = "hand-written PyTorch loop (CUDA)"


def _torch():
    if importlib.util.find_spec("torch") is None:
        return None
    # scikit-learn's array API dispatch needs scipy's array API mode, read
    # when scipy is first imported.
    os.environ.setdefault("SCIPY_ARRAY_API", "1")
    import torch

    return torch


def _params(hidden, epochs):
    return dict(
        hidden_layer_sizes=hidden,
        solver="adam",
        max_iter=epochs,
        tol=None,
        batch_size=200,
        random_state=0,
    )


def _fit_on(torch, device, X, y, hidden, epochs):
    """A zero-argument callable: one fit of ``epochs`` epochs on ``device``."""
    import sklearn

    if device is None:

        def fit():
            C.quiet_fit(C.make_toynet(**_params(hidden, epochs)), X, y)
            return epochs

        return fit
    X_t = torch.asarray(X, device=device)
    y_t = torch.asarray(y, device=device)

    def fit():
        with sklearn.config_context(array_api_dispatch=True):
            est = C.quiet_fit(C.make_toynet(**_params(hidden, epochs)), X_t, y_t)
            float(est.coefs_[0][0, 0])  # waits for the device to finish
        return epochs

    return fit


def _torch_loop(torch, device, X, y, hidden, epochs):
    """The same network and adam, written directly in PyTorch."""
    X_t = torch.asarray(X, device=device)
    y_t = torch.asarray(y, device=device, dtype=X_t.dtype).reshape(-1, 1)
    rng = np.random.RandomState(0)

    def fit():
        sizes = [X.shape[1], *hidden, 1]
        layers = []
        for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
            layers += [torch.nn.Linear(fan_in, fan_out), torch.nn.ReLU()]
        net = torch.nn.Sequential(*layers[:-1]).to(device=device, dtype=X_t.dtype)
        optimizer = torch.optim.Adam(net.parameters(), lr=1e-3)
        loss_fn = torch.nn.BCEWithLogitsLoss()
        for _ in range(epochs):
            order = torch.asarray(rng.permutation(len(X)), device=device)
            for start in range(0, len(X), 200):
                rows = order[start : start + 200]
                optimizer.zero_grad()
                loss = loss_fn(net(X_t[rows]), y_t[rows])
                loss.backward()
                optimizer.step()
        float(loss)  # waits for the device
        return epochs

    return fit


def run(cfg, log=print):
    torch = _torch()
    if torch is None:
        log("  arrays: PyTorch is not installed; skipped")
        return []
    cuda = torch.cuda.is_available()
    repeats, epochs = cfg["repeats"], cfg["arrays_epochs"]
    sizes = [cfg["arrays_n"]] + ([cfg["arrays_n_gpu"]] if cuda else [])
    columns = [NUMPY, TORCH_CPU] + ([TORCH_CUDA, TORCH_LOOP] if cuda else [])
    epoch = Section(
        "arrays-epoch",
        "Array libraries: one adam epoch (batch 200), 50 features",
        "s/epoch",
        columns,
        notes=[
            "the same ToyNetClassifier(solver='adam') on NumPy arrays and on "
            "PyTorch tensors under sklearn.config_context(array_api_dispatch=True)",
            "PyTorch-CPU is not the use case: on a CPU the NumPy path is the "
            "faster one; the target is only that it stays within 1.5x",
        ],
    )
    for n in sizes:
        X, y = tabular(n, 50)
        for hidden in cfg["arrays_hidden"]:
            log(f"  arrays: {n:,} rows, hidden {hidden} ...")
            contenders = {}
            if n <= cfg["arrays_n"]:  # NumPy and the CPU at the CPU's size only
                contenders[NUMPY] = _fit_on(torch, None, X, y, hidden, epochs)
                contenders[TORCH_CPU] = _fit_on(torch, "cpu", X, y, hidden, epochs)
            if cuda:
                contenders[TORCH_CUDA] = _fit_on(torch, "cuda", X, y, hidden, epochs)
                contenders[TORCH_LOOP] = _torch_loop(
                    torch, "cuda", X, y, hidden, epochs
                )
            times = alternate(contenders, repeats)
            med = medians(times)
            checks = [
                Check(
                    "CPU/NumPy",
                    ratio(med.get(TORCH_CPU), med.get(NUMPY)),
                    1.5 if hidden == (256, 256) else None,
                ),
            ]
            if cuda:
                checks += [
                    Check("NumPy/CUDA", ratio(med.get(NUMPY), med.get(TORCH_CUDA))),
                    Check(
                        "CUDA/loop",
                        ratio(med.get(TORCH_CUDA), med.get(TORCH_LOOP)),
                        1.0,
                    ),
                ]
            checks.append(noise_check(noise(times)))
            epoch.rows.append(Row(f"{n:,} rows, hidden {hidden}", med, checks))
    predict = Section(
        "arrays-predict",
        "Array libraries: predict_proba, hidden (256, 256), 50 features",
        "ms",
        [NUMPY, TORCH_CPU] + ([TORCH_CUDA] if cuda else []),
        notes=["models fit for 1 epoch on 5,000 rows; time of one call"],
    )
    X, y = tabular(max(cfg["arrays_predict_n"], 5_000), 50)
    fitted = {
        None: C.quiet_fit(C.make_toynet(**_params((256, 256), 1)), X[:5000], y[:5000])
    }
    import sklearn
    from sklearn.utils._array_api import get_namespace_and_device, move_estimator_to

    devices = ["cpu"] + (["cuda"] if cuda else [])
    for device in devices:
        with sklearn.config_context(array_api_dispatch=True):
            # The namespace and device as scikit-learn names them.
            xp, _, dev = get_namespace_and_device(torch.zeros(1, device=device))
        fitted[device] = move_estimator_to(fitted[None], xp, dev)
    for n in (1, cfg["arrays_predict_n"]):
        log(f"  arrays: predict_proba of {n:,} rows ...")
        contenders = {}
        for device, column in zip([None, *devices], predict.columns):
            rows = X[:n] if device is None else torch.asarray(X[:n], device=device)

            def call(est=fitted[device], rows=rows):
                with sklearn.config_context(array_api_dispatch=True):
                    float(est.predict_proba(rows)[0, 0])

            contenders[column] = call
        times = alternate(contenders, repeats)
        med = {k: v * 1e3 for k, v in medians(times).items()}
        checks = [Check("CPU/NumPy", ratio(med.get(TORCH_CPU), med.get(NUMPY)))]
        if cuda:
            checks.append(Check("NumPy/CUDA", ratio(med[NUMPY], med[TORCH_CUDA])))
        checks.append(noise_check(noise(times)))
        predict.rows.append(Row(f"{n:,} rows", med, checks))
    return [epoch, predict]
