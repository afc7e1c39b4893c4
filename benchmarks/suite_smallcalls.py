"""Small calls: serving one row, scoring 100, streaming partial_fit.

Per-call overhead, not arithmetic, decides these: input validation, set-up
around the forward pass, label decoding. The contenders are a dict of
factories, so one more (a runtime serving an exported model) is a line:
``CONTENDERS["name"] = factory``, where ``factory(X, y, classes)`` returns a
fitted object with ``predict_proba`` and ``predict`` (``partial_fit`` is
optional: contenders without it are left out of those rows).
"""

import warnings

import numpy as np

from . import _contenders as C
from ._onnx import ONNX, onnx_runtime_contenders
from ._results import Check, Row, Section, noise_check, ratio
from ._timing import alternate, medians, noise

N_FEATURES, N_CLASSES, HIDDEN = 20, 3, (64,)
CALLS = {"1 row": 200, "100 rows": 100, "partial_fit": 20}  # calls per timing


def _toynet(X, y, classes):
    return _quiet(C.ToyNetClassifier(hidden_layer_sizes=HIDDEN, random_state=0), X, y)


def _mlp(X, y, classes):
    return _quiet(C.MLPClassifier(hidden_layer_sizes=HIDDEN, random_state=0), X, y)


def _numpy(X, y, classes):
    """The bare-numpy floor: MLP's fitted weights, the forward pass and argmax."""
    return NumpyForward(_mlp(X, y, classes))


def _quiet(est, X, y):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return est.fit(X, y)


class NumpyForward:
    """relu hidden layers and a softmax output in plain numpy, no checks."""

    def __init__(self, mlp):
        self.coefs, self.intercepts = mlp.coefs_, mlp.intercepts_
        self.classes_ = mlp.classes_

    def predict_proba(self, X):
        A = X
        for W, b in zip(self.coefs[:-1], self.intercepts[:-1]):
            A = np.maximum(A @ W + b, 0)
        Z = A @ self.coefs[-1] + self.intercepts[-1]
        Z = np.exp(Z - Z.max(axis=1, keepdims=True))
        return Z / Z.sum(axis=1, keepdims=True)

    def predict(self, X):
        return self.classes_[self.predict_proba(X).argmax(axis=1)]


CONTENDERS = {C.TOYNET: _toynet, C.MLP: _mlp, C.NUMPY: _numpy}
if not C.have_toynet():
    del CONTENDERS[C.TOYNET]
else:
    # ToyNet's model exported (with and without the overflow check) and MLP's
    # through skl2onnx's own converter; one intra-op thread each.
    CONTENDERS.update(onnx_runtime_contenders(_toynet, _mlp))


def _call(model, method, args):
    bound = getattr(model, method)
    return lambda: bound(*args)


def _repeat(fn, n_calls):
    def timed():
        for _ in range(n_calls):
            fn()
        return n_calls  # time per call

    return timed


def small_calls(cfg, log=print):
    """predict_proba / predict of 1 and 100 rows, partial_fit of 10 rows."""
    rng = np.random.default_rng(0)
    X = rng.standard_normal((1000, N_FEATURES))
    y = rng.integers(0, N_CLASSES, 1000)
    classes = np.arange(N_CLASSES)
    log("  small calls: fitting the contenders ...")
    models = {name: make(X, y, classes) for name, make in CONTENDERS.items()}
    columns = list(models)
    section = Section(
        "smallcalls",
        f"Small calls: {N_FEATURES} features, hidden {HIDDEN}, {N_CLASSES} classes",
        "us/call",
        columns,
        notes=[
            "each contender fit on 1,000 rows (default settings, random_state=0); "
            "time per call, from loops of calls",
            f"{C.NUMPY}: MLPClassifier's weights through a plain numpy forward "
            "pass (no input checks): the floor",
        ],
    )
    X1, X100, X10, y10 = X[:1], X[:100], X[:10], y[:10]
    cases = [
        ("predict_proba, 1 row", "predict_proba", (X1,), CALLS["1 row"], 0.35),
        ("predict, 1 row", "predict", (X1,), CALLS["1 row"], 0.35),
        ("predict_proba, 100 rows", "predict_proba", (X100,), CALLS["100 rows"], 0.5),
        ("predict, 100 rows", "predict", (X100,), CALLS["100 rows"], 0.5),
        ("partial_fit, 10 rows", "partial_fit", (X10, y10), CALLS["partial_fit"], 0.5),
    ]
    for case, method, args, n_calls, target in cases:
        log(f"  small calls: {case} ...")
        contenders = {
            name: _repeat(_call(model, method, args), n_calls)
            for name, model in models.items()
            if hasattr(model, method)
        }
        times = alternate(contenders, cfg["repeats"])
        med = {k: v * 1e6 for k, v in medians(times).items()}
        toy = med.get(C.TOYNET)
        checks = [
            Check("ToyNet/MLP", ratio(toy, med.get(C.MLP)), target),
            Check("ToyNet/numpy", ratio(toy, med.get(C.NUMPY))),
        ]
        # ONNX Runtime serving ToyNet's model against MLP (informational); the
        # other ONNX contenders' times are in the table.
        if ONNX in med:
            checks.append(Check(f"{ONNX}/MLP", ratio(med[ONNX], med.get(C.MLP))))
        section.rows.append(Row(case, med, [*checks, noise_check(noise(times))]))
    return [section]


def wide_partial_fit(cfg, log=print):
    """partial_fit with adam on hidden (1024, 1024), batches of 32."""
    n_features, n_classes, batch, hidden = 100, 5, 32, (1024, 1024)
    rng = np.random.default_rng(0)
    X = rng.standard_normal((batch * 20, n_features))
    y = rng.integers(0, n_classes, len(X))
    classes = np.arange(n_classes)
    log("  wide partial_fit ...")
    params = {"hidden_layer_sizes": hidden, "solver": "adam", "random_state": 0}
    models = {C.MLP: C.MLPClassifier(**params)}
    if C.have_toynet():
        models = {C.TOYNET: C.ToyNetClassifier(**params), **models}
    for model in models.values():
        model.partial_fit(X[:batch], y[:batch], classes=classes)
    position = {"i": 0}

    def stream(model):
        def call():
            i = position["i"] = (position["i"] + 1) % 20
            model.partial_fit(
                X[i * batch : (i + 1) * batch], y[i * batch : (i + 1) * batch]
            )

        return call

    contenders = {name: _repeat(stream(m), 5) for name, m in models.items()}
    times = alternate(contenders, cfg["repeats"])
    med = {k: v * 1e3 for k, v in medians(times).items()}
    section = Section(
        "widepartialfit",
        f"partial_fit on a wide network: hidden {hidden}, {n_features} features, "
        f"{n_classes} classes, adam",
        "ms/call",
        list(models),
        notes=["batches of 32 rows, streamed in turn; time per call"],
    )
    section.rows.append(
        Row(
            f"batch {batch}",
            med,
            [
                Check("ToyNet/MLP", ratio(med.get(C.TOYNET), med[C.MLP]), 0.8),
                noise_check(noise(times)),
            ],
        )
    )
    return [section]


def run(cfg, log=print):
    return small_calls(cfg, log) + wide_partial_fit(cfg, log)
