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


class BlogErrorTrace:
    """A callback printing the blog's trace: mean |error| every 10,000 steps.

    Like the blog's ``if (j % 10000) == 0: print ...``, it looks at the network
    as it stands at the start of step ``j``, before that step's update.
    """

    def __init__(self, y, every=10_000):
        self.y, self.every = y, every

    def setup(self, estimator, context):
        pass

    def teardown(self, estimator, context):
        pass

    def on_fit_task_begin(self, estimator, context, *, X=None, fitted_estimator=None):
        if context.parent is not None and context.task_id % self.every == 0:
            error = self.y - fitted_estimator.predict_proba(X)[:, 1]
            print(f"Error:{np.mean(np.abs(error)):.12f}")

    def on_fit_task_end(self, estimator, context):
        return False


def replay_blog():
    print("== The blog's 2-layer network (no hidden layer, 10,000 steps) ==")
    two_layer = blog_network((), 10_000).fit(BLOG_X, [0, 0, 1, 1])
    print("Output After Training:")
    print(two_layer.predict_proba(BLOG_X)[:, [1]])

    print("\n== The blog's 3-layer network (4 hidden units, 60,000 steps) ==")
    y = np.array([0, 1, 1, 0])
    three_layer = blog_network((4,), 60_000)
    try:
        three_layer.set_callbacks(BlogErrorTrace(y))
    except ImportError as exc:  # scikit-learn < 1.9: no error trace
        print(f"(no error trace: {exc})")
    three_layer.fit(BLOG_X, y)
    print("Output After Training:")
    print(three_layer.predict_proba(BLOG_X)[:, [1]])


def progress_bar():
    """scikit-learn's rich progress bar, or None without sklearn.callback/rich."""
    try:
        from sklearn.callback import ProgressBar

        return ProgressBar(max_propagation_depth=1)
    except ImportError:
        return None


def grid_search():
    print("\n== Grid search over hidden layer sizes (breast cancer, 5-fold CV) ==")
    X, y = load_breast_cancer(return_X_y=True)
    pipeline = make_pipeline(StandardScaler(), ToyNetClassifier(random_state=0))
    search = GridSearchCV(
        pipeline,
        {"toynetclassifier__hidden_layer_sizes": [(), (4,), (16,), (64,), (32, 16)]},
        cv=StratifiedKFold(5, shuffle=True, random_state=0),
    )
    bar = progress_bar()
    if bar is None:  # fall back on GridSearchCV's own line per fold
        search.set_params(verbose=3)
    else:
        search.set_callbacks(bar)
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
