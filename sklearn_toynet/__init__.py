"""sklearn-toynet: the blog's 11-line neural network as scikit-learn estimators."""

from ._classifier import ToyNetClassifier
from ._network import BatchNormState
from ._persistence import TRUSTED_TYPES
from ._regressor import ToyNetRegressor
from ._tabular import ToyNetTabularClassifier, ToyNetTabularRegressor

__version__ = "0.1.0"

__all__ = [
    "TRUSTED_TYPES",
    "BatchNormState",
    "ToyNetClassifier",
    "ToyNetRegressor",
    "ToyNetTabularClassifier",
    "ToyNetTabularRegressor",
    "__version__",
]
