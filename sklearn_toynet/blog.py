"""The blog post's data and training loop, as ToyNet settings.

"A Neural Network in 11 lines of Python" trains sigmoid networks on four rows
with full-batch gradient steps. These names let a replay (the demo, the gallery,
the benchmarks) say "the blog's network" once::

    from sklearn_toynet import blog

    net = blog.classifier(hidden_layer_sizes=(4,), max_iter=60_000)
    net.set_callbacks(blog.ErrorTrace(blog.Y_XOR)).fit(blog.X, blog.Y_XOR)
"""

import numpy as np

from ._classifier import ToyNetClassifier

#: The blog's inputs, four rows of 0s and 1s: three columns, the last always 1
#: (the blog's stand-in for a bias).
X = np.array([[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1]], dtype=float)

#: The 2-layer network's target: a copy of the first column.
Y_COPY = np.array([0, 0, 1, 1])

#: The 3-layer network's target: XOR of the first two columns.
Y_XOR = np.array([0, 1, 1, 0])

#: The blog's training loop as hyperparameters: sigmoid units and half squared
#: error, plain full-batch gradient steps with no biases, the blog's uniform
#: initialization from ``np.random.seed(1)``. The blog adds the gradient summed
#: over its 4 rows; ToyNet's is a mean, so the step is 4.
SETTINGS = dict(
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

#: What the blog printed for the 2-layer network ("Output After Training"),
#: 8 decimals: its output at the top of the last of 10,000 loop passes.
PRINTED_COPY = np.array([0.00966449, 0.00786506, 0.99358898, 0.99211957])

#: What the blog printed for the 3-layer network, 8 decimals: its output at the
#: top of the last of 60,000 loop passes.
PRINTED_XOR = np.array([0.00260572, 0.99672209, 0.99701711, 0.00386759])

#: The 3-layer network's error trace as the blog printed it (12 significant
#: digits): the mean absolute error at the top of passes 0, 10,000, ..., 50,000.
PRINTED_ERRORS = np.array(
    [
        0.496410031903,
        0.00858452565325,
        0.00578945986251,
        0.00462917677677,
        0.00395876528027,
        0.00351012256786,
    ]
)


def classifier(hidden_layer_sizes, max_iter, **params):
    """A ToyNetClassifier that trains exactly as the blog's loop does.

    Parameters
    ----------
    hidden_layer_sizes : tuple of int
        ``()`` for the blog's 2-layer network, ``(4,)`` for its 3-layer one.
    max_iter : int
        Gradient steps (the blog's 10,000 and 60,000).
    **params : dict
        Further ToyNetClassifier parameters, overriding :data:`SETTINGS`.

    Returns
    -------
    classifier : ToyNetClassifier
        The unfitted estimator.
    """
    return ToyNetClassifier(
        hidden_layer_sizes, max_iter=max_iter, **{**SETTINGS, **params}
    )


class ErrorTrace:
    """A callback printing the blog's trace: the mean absolute error every 10,000 steps.

    Like the blog's ``if (j % 10000) == 0: print(...)``, it looks at the network
    as it stands at the start of step ``j``, before that step's update, and it
    keeps what it printed in ``errors``. Needs ``sklearn.callback``
    (scikit-learn >= 1.9).

    Parameters
    ----------
    y : array-like of shape (n_samples,)
        The 0/1 targets the error is measured against.
    every : int, default=10_000
        Steps between two lines.

    Attributes
    ----------
    errors : list of float
        The errors printed so far, one per line, at full precision.
    """

    def __init__(self, y, every=10_000):
        self.y = np.asarray(y)
        self.every = every
        self.errors = []

    def setup(self, estimator, context):
        """Called before the fit; nothing to prepare."""

    def teardown(self, estimator, context):
        """Called after the fit; nothing to release."""

    def on_fit_task_begin(self, estimator, context, *, X=None, fitted_estimator=None):
        """Print the error at the start of every ``every``-th epoch."""
        if context.parent is not None and context.task_id % self.every == 0:
            error = self.y - fitted_estimator.predict_proba(X)[:, 1]
            self.errors.append(float(np.mean(np.abs(error))))
            # The blog's Python 2 ``str(float)``: 12 significant digits.
            print(f"Error:{self.errors[-1]:.12g}")

    def on_fit_task_end(self, estimator, context):
        """Never asks the fit to stop."""
        return False
