"""Plain helpers shared by test modules of several behaviours.

``quiet_fit`` fits an estimator while silencing the ConvergenceWarning that the
tests' deliberately short runs raise; anything else still warns (and a numpy
RuntimeWarning is still an error, as pyproject's filterwarnings makes it).
"""

import warnings

from sklearn.exceptions import ConvergenceWarning


def quiet_fit(est, *args, **kwargs):
    """Fit, ignoring the ConvergenceWarning of deliberately short runs."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return est.fit(*args, **kwargs)
