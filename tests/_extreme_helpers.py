"""Data and checks shared by the ``test_extreme_values_*.py`` modules.

Ordinary training data, rows of extreme magnitude (up to float64's largest and
down to its subnormals), the divergence error's pattern, and
``assert_probabilities``: finite, in [0, 1], rows summing to one.
"""

import numpy as np

RNG = np.random.RandomState(0)
X = RNG.normal(size=(60, 3))
Y3 = np.arange(60) % 3
TARGETS = {"binary": Y3 % 2, "multiclass": Y3, "multilabel": np.c_[Y3 % 2, Y3 // 2]}

BIG = np.finfo(np.float64).max
EXTREME_ROWS = np.array(
    [
        [1e300, -1e300, 1e300],
        [1e300, 1e300, 1e300],
        [-1e300, -1e300, -1e300],
        [1e-300, -1e-300, 5e-324],
        [BIG, BIG, BIG],
        [-BIG, BIG, 0.0],
        [1.0, 2.0, 3.0],
    ]
)
# Either divergence error: weights that overflowed (MLPClassifier's message), or a
# loss that exploded while the weights were still finite.
DIVERGED = "non-finite parameter weights|training loss exploded"


def assert_probabilities(proba, n_rows, n_columns, *, rows_sum_to_one=True):
    assert proba.shape == (n_rows, n_columns)
    assert np.isfinite(proba).all()
    assert ((proba >= 0) & (proba <= 1)).all()
    if rows_sum_to_one:
        atol = 1e-5 if proba.dtype == np.float32 else 1e-12
        np.testing.assert_allclose(proba.sum(axis=1), 1, rtol=0, atol=atol)
