"""
=================================
Replaying the blog's two networks
=================================

"A Neural Network in 11 lines of Python" trains two tiny sigmoid networks with
full-batch gradient descent and prints a handful of numbers along the way.
:class:`~sklearn_toynet.ToyNetClassifier` can be configured, through public
hyperparameters only, to run exactly that training loop. This example does so
and checks the printed numbers digit for digit.

The settings that turn the estimator into the blog's loop:

* ``activation="logistic"``: the blog's ``nonlin`` sigmoid;
* ``loss="squared_error"``: the error ``y - l1`` scaled by the sigmoid's slope;
* ``solver="sgd"``, ``momentum=0.0``, ``alpha=0.0``: a plain gradient step;
* ``fit_intercept=False``: the blog's layers have no bias units;
* ``init="uniform"``: weights drawn as ``2 * np.random.random(shape) - 1``;
* ``shuffle=False``, ``batch_size="auto"`` (all 4 rows): full-batch training;
* ``tol=None``: run every iteration, never stop early;
* ``learning_rate_init=4.0``: the blog adds the gradient *summed* over its 4
  rows; the estimator averages over the batch, so a step of 4 on the mean is a
  step of 1 on the sum;
* ``random_state=1``: the blog's ``np.random.seed(1)``.
"""

# %%
# The data and the shared settings
# --------------------------------
# Three input columns (the third is always 1: the blog's stand-in for a bias)
# and four rows, and the settings listed above, live in
# :mod:`sklearn_toynet.blog`.
import matplotlib.pyplot as plt
import numpy as np

from sklearn_toynet import blog

X = blog.X
for name, value in blog.SETTINGS.items():
    print(f"{name} = {value!r}")

# %%
# Part 1: the 2-layer network
# ---------------------------
# No hidden layer (``hidden_layer_sizes=()``): the inputs feed one sigmoid
# output through a 3 x 1 weight matrix, the blog's ``syn0``. The target is the
# first input column, and the blog trains for 10,000 iterations.
y_copy = np.array([0, 0, 1, 1])
two_layer = blog.classifier((), max_iter=10_000)
two_layer.fit(X, y_copy)

print("Output After Training:")
print(two_layer.predict_proba(X)[:, [1]])

# %%
# The blog printed 0.00966449, 0.00786506, 0.99358898 and 0.99211957: the same
# to five significant digits, not eight. The difference is an off-by-one in
# what the blog prints. Its ``l1`` is computed at the top of the last
# iteration, *before* that iteration's weight update, so it belongs to the
# weights after 9,999 updates. Stopping one iteration earlier gives those
# weights, and then every printed digit agrees.
BLOG_OUTPUT = np.array([0.00966449, 0.00786506, 0.99358898, 0.99211957])

before_last = blog.classifier((), max_iter=9_999)
proba = before_last.fit(X, y_copy).predict_proba(X)[:, 1]
print("Output After Training (l1 before the last update):")
print(proba[:, None])
assert np.allclose(proba, BLOG_OUTPUT, rtol=0, atol=5e-9), proba

# %%
# All the learning is in ``coefs_[0]``, the blog's ``syn0``. The first input,
# perfectly correlated with the output, has a large positive weight; the
# second input's weight stays small; the third input, always 1, acts as a
# bias and gets a large negative weight, so that the output is near 0 when
# the first input is 0.
print(two_layer.coefs_[0])

# %%
# Part 2: the 3-layer network
# ---------------------------
# The target is now XOR of the first two columns, which no single layer can
# fit. One hidden layer of 4 units (``syn0`` is 3 x 4, ``syn1`` 4 x 1),
# trained for 60,000 iterations. The blog prints the mean absolute error at
# the top of every 10,000th iteration, before that iteration's update. The
# callback :class:`sklearn_toynet.blog.ErrorTrace` does the same from inside
# the fit: scikit-learn's callback API hands it the network as it stands at
# the start of each epoch.
y_xor = blog.Y_XOR
trace = blog.ErrorTrace(y_xor)
three_layer = blog.classifier((4,), max_iter=60_000).set_callbacks(trace)
three_layer.fit(X, y_xor)
errors = trace.errors
iterations = [0, 10_000, 20_000, 30_000, 40_000, 50_000]

# %%
# The blog printed::
#
#     Error:0.496410031903
#     Error:0.00858452565325
#     Error:0.00578945986251
#     Error:0.00462917677677
#     Error:0.00395876528027
#     Error:0.00351012256786
#
# the same numbers, to the twelve significant digits that Python 2 printed.
BLOG_ERRORS = np.array(
    [0.496410031903, 0.00858452565325, 0.00578945986251]
    + [0.00462917677677, 0.00395876528027, 0.00351012256786]
)
assert np.allclose(errors, BLOG_ERRORS, rtol=1e-11, atol=0), errors
print("Output after 60,000 iterations:")
print(three_layer.predict_proba(X)[:, [1]])

# %%
# The training, plotted
# ---------------------
# ``loss_curve_`` holds the loss (half the mean squared error) before each of
# the 60,000 updates; ``sqrt(2 * loss)`` turns it into the root-mean-square
# error, which follows the blog's mean absolute error closely. The error
# hardly moves for the first few hundred iterations, then falls steeply once
# the hidden units have found XOR's two halves.
rms = np.sqrt(2 * np.asarray(three_layer.loss_curve_))
at = np.maximum(iterations, 1)  # iteration 0, drawn at 1 on the log scale

fig, ax = plt.subplots(figsize=(7, 4.5))
ax.loglog(np.arange(1, len(rms) + 1), rms, color="0.6", label="RMS error, loss_curve_")
ax.loglog(at, errors, "o", color="tab:blue", label="mean |error|, ToyNet")
ax.loglog(at, BLOG_ERRORS, "x", color="tab:red", ms=10, label="mean |error|, blog")
ax.set_xlabel("iteration (0 drawn at 1)")
ax.set_ylabel("error")
ax.set_title("The blog's 3-layer network learning XOR")
ax.legend()
fig.tight_layout()

# %%
# Inside the trained network
# --------------------------
# :meth:`~sklearn_toynet.ToyNetClassifier.activations` returns every layer's
# values, the blog's ``l0``, ``l1`` and ``l2``. Each row below is one
# training example, each column one hidden unit: XOR is solved by units that
# switch on for some input patterns and off for others, and the output layer
# combines them.
l0, l1, l2 = three_layer.activations(X)

fig, ax = plt.subplots(figsize=(6, 4))
image = ax.imshow(l1, cmap="viridis", vmin=0, vmax=1)
for (row, col), value in np.ndenumerate(l1):
    color = "white" if value < 0.5 else "black"
    ax.text(col, row, f"{value:.2f}", ha="center", va="center", color=color)
ax.set_xticks(range(4), [f"unit {i}" for i in range(4)])
ax.set_yticks(range(4), [f"{x} -> {p:.3f}" for x, p in zip(l0.astype(int), l2[:, 0])])
ax.set_ylabel("input l0 -> output l2")
ax.set_title("Hidden layer l1 of the trained network")
fig.colorbar(image, ax=ax)
fig.tight_layout()
plt.show()
