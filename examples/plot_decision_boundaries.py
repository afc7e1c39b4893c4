"""
=====================================================
Decision boundaries as the hidden layer grows
=====================================================

The blog's point in Part 2 is that a network without a hidden layer can only
draw a straight boundary, so it cannot learn XOR; one hidden layer fixes that.
This example shows the same thing on two noisy, two-dimensional problems: XOR
(the label is the sign of ``x0 * x1``) and scikit-learn's two moons. Each column
is a :class:`~sklearn_toynet.ToyNetClassifier` with a wider hidden layer, from
``()`` (no hidden layer: logistic regression) to 32 units. The title of each
panel gives the accuracy on held-out points.

L-BFGS (``solver="lbfgs"``) is the fastest solver for a few hundred rows.
"""

# %%
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import make_moons
from sklearn.inspection import DecisionBoundaryDisplay
from sklearn.model_selection import train_test_split

from sklearn_toynet import ToyNetClassifier


def make_xor(n_samples, noise, random_state):
    rng = np.random.RandomState(random_state)
    X = rng.uniform(-1, 1, size=(n_samples, 2))
    y = (X[:, 0] * X[:, 1] > 0).astype(int)
    return X + noise * rng.standard_normal(X.shape), y


datasets = {
    "XOR": make_xor(400, noise=0.1, random_state=0),
    "two moons": make_moons(400, noise=0.25, random_state=0),
}
hidden_sizes = [(), (2,), (4,), (32,)]

fig, axes = plt.subplots(
    len(datasets), len(hidden_sizes), figsize=(12, 6.2), sharex="row", sharey="row"
)
for row, (name, (X, y)) in zip(axes, datasets.items()):
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.5, random_state=0
    )
    for ax, sizes in zip(row, hidden_sizes):
        clf = ToyNetClassifier(
            hidden_layer_sizes=sizes,
            activation="tanh",
            solver="lbfgs",
            max_iter=5000,  # every panel converges, well within it
            random_state=0,
        ).fit(X_train, y_train)
        DecisionBoundaryDisplay.from_estimator(
            clf,
            X,
            response_method="predict_proba",
            cmap="RdBu",
            alpha=0.7,
            ax=ax,
            vmin=0,
            vmax=1,
        )
        ax.scatter(*X_test.T, c=y_test, cmap="RdBu", edgecolor="k", s=14)
        ax.set_title(
            f"{name}, hidden={sizes}\ntest accuracy {clf.score(X_test, y_test):.2f}",
            fontsize=10,
        )
        ax.set_xlabel("")
        ax.set_ylabel("")
fig.tight_layout()
plt.show()

# %%
# Without a hidden layer the boundary is a straight line, and XOR stays near
# chance level while the moons, almost linearly separable, are already mostly
# right. Two hidden units give two straight cuts: enough for a band, not
# for XOR's four quadrants. Four units carve the quadrants and follow the
# moons' curve. With 32 units and almost no penalty (the default ``alpha`` is
# 0.0001), the boundary starts to wrap around individual noisy points and the
# test accuracy drops a little: the :doc:`hyperparameters page
# </hyperparameters>` discusses ``alpha`` and ``dropout`` for that.
