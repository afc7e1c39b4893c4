"""Plain helpers shared by test modules of several behaviours.

``quiet_fit`` fits an estimator while silencing the ConvergenceWarning that the
tests' deliberately short runs raise; anything else still warns (and a numpy
RuntimeWarning is still an error, as pyproject's filterwarnings makes it).
"""

import warnings

import sklearn
from sklearn.exceptions import ConvergenceWarning


def quiet_fit(est, *args, **kwargs):
    """Fit, ignoring the ConvergenceWarning of deliberately short runs."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return est.fit(*args, **kwargs)


# (major, minor) of the installed scikit-learn, for tests of version-bound behaviour.
SKLEARN_VERSION = tuple(int(part) for part in sklearn.__version__.split(".")[:2])


class EpochCallback:
    """A scikit-learn callback doing nothing but what a subclass adds.

    Subclasses write ``on_fit_task_end`` (return True to stop the fit).
    """

    def __init__(self, n):
        self.n = n

    def setup(self, estimator, context):
        pass

    def teardown(self, estimator, context):
        pass

    def on_fit_task_begin(self, estimator, context):
        pass
