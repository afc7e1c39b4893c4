"""The demo: ``python -m sklearn_toynet``.

Replays the blog post's two networks through ToyNetClassifier's public
hyperparameters, printing their outputs beside the numbers the post printed,
then grid-searches the hidden layer size on a data set that scikit-learn
ships. In a terminal, with scikit-learn >= 1.9 and rich, one progress bar
follows the search; otherwise (a pipe, a CI log) the output is plain text.
"""

import sys
import time
from importlib.util import find_spec

import numpy as np
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sklearn_toynet import ToyNetClassifier, blog


def side_by_side(ours, printed):
    """Our outputs and the blog's, in the blog's format (8 decimals), as lines."""
    lines = [f"{'Output After Training:':<26}the blog printed:"]
    for i, (a, b) in enumerate(zip(ours, printed)):
        open_, close = ("[[", "]") if i == 0 else (" [", "]")
        if i == len(ours) - 1:
            close = "]]"
        lines.append(f"{open_}{a:.8f}{close:<14}{open_} {b:.8f}{close}")
    digits = all(f"{a:.8f}" == f"{b:.8f}" for a, b in zip(ours, printed))
    gap = np.max(np.abs(np.asarray(ours) - printed))
    agree = "all 8 printed decimals agree" if digits else "the decimals differ"
    lines.append(f"{agree}; largest difference {gap:.1e}")
    return "\n".join(lines)


def replay_blog():
    print('Andrew Trask\'s blog post "A Neural Network in 11 lines of Python" (2015)')
    print("trains two tiny networks and prints their outputs. Below, ToyNetClassifier")
    print("replays both and prints its outputs beside the blog's. The blog prints from")
    print("the top of its last loop pass, before that pass's update, so the replays")
    print("train one step fewer: 9,999 and 59,999 steps.\n")
    print("== The blog's 2-layer network: no hidden layer, 10,000 loop passes ==")
    two_layer = blog.classifier((), 9_999).fit(blog.X, blog.Y_COPY)
    print(side_by_side(two_layer.predict_proba(blog.X)[:, 1], blog.PRINTED_COPY))

    print("\n== The blog's 3-layer network: 4 hidden units, 60,000 loop passes ==")
    three_layer = blog.classifier((4,), 59_999)
    trace = blog.ErrorTrace(blog.Y_XOR)
    try:
        three_layer.set_callbacks(trace)
    except ImportError:  # scikit-learn < 1.9: no error trace
        print("(the error trace needs scikit-learn >= 1.9)")
    three_layer.fit(blog.X, blog.Y_XOR)
    if trace.errors:
        pairs = zip(trace.errors, blog.PRINTED_ERRORS)
        same = sum(f"{a:.12g}" == f"{b:.12g}" for a, b in pairs)
        print(f"{same} of the blog's 6 error lines agree, digit for digit")
    print(side_by_side(three_layer.predict_proba(blog.X)[:, 1], blog.PRINTED_XOR))


class SearchProgress:
    """One rich progress bar over a whole search: one step per fit.

    A callback (``sklearn.callback``) for GridSearchCV itself, not propagated
    to the fits inside it: it advances when the search finishes evaluating a
    candidate on a split, and once more for the refit of the best candidate.
    """

    def __init__(self, description):
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )

        self._progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(bar_width=30),
            MofNCompleteColumn(),
            TextColumn("fits"),
            TimeElapsedColumn(),
        )
        self._description = description
        self._task = None

    def setup(self, estimator, context):
        self._progress.start()
        self._task = self._progress.add_task(self._description, total=None)

    def teardown(self, estimator, context):
        self._progress.stop()

    def on_fit_task_begin(self, estimator, context, **kwargs):
        if context.task_name == "search":
            refits = int(estimator.refit is not False)
            self._progress.update(self._task, total=context.max_subtasks + refits)

    def on_fit_task_end(self, estimator, context, **kwargs):
        if context.task_name in (
            "candidate-split-evaluation",
            "refit-with-best-params",
        ):
            self._progress.advance(self._task)
        return False


def progress_bar(description):
    """A one-bar progress display in a terminal; None in a pipe or without rich."""
    if not sys.stdout.isatty():
        return None
    if find_spec("rich") is None or find_spec("sklearn.callback") is None:
        return None  # no rich, or scikit-learn < 1.9
    return SearchProgress(description)


FOLDS = 5


def grid_search():
    title = f"Grid search over hidden layer sizes (breast cancer, {FOLDS}-fold CV)"
    print(f"\n== {title} ==")
    X, y = load_breast_cancer(return_X_y=True)
    # MLP's default max_iter=200 stops adam before the loss settles on this
    # data (a ConvergenceWarning per fit); 1,000 lets every fit converge.
    pipeline = make_pipeline(
        StandardScaler(), ToyNetClassifier(max_iter=1_000, random_state=0)
    )
    grid = {"toynetclassifier__hidden_layer_sizes": [(), (4,), (16,), (64,), (32, 16)]}
    search = GridSearchCV(
        pipeline, grid, cv=StratifiedKFold(FOLDS, shuffle=True, random_state=0)
    )
    candidates = len(grid["toynetclassifier__hidden_layer_sizes"])
    n_fits = FOLDS * candidates
    bar = progress_bar("grid search")
    if bar is None:
        print(
            f"{n_fits} fits ({candidates} candidates x {FOLDS} folds), "
            "then a refit of the best..."
        )
    else:
        search.set_callbacks(bar)
    start = time.perf_counter()
    search.fit(X, y)
    seconds = time.perf_counter() - start
    print("\nhidden_layer_sizes: the units of each hidden layer; () is no hidden layer")
    print(f"{'hidden_layer_sizes':>20}  mean CV accuracy  (std)")
    results = search.cv_results_
    for params, mean, std in zip(
        results["params"], results["mean_test_score"], results["std_test_score"]
    ):
        size = params["toynetclassifier__hidden_layer_sizes"]
        print(f"{size!s:>20}  {mean:16.4f}  ({std:.4f})")
    best = search.best_params_["toynetclassifier__hidden_layer_sizes"]
    print(f"best: hidden_layer_sizes={best}; {n_fits + 1} fits in {seconds:.1f} s")


def main():
    replay_blog()
    grid_search()


if __name__ == "__main__":
    main()
