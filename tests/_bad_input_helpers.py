"""Data and small estimators shared by the ``test_bad_input_*.py`` modules.

``small`` builds a quick-to-fit estimator, and ``target`` gives the good targets
for it; each test then spoils one input at a time.
"""

from sklearn.datasets import make_classification

from sklearn_toynet import ToyNetClassifier, ToyNetRegressor

X, Y = make_classification(
    n_samples=40, n_features=3, n_informative=3, n_redundant=0, n_classes=3,
    random_state=0,
)  # fmt: skip
Y_REG = X[:, 0] - X[:, 1]
ESTIMATORS = [ToyNetClassifier, ToyNetRegressor]


def small(Est, **params):
    return Est(
        **{"hidden_layer_sizes": (4,), "max_iter": 3, "random_state": 0, **params}
    )


def target(Est):
    return Y if Est is ToyNetClassifier else Y_REG
