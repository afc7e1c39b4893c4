"""
===========================================
Exporting a pipeline to ONNX for serving
===========================================

A fitted scikit-learn pipeline holding a :class:`~sklearn_toynet.ToyNetClassifier`
converts to one ONNX model with skl2onnx, once :mod:`sklearn_toynet.onnx` has
registered ToyNet's converters. ONNX Runtime then serves it from Python, C++,
Java, C#, JavaScript or a phone, without scikit-learn. This example converts a
scaler + network pipeline, checks the model, compares its outputs with the
pipeline's own and times both. It needs the ``onnx`` extra:
``pip install ".[onnx]"`` from a clone of the repository.
"""

# %%
# Train a pipeline
# ----------------
# The breast-cancer data set, standardized, into a network with two hidden
# layers, batch normalization and string labels.
import time

import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sklearn_toynet import ToyNetClassifier

X, y = load_breast_cancer(return_X_y=True)
labels = np.array(["malignant", "benign"])[y]
X_train, X_test, y_train, y_test = train_test_split(X, labels, random_state=0)
pipe = make_pipeline(
    StandardScaler(),
    ToyNetClassifier(
        hidden_layer_sizes=(32, 16), batch_norm=True, max_iter=600, random_state=0
    ),
)
pipe.fit(X_train, y_train)
print(f"test accuracy: {pipe.score(X_test, y_test):.3f}")

# %%
# Convert and check
# -----------------
# Importing :mod:`sklearn_toynet.onnx` is all skl2onnx needs; its own
# ``to_onnx`` then converts the whole pipeline from a sample row, whose dtype
# (here float32) becomes the model's input type. ``zipmap=False`` gives a plain
# probability matrix instead of one dictionary per row.
import onnx
import onnxruntime as ort
from skl2onnx import to_onnx

import sklearn_toynet.onnx  # noqa: F401  (registers ToyNet with skl2onnx)

onx = to_onnx(
    pipe,
    X_train[:1].astype(np.float32),
    options={ToyNetClassifier: {"zipmap": False}},
)
onnx.checker.check_model(onx)
for value in onx.graph.input:
    element = onnx.TensorProto.DataType.Name(value.type.tensor_type.elem_type)
    print(f"input {value.name!r}: {element}")
print("outputs:", [o.name for o in onx.graph.output])
print(f"model size: {len(onx.SerializeToString()) / 1024:.1f} KiB")

# %%
# The same outputs
# ----------------
# ONNX Runtime computes in float32 (the input's type), the pipeline in float64:
# the labels are the same, the probabilities agree to float32's rounding.
session = ort.InferenceSession(onx.SerializeToString())
X_test32 = X_test.astype(np.float32)
onnx_labels, onnx_proba = session.run(None, {"X": X_test32})
print("labels equal:", np.array_equal(onnx_labels, pipe.predict(X_test)))
error = np.abs(onnx_proba - pipe.predict_proba(X_test)).max()
print(f"largest probability difference: {error:.1e}")

# %%
# Time both
# ---------
# The median time of one call on one row (a request to a service) and on all
# the test rows. Small calls are where the runtime shines: it skips Python's
# per-call checks. The figures depend on the machine and its load.


def per_call(function, repeats=200):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return 1e6 * float(np.median(times))


rows = {"1 row": slice(0, 1), f"{len(X_test)} rows": slice(None)}
timings = {"pipeline.predict_proba": [], "ONNX Runtime": []}
for part in rows.values():
    X_part, X_part32 = X_test[part], X_test32[part]
    timings["pipeline.predict_proba"].append(
        per_call(lambda X_part=X_part: pipe.predict_proba(X_part))
    )
    timings["ONNX Runtime"].append(
        per_call(lambda X_part32=X_part32: session.run(None, {"X": X_part32}))
    )

fig, ax = plt.subplots(figsize=(6, 3.4), layout="constrained")
width = 0.38
positions = np.arange(len(rows))
for k, (name, values) in enumerate(timings.items()):
    bars = ax.bar(positions + (k - 0.5) * width, values, width, label=name)
    ax.bar_label(bars, fmt="%.0f", padding=2)
ax.set_xticks(positions, list(rows))
ax.set_ylabel("microseconds per call")
ax.set_title("Median latency of one call")
# Headroom for the bars' labels; the legend below the axes, clear of the bars.
ax.set_ylim(0, 1.15 * max(max(values) for values in timings.values()))
fig.legend(loc="outside lower center", ncol=2, frameon=False)
plt.show()
