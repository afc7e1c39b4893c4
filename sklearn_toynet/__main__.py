"""The demo: ``python -m sklearn_toynet``.

Replays the blog post's two networks through ToyNetClassifier's public
hyperparameters, then grid-searches the hidden layer size on a data set that
scikit-learn ships, showing each fold as it finishes.
"""

import time

import numpy as np
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sklearn_toynet import ToyNetClassifier

# The blog's inputs: three columns, the last always 1 (a bias in disguise).
BLOG_X = np.array([[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1]])

# The blog's training loop, spelled as hyperparameters: sigmoid units, half
# squared error, plain full-batch gradient steps of 1 summed over 4 rows (our
# gradient is a mean, so the step is 4), no biases, the blog's uniform init.
BLOG_SETTINGS = dict(
    activation="logistic",
    loss="squared_error",
    solver="sgd",
    momentum=0.0,
    alpha=0.0,
    fit_intercept=False,
    init="uniform",
    shuffle=False,
    tol=None,
    learning_rate_init=4.0,
    random_state=1,
)


def blog_network(hidden_layer_sizes, max_iter):
    return ToyNetClassifier(hidden_layer_sizes, max_iter=max_iter, **BLOG_SETTINGS)


def replay_blog():
    print("== The blog's 2-layer network (no hidden layer, 10,000 steps) ==")
    two_layer = blog_network((), 10_000).fit(BLOG_X, [0, 0, 1, 1])
    print("Output After Training:")
    print(two_layer.predict_proba(BLOG_X)[:, [1]])

    print("\n== The blog's 3-layer network (4 hidden units, 60,000 steps) ==")
    y = np.array([0, 1, 1, 0])
    # The blog prints its error every 10,000 steps; warm-started fits of
    # 10,000 steps continue exactly where the last one stopped.
    three_layer = blog_network((4,), 10_000).set_params(warm_start=True)
    for steps in range(10_000, 60_001, 10_000):
        three_layer.fit(BLOG_X, y)
        error = y - three_layer.predict_proba(BLOG_X)[:, 1]
        print(f"Error after {steps:>6} steps: {np.mean(np.abs(error)):.12f}")
    print("Output After Training:")
    print(three_layer.predict_proba(BLOG_X)[:, [1]])


def grid_search():
    print("\n== Grid search over hidden layer sizes (breast cancer, 5-fold CV) ==")
    X, y = load_breast_cancer(return_X_y=True)
    pipeline = make_pipeline(StandardScaler(), ToyNetClassifier(random_state=0))
    search = GridSearchCV(
        pipeline,
        {"toynetclassifier__hidden_layer_sizes": [(), (4,), (16,), (64,), (32, 16)]},
        cv=StratifiedKFold(5, shuffle=True, random_state=0),
        verbose=3,
    )
    start = time.perf_counter()
    search.fit(X, y)
    print(f"\n{'hidden_layer_sizes':>20}  mean CV accuracy  (std)")
    results = search.cv_results_
    for params, mean, std in zip(
        results["params"], results["mean_test_score"], results["std_test_score"]
    ):
        size = params["toynetclassifier__hidden_layer_sizes"]
        print(f"{size!s:>20}  {mean:16.4f}  ({std:.4f})")
    print(f"best: {search.best_params_}, in {time.perf_counter() - start:.1f} s")


def main():
    replay_blog()
    grid_search()


if __name__ == "__main__":
    main()
