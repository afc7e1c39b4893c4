"""
==============================================
Dropout, batch normalization and class weights
==============================================

Three of the extras that :class:`~sklearn_toynet.ToyNetClassifier` adds to
MLPClassifier's parameters, each on a problem where it matters, side by side:

* ``dropout``: a wide network on 100 noisy points memorizes them; dropping half
  of the hidden units at random in every step keeps the boundary smooth.
* ``batch_norm``: a deep stack of sigmoid layers barely trains with plain SGD,
  because the gradient shrinks through every layer; normalizing each layer's
  inputs over the batch lets it train.
* ``class_weight``: with 5% positives, a classifier can be accurate by mostly
  ignoring them; ``class_weight="balanced"`` makes every class count equally in
  the loss and moves the boundary towards the majority class.
"""

# %%
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.lines import Line2D
from sklearn.datasets import load_digits, make_blobs, make_moons
from sklearn.metrics import recall_score
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

from sklearn_toynet import ToyNetClassifier


def boundary(ax, clf, X, color, linestyle="-"):
    """Draw the 0.5-probability contour of ``clf`` over the range of ``X``."""
    lo, hi = X.min(axis=0) - 0.5, X.max(axis=0) + 0.5
    xx, yy = np.meshgrid(np.linspace(lo[0], hi[0], 200), np.linspace(lo[1], hi[1], 200))
    proba = clf.predict_proba(np.c_[xx.ravel(), yy.ravel()])[:, 1]
    ax.contour(
        xx,
        yy,
        proba.reshape(xx.shape),
        levels=[0.5],
        colors=color,
        linestyles=linestyle,
        linewidths=2,
    )


# %%
# Dropout
# -------
# 100 training points from noisy two moons; a network of two hidden layers of
# 128 units, no L2 penalty, 500 epochs of Adam.
X, y = make_moons(1000, noise=0.35, random_state=0)
X_train, X_test, y_train, y_test = train_test_split(
    X, y, train_size=100, random_state=0
)
dropout_models = {}
for rate in [0.0, 0.5]:
    dropout_models[rate] = ToyNetClassifier(
        hidden_layer_sizes=(128, 128),
        alpha=0.0,
        dropout=rate,
        learning_rate_init=0.01,
        max_iter=500,
        tol=None,
        random_state=0,
    ).fit(X_train, y_train)
    train_score = dropout_models[rate].score(X_train, y_train)
    test_score = dropout_models[rate].score(X_test, y_test)
    print(f"dropout={rate}: train accuracy {train_score:.3f}, test {test_score:.3f}")

# %%
# Batch normalization
# -------------------
# Eight hidden layers of 32 sigmoid units on the standardized digits, SGD with
# Nesterov momentum, 40 epochs, with and without ``batch_norm``.
X_digits, y_digits = load_digits(return_X_y=True)
X_digits = StandardScaler().fit_transform(X_digits)
bn_models = {}
for use_bn in [False, True]:
    bn_models[use_bn] = ToyNetClassifier(
        hidden_layer_sizes=(32,) * 8,
        activation="logistic",
        solver="sgd",
        learning_rate_init=0.1,
        batch_norm=use_bn,
        max_iter=40,
        tol=None,
        random_state=0,
    ).fit(X_digits, y_digits)
    print(
        f"batch_norm={use_bn}: final training loss "
        f"{bn_models[use_bn].loss_curve_[-1]:.3f}"
    )

# %%
# Class weights
# -------------
# Two overlapping clouds of points, 95% against 5%. The score that matters
# here is the recall of the rare class: the fraction of its members the model
# finds.
X_imb, y_imb = make_blobs(
    n_samples=[1900, 100],
    centers=[[0, 0], [2, 2]],
    cluster_std=[1.0, 0.8],
    random_state=0,
)
Xi_train, Xi_test, yi_train, yi_test = train_test_split(
    X_imb, y_imb, stratify=y_imb, random_state=0
)
cw_models = {}
for weight in [None, "balanced"]:
    cw_models[weight] = ToyNetClassifier(
        hidden_layer_sizes=(8,),
        solver="lbfgs",
        max_iter=1000,
        class_weight=weight,
        random_state=0,
    ).fit(Xi_train, yi_train)
    recalls = recall_score(yi_test, cw_models[weight].predict(Xi_test), average=None)
    print(
        f"class_weight={weight}: recall of the common class {recalls[0]:.3f}, "
        f"of the rare class {recalls[1]:.3f}"
    )

# %%
# Side by side
# ------------
fig, (ax_do, ax_bn, ax_cw) = plt.subplots(1, 3, figsize=(13, 5.2), layout="constrained")
# The legends sit under the panels, where they hide no point.
below = dict(loc="upper center", bbox_to_anchor=(0.5, -0.08), frameon=False)

ax_do.scatter(*X_train.T, c=y_train, cmap="coolwarm", edgecolor="k", s=25)
handles = []
for (rate, clf), color in zip(dropout_models.items(), ["tab:gray", "tab:green"]):
    boundary(ax_do, clf, X_train, color)
    handles.append(
        Line2D(
            [],
            [],
            color=color,
            label=f"dropout={rate}: test {clf.score(X_test, y_test):.2f}",
        )
    )
ax_do.legend(handles=handles, **below)
ax_do.set_title("dropout: 2 x 128 units,\n100 noisy points")

for (use_bn, clf), color in zip(bn_models.items(), ["tab:gray", "tab:green"]):
    ax_bn.plot(
        range(1, len(clf.loss_curve_) + 1),
        clf.loss_curve_,
        color=color,
        label=f"batch_norm={use_bn}",
    )
ax_bn.set_yscale("log")
ax_bn.set_xlabel("epoch")
ax_bn.set_ylabel("training loss")
ax_bn.legend(**{**below, "bbox_to_anchor": (0.5, -0.13)})
ax_bn.set_title("batch_norm: 8 x 32 sigmoid units,\ndigits")

order = np.argsort(yi_test)  # the rare class drawn on top
ax_cw.scatter(*Xi_test[order].T, c=yi_test[order], cmap="coolwarm", edgecolor="k", s=14)
handles = []
for (weight, clf), color in zip(cw_models.items(), ["tab:gray", "tab:green"]):
    boundary(ax_cw, clf, Xi_test, color)
    rare = recall_score(yi_test, clf.predict(Xi_test))
    handles.append(
        Line2D(
            [], [], color=color, label=f"class_weight={weight}: rare recall {rare:.2f}"
        )
    )
ax_cw.legend(handles=handles, **below)
ax_cw.set_title("class_weight: 5% rare class (red),\ntest points")
plt.show()

# %%
# Dropout costs a little training accuracy and buys test accuracy: the
# boundary no longer wraps around individual points. Without batch
# normalization the deep sigmoid stack stays near the loss of guessing (the
# log of 10 classes, 2.3) for the whole run; with it the loss falls by two
# orders of magnitude. Balanced class weights trade a little recall on the
# common class for much more on the rare one: the boundary moves into the
# common class's territory. Where the balance should sit is a
# business decision, and a dict such as ``class_weight={0: 1, 1: 5}`` sets it
# directly.
