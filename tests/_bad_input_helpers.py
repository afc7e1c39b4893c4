"""Data, small estimators and array libraries shared by ``test_bad_input_*.py``.

``small`` builds a quick-to-fit estimator, and ``target`` gives the good targets
for it; each test then spoils one input at a time. A test parametrized by
``library`` (``LIBRARIES``, or ``with_cases``) runs on NumPy (scikit-learn's
array API dispatch off, its default) and, under dispatch (the autouse fixture
``dispatch_by_library``), on every library of ``_array_api_helpers.NAMESPACES``
(array-api-strict always, PyTorch when installed): ``in_library`` moves the
test's NumPy input there, and bad input must get the same error as on NumPy.
"""

import pytest
import sklearn
from _array_api_helpers import NAMESPACES, on
from sklearn.datasets import make_classification

from sklearn_toynet import ToyNetClassifier, ToyNetRegressor

X, Y = make_classification(
    n_samples=40, n_features=3, n_informative=3, n_redundant=0, n_classes=3,
    random_state=0,
)  # fmt: skip
Y_REG = X[:, 0] - X[:, 1]
ESTIMATORS = [ToyNetClassifier, ToyNetRegressor]

#: NumPy and every other library the suite has (skipped, with the reason, where
#: not installed), as pytest parameters of ``library``.
LIBRARIES = [
    pytest.param("numpy"),
    *(pytest.param(p) if isinstance(p, str) else p for p in NAMESPACES),
]


def small(Est, **params):
    return Est(
        **{"hidden_layer_sizes": (4,), "max_iter": 3, "random_state": 0, **params}
    )


def target(Est):
    return Y if Est is ToyNetClassifier else Y_REG


def with_cases(cases, numpy_only=()):
    """``(library, case)`` parameters: each case on every library.

    ``numpy_only``: the cases no other library can hold (say why where used).
    """
    return [
        pytest.param(*lib.values, case, marks=lib.marks, id=f"{lib.values[0]}-{case}")
        for lib in LIBRARIES
        for case in cases
        if lib.values[0] == "numpy" or case not in numpy_only
    ]


@pytest.fixture(autouse=True)
def dispatch_by_library(request):
    """Array API dispatch on for a test whose ``library`` is not NumPy."""
    callspec = getattr(request.node, "callspec", None)
    library = callspec.params.get("library", "numpy") if callspec else "numpy"
    with sklearn.config_context(array_api_dispatch=library != "numpy"):
        yield


def in_library(library, array):
    """NumPy ``array`` as an array of ``library`` (itself for NumPy)."""
    return array if library == "numpy" else on(library, array)
