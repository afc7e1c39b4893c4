"""The demo: ``python -m sklearn_toynet``.

Replays the blog post's two networks through ToyNetClassifier's public
hyperparameters, then grid-searches the hidden layer size on a data set that
scikit-learn ships, showing each fold as it finishes.
"""

import time

from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sklearn_toynet import ToyNetClassifier, blog


def replay_blog():
    print("== The blog's 2-layer network (no hidden layer, 10,000 steps) ==")
    two_layer = blog.classifier((), 10_000).fit(blog.X, blog.Y_COPY)
    print("Output After Training:")
    print(two_layer.predict_proba(blog.X)[:, [1]])

    print("\n== The blog's 3-layer network (4 hidden units, 60,000 steps) ==")
    three_layer = blog.classifier((4,), 60_000)
    try:
        three_layer.set_callbacks(blog.ErrorTrace(blog.Y_XOR))
    except ImportError as exc:  # scikit-learn < 1.9: no error trace
        print(f"(no error trace: {exc})")
    three_layer.fit(blog.X, blog.Y_XOR)
    print("Output After Training:")
    print(three_layer.predict_proba(blog.X)[:, [1]])


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
