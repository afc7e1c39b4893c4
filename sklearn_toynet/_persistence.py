"""Saving and loading fitted models safely: the types to trust with ``skops.io``.

Never load a pickle you did not make yourself
---------------------------------------------
``pickle.load``, ``joblib.load`` and anything built on them run code from the
file: a pickle is a small program whose instructions may call any importable
function (``os.system``, ``subprocess.run``, ...) with any arguments, and they
run before you get an object back to inspect. Loading a model file from the
internet, a shared drive or a user upload with pickle therefore lets its author
run anything on your machine. Pickle and joblib are fine for files you wrote
yourself and stored where nobody else can change them.

Loading with skops
------------------
``skops.io`` (``pip install ".[persistence]"`` from a clone) stores a model as
data and, when loading, rebuilds only the types you allow: by default
scikit-learn's and numpy's, and no package's own classes. skops has no plugin
mechanism for a package to declare its types, so this module lists the ones a
fitted ToyNet estimator contains (the estimators, their target coding, the
batch-normalization state, the optimizers kept for
``partial_fit``/``warm_start`` and the tabular pair's table encoder)::

    import skops.io as sio
    import sklearn_toynet

    sio.dump(model, "model.skops")
    model = sio.load("model.skops", trusted=sklearn_toynet.TRUSTED_TYPES)

A file that holds any other type (a pipeline step of another package, or a
crafted payload) is refused with ``UntrustedTypesFoundException``; list what a
file holds with ``sio.get_untrusted_types(file="model.skops")`` and review it
before adding anything to ``trusted``.
"""

from ._classifier import ToyNetClassifier
from ._network import BatchNormState
from ._optimizers import SGD, Adam
from ._regressor import ToyNetRegressor
from ._table_encoder import TableEncoder
from ._tabular import ToyNetTabularClassifier, ToyNetTabularRegressor
from ._targets import ClassTargets, RegressionTargets


def _qualified_name(cls):
    return f"{cls.__module__}.{cls.__qualname__}"


#: Fully qualified names of the package's types found in a fitted ToyNet model,
#: as ``skops.io.get_untrusted_types`` reports them: pass as ``trusted=``.
TRUSTED_TYPES = sorted(
    _qualified_name(cls)
    for cls in (
        ToyNetClassifier,
        ToyNetRegressor,
        ToyNetTabularClassifier,
        ToyNetTabularRegressor,
        BatchNormState,
        SGD,
        Adam,
        ClassTargets,
        RegressionTargets,
        TableEncoder,
    )
)
