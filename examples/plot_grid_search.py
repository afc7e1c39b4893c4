"""
==========================================
Choosing the hidden layer size by search
==========================================

:class:`~sklearn_toynet.ToyNetClassifier` is an ordinary scikit-learn
estimator, so its hyperparameters can be tuned with
:class:`~sklearn.model_selection.GridSearchCV` inside a
:class:`~sklearn.pipeline.Pipeline`. Here the pipeline standardizes the
handwritten digits (networks train best on features of similar scale) and the
search tries hidden layers from 2 to 128 units, each with a weak and a strong
L2 penalty ``alpha``, scoring each by 3-fold cross-validation.

L-BFGS needs many more iterations through narrow layers and under a strong
penalty than MLP's default of 200: ``max_iter=5000`` lets every fit of the
search converge, well within its budget, so no ``ConvergenceWarning`` is
raised (or silenced).
"""

# %%
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from sklearn.datasets import load_digits
from sklearn.model_selection import GridSearchCV, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sklearn_toynet import ToyNetClassifier

X, y = load_digits(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)

pipeline = make_pipeline(
    StandardScaler(), ToyNetClassifier(solver="lbfgs", max_iter=5000, random_state=0)
)
sizes = [2, 4, 8, 16, 32, 64, 128]
param_grid = {
    "toynetclassifier__hidden_layer_sizes": [(n,) for n in sizes],
    "toynetclassifier__alpha": [1e-4, 1.0],
}
search = GridSearchCV(pipeline, param_grid, cv=3, return_train_score=True)

search.fit(X_train, y_train)

print("best parameters:", search.best_params_)
print(f"best CV accuracy: {search.best_score_:.3f}")
print(f"test accuracy of the refitted best model: {search.score(X_test, y_test):.3f}")

# %%
# ``cv_results_`` holds one row per parameter combination; as a DataFrame it
# is easy to slice by ``alpha`` and plot against the layer size.
results = pd.DataFrame(search.cv_results_)
results["units"] = [p[0] for p in results["param_toynetclassifier__hidden_layer_sizes"]]

fig, ax = plt.subplots(figsize=(8, 5))
for (alpha, group), color in zip(
    results.groupby("param_toynetclassifier__alpha"), ["tab:blue", "tab:orange"]
):
    ax.errorbar(
        group["units"],
        group["mean_test_score"],
        yerr=group["std_test_score"],
        marker="o",
        capsize=3,
        color=color,
        label=f"alpha={alpha:g}, cross-validation",
    )
    ax.plot(
        group["units"],
        group["mean_train_score"],
        linestyle="--",
        color=color,
        label=f"alpha={alpha:g}, training folds",
    )
ax.set_xscale("log", base=2)
ax.set_xticks(sizes, [str(n) for n in sizes])
ax.set_xlabel("hidden units (one hidden layer)")
ax.set_ylabel("accuracy")
ax.set_ylim(np.floor(results["mean_test_score"].min() * 10) / 10, 1.01)
ax.set_title("GridSearchCV over hidden_layer_sizes, digits")
ax.legend(loc="lower right")
fig.tight_layout()
plt.show()

# %%
# Two units are a bottleneck: ten classes cannot be separated through them.
# Accuracy climbs quickly up to a few dozen units and then levels off, while
# the wider networks fit the training folds perfectly: the gap between the dashed
# and the solid line is the overfitting that ``alpha`` (or ``dropout``, with a
# stochastic solver) trades against.
