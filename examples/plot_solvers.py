"""
=======================================
Comparing solvers through their losses
=======================================

The blog updates its weights with the plainest rule there is: add the gradient.
:class:`~sklearn_toynet.ToyNetClassifier` keeps that rule (``solver="sgd"``,
``momentum=0``) and offers MLPClassifier's others: momentum, Nesterov's
momentum, Adam and L-BFGS. This example trains the same network on the
handwritten digits with each and plots ``loss_curve_``, the training loss after
every epoch (for L-BFGS: after every iteration over the full batch).
"""

# %%
import matplotlib.pyplot as plt
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

from sklearn_toynet import ToyNetClassifier

X, y = load_digits(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
scaler = StandardScaler().fit(X_train)
X_train, X_test = scaler.transform(X_train), scaler.transform(X_test)

# %%
# ``tol=None`` makes every stochastic run last exactly ``max_iter`` epochs, so
# the curves have the same length. The SGD runs share one learning rate.
common = dict(hidden_layer_sizes=(64,), random_state=0, max_iter=60)
solvers = {
    "sgd, no momentum (the blog's rule)": dict(
        solver="sgd", momentum=0.0, learning_rate_init=0.05, tol=None
    ),
    "sgd, momentum 0.9": dict(
        solver="sgd",
        momentum=0.9,
        nesterovs_momentum=False,
        learning_rate_init=0.05,
        tol=None,
    ),
    "sgd, Nesterov momentum 0.9": dict(
        solver="sgd", momentum=0.9, learning_rate_init=0.05, tol=None
    ),
    "adam": dict(solver="adam", learning_rate_init=0.001, tol=None),
    "lbfgs": dict(solver="lbfgs"),
}

fig, ax = plt.subplots(figsize=(8, 5))
for label, params in solvers.items():
    clf = ToyNetClassifier(**common, **params).fit(X_train, y_train)
    test_accuracy = clf.score(X_test, y_test)
    print(f"{label:36s} {clf.n_iter_:3d} iterations, test accuracy {test_accuracy:.3f}")
    ax.semilogy(
        range(1, len(clf.loss_curve_) + 1),
        clf.loss_curve_,
        label=f"{label} ({test_accuracy:.3f})",
        linestyle=":" if params["solver"] == "lbfgs" else "-",
    )
ax.set_xlabel("epoch (L-BFGS: iteration)")
ax.set_ylabel("training loss (log scale)")
ax.set_title("Digits, one hidden layer of 64 ReLU units\n(legend: test accuracy)")
ax.legend()
fig.tight_layout()
plt.show()

# %%
# Momentum makes each step reuse the previous direction, so plain SGD's slow
# descent speeds up several fold (the classical and the Nesterov variant
# overlap here). Adam adapts each weight's own step size; at its default
# ``learning_rate_init`` it is slower here than tuned SGD with momentum, but
# it is the least sensitive to that setting, which is why it is the default.
# L-BFGS works on the whole data set at once and stopped when its own
# tolerance was met, long before ``max_iter``; on small data sets like this
# one it is often the quickest way to a good model. An L-BFGS iteration is one
# full-batch step while an epoch of the others is many mini-batch steps, so
# the x axis compares passes over the data, not wall-clock time.
