"""ONNX Runtime inference of a fitted model, for the small-calls tables.

``onnx_predictor(model, X)`` converts a fitted ToyNet estimator (or a pipeline
holding one, or any model skl2onnx converts) and returns a zero-argument
callable that runs ONNX Runtime on ``X``, or None when the ``onnx`` extra is not
installed. Run as ``python -m benchmarks._onnx`` it prints an informational
single-row and 100-row latency table: ONNX Runtime beside ToyNet's and
MLPClassifier's ``predict_proba`` (64 hidden units, 20 features, 3 classes).
"""

import argparse
from importlib.util import find_spec

import numpy as np
from sklearn.datasets import make_classification

from . import _contenders as C
from ._timing import alternate, medians, noise, use_clock

ONNX = "ONNX Runtime"


def onnx_predictor(model, X, *, dtype=np.float32, threads=1, options=None):
    """A callable running ONNX Runtime on ``X``, or None without the extra.

    The model is converted with ``zipmap=False`` for classifiers (a probability
    matrix, what serving code reads fastest) and any converter ``options`` of
    the final estimator (``{"saturate": False}``); the session uses ``threads``
    intra-op threads (1: as the harness's single-threaded BLAS).
    """
    try:
        import onnxruntime as ort

        import sklearn_toynet.onnx as toynet_onnx
    except ImportError:
        return None
    final = model[-1] if hasattr(model, "steps") else model
    options = {
        **({"zipmap": False} if hasattr(final, "classes_") else {}),
        **(options or {}),
    }
    options = {id(final): options} if options else None
    onx = toynet_onnx.to_onnx(model, X, dtype=dtype, options=options)
    so = ort.SessionOptions()
    so.intra_op_num_threads = threads
    so.inter_op_num_threads = 1
    so.log_severity_level = 3
    sess = ort.InferenceSession(onx.SerializeToString(), so)
    feed = {sess.get_inputs()[0].name: np.ascontiguousarray(X, dtype=dtype)}

    def run():
        sess.run(None, feed)

    return run


class OnnxRuntimeModel:
    """A fitted model served by ONNX Runtime, called like the model itself.

    ``predict_proba`` converts its input to float32 and runs the session, as
    serving code does; ``predict`` takes the most probable class. It has no
    ``partial_fit``: a converted model is frozen. ``options`` are converter
    options beside ``zipmap=False`` (``{"saturate": False}`` for ToyNet).
    """

    def __init__(self, model, X_sample, threads=1, options=None):
        import onnxruntime as ort

        import sklearn_toynet.onnx as toynet_onnx

        options = {id(model): {"zipmap": False, **(options or {})}}
        onx = toynet_onnx.to_onnx(model, X_sample, options=options)
        so = ort.SessionOptions()
        so.intra_op_num_threads = threads
        so.inter_op_num_threads = 1
        so.log_severity_level = 3
        self._session = ort.InferenceSession(onx.SerializeToString(), so)
        self._input = self._session.get_inputs()[0].name
        self.classes_ = model.classes_

    def predict_proba(self, X):
        feed = {self._input: np.asarray(X, dtype=np.float32)}
        return self._session.run(["probabilities"], feed)[0]

    def predict(self, X):
        return self.classes_[self.predict_proba(X).argmax(axis=1)]


def onnx_runtime_contenders(fit_toynet, fit_mlp):
    """Small-calls factories of models served by ONNX Runtime; {} without the extra.

    "ONNX Runtime": ``fit_toynet``'s model as ToyNet's converter writes it;
    "ONNX Runtime, saturate=False": the same without the check for overflowing
    rows; "ONNX Runtime (MLP)": ``fit_mlp``'s model through skl2onnx's own
    MLPClassifier converter.
    """
    if any(find_spec(name) is None for name in ("onnxruntime", "skl2onnx")):
        return {}

    def serve(fit, options=None):
        return lambda X, y, classes: OnnxRuntimeModel(
            fit(X, y, classes), X[:1], options=options
        )

    return {
        ONNX: serve(fit_toynet),
        f"{ONNX}, saturate=False": serve(fit_toynet, {"saturate": False}),
        f"{ONNX} (MLP)": serve(fit_mlp),
    }


def _calls(predict, X, n_calls):
    def calls():
        for _ in range(n_calls):
            predict(X)
        return n_calls

    return calls


def latency(repeats=15, n_calls=200, log=print):
    """Median microseconds per call, by batch size and contender."""
    X, y = make_classification(
        2000, n_features=20, n_informative=10, n_classes=3, random_state=0
    )
    params = C.epoch_params("adam", "relu", 5)
    params["hidden_layer_sizes"] = (64,)
    toy = C.quiet_fit(C.make_toynet(**params), X, y)
    mlp = C.quiet_fit(C.make_mlp(**params), X, y)
    table = {}
    for n_rows in (1, 100):
        Xb = X[:n_rows]
        contenders = {
            C.TOYNET: _calls(toy.predict_proba, Xb, n_calls),
            C.MLP: _calls(mlp.predict_proba, Xb, n_calls),
        }
        for name, model, options in [
            (f"{ONNX} (ToyNet)", toy, None),
            (f"{ONNX} (ToyNet, saturate=False)", toy, {"saturate": False}),
            (f"{ONNX} (MLP)", mlp, None),
        ]:
            run = onnx_predictor(model, Xb, options=options)
            if run is not None:
                contenders[name] = _calls(lambda _X, run=run: run(), Xb, n_calls)
        times = alternate(contenders, repeats)
        table[n_rows] = {k: v * 1e6 for k, v in medians(times).items()}
        log(f"{n_rows:>4} rows: noise {noise(times):.0%}")
    return table


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--clock", choices=["wall", "cpu"], default="wall")
    args = parser.parse_args(argv)
    use_clock(args.clock)
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1, user_api="blas"):
        table = latency(args.repeats, args.calls)
    names = list(next(iter(table.values())))
    print("| rows | " + " | ".join(names) + " |")
    print("|---" * (len(names) + 1) + "|")
    for n_rows, row in table.items():
        cells = " | ".join(f"{row[name]:.1f} us" for name in names)
        print(f"| {n_rows} | {cells} |")


if __name__ == "__main__":
    main()
