"""Arrays of other libraries: which namespace an array is in, and moving arrays.

NumPy arrays (and scipy sparse matrices) take the math modules' NumPy paths
(in-place ufuncs with ``out=``, one flat buffer, BLAS thread limits); any
other Array API array (PyTorch, CuPy, array-api-strict), which reaches the
package only when scikit-learn's ``array_api_dispatch`` is on, takes the
generic path, written against its namespace. :func:`is_numpy` is the one test
of which path an array takes. A few per-layer hot spots (``_network._matmul``,
``_batchnorm.batch_norm_forward``) ask ``isinstance(a, np.ndarray)`` inline
instead, each naming the benchmark row that pays for it. Random numbers are
always drawn by NumPy's ``RandomState`` and moved to the device
(:func:`to_device_of`), so one ``random_state`` gives one model in every
namespace.
"""

import numpy as np
import scipy.sparse as sp
from sklearn import get_config
from sklearn.externals.array_api_compat import is_array_api_obj
from sklearn.utils._array_api import (
    _is_numpy_namespace,
    get_namespace_and_device,
    move_to,
    supported_float_dtypes,
)


def is_numpy(a):
    """Whether ``a`` takes the NumPy paths: an ndarray, or a scipy sparse matrix.

    Everything else (another Array API library's array) takes the generic path.
    """
    return isinstance(a, np.ndarray) or sp.issparse(a)


def xp_of(a):
    """The namespace one body of code computes ``a`` in: NumPy, or ``a``'s own."""
    return np if is_numpy(a) else namespace(a)


_NAMESPACES = {}  # array type -> its namespace: asked once per type


def namespace(a):
    """The Array API namespace of ``a`` (a non-NumPy array).

    Asked of ``array_api_compat`` once per array type (some microseconds
    each time; the generic path asks for every operation), then remembered.
    """
    xp = _NAMESPACES.get(type(a))
    if xp is None:
        from sklearn.externals.array_api_compat import array_namespace

        xp = _NAMESPACES[type(a)] = array_namespace(a)
    return xp


def refuse_complex(X):
    """scikit-learn's error for complex ``X`` of another array library.

    NumPy's complex arrays meet it in ``check_array``; under array API
    dispatch a PyTorch complex tensor passes ``check_array`` as it is.
    """
    if is_numpy(X) or not hasattr(X, "__dlpack__") or not hasattr(X, "dtype"):
        return
    if namespace(X).isdtype(X.dtype, "complex floating"):
        raise ValueError(f"Complex data not supported\n{X}\n")


def device_of(a):
    """The device ``a`` lives on (None for a NumPy array)."""
    if is_numpy(a):
        return None
    from sklearn.externals.array_api_compat import device

    return device(a)


def to_device_of(array, like, dtype=None):
    """NumPy ``array`` moved to ``like``'s namespace and device (in ``dtype``).

    ``like`` a NumPy array: ``array`` itself (cast to ``dtype`` if given).
    ``dtype`` defaults to ``like``'s.
    """
    if is_numpy(like):
        return array if dtype is None else array.astype(dtype, copy=False)
    xp = namespace(like)
    return xp.asarray(
        array, dtype=like.dtype if dtype is None else dtype, device=device_of(like)
    )


def to_numpy(a):
    """``a`` as a NumPy array on the host (itself when it already is one)."""
    if is_numpy(a) or a is None:
        return a
    return move_to(a, xp=np, device="cpu")


def labels_on_host(labels):
    """``labels`` in another library's array moved to NumPy; anything else as given.

    Class labels are coded on the host (see ``_targets``), so ``classes``
    given as a tensor comes to NumPy as ``y`` does; a list or a NumPy array
    stays what it is.
    """
    if labels is None or is_numpy(labels) or not is_array_api_obj(labels):
        return labels
    return to_numpy(labels)


def any_nonzero(a):
    """Whether any entry of array ``a`` is not zero, in any namespace."""
    if is_numpy(a):
        return bool(a.any())
    return bool(namespace(a).any(a != 0))


def copy_of(a):
    """A copy of array ``a``, in any namespace."""
    if is_numpy(a):
        return a.copy()
    return namespace(a).asarray(a, copy=True)


def astype(a, dtype):
    """``a`` in ``dtype`` (a copy), in any namespace."""
    if is_numpy(a):
        return a.astype(dtype)
    return namespace(a).astype(a, dtype)


_ONES = {}  # (length, dtype) -> a read-only vector of ones (see ``ones_vector``)


def ones_vector(n, dtype):
    """A read-only NumPy vector of ``n`` ones in ``dtype``, kept for later calls.

    The row and column sums of a batch are products with ones (faster than
    ``sum`` over a short axis); a new vector for each batch cost 0.7 us, a few
    times per batch. Vectors of up to 4,096 entries are kept (a batch's rows,
    an output's units), a few dozen of them at most; longer ones are made anew.
    """
    key = (n, dtype)
    ones = _ONES.get(key)
    if ones is None:
        ones = np.ones(n, dtype=dtype)
        if n > 4096:
            return ones
        if len(_ONES) >= 32:  # batches of many sizes: keep the memory bounded
            _ONES.clear()
        ones.flags.writeable = False  # shared: nobody writes into it
        _ONES[key] = ones
    return ones


def sum_of_squares(a):
    """The sum of ``a``'s squared entries, as a Python float, in any namespace."""
    if is_numpy(a):
        return float(np.vdot(a, a))  # no temporary array
    return float(namespace(a).sum(a * a))


def numpy_dtype(a):
    """NumPy's float dtype of ``a``'s precision (float32 or float64)."""
    if is_numpy(a):
        return a.dtype
    return np.dtype(np.float32 if a.dtype == namespace(a).float32 else np.float64)


def float_dtypes(X):
    """The float dtypes validation may give ``X``: NumPy's, or its device's.

    float64 then float32 (float64 input stays float64), or float32 alone on a
    device without float64 (MPS). NumPy's pair without asking anything when
    dispatch is off or ``X`` is NumPy's.
    """
    if is_numpy(X) or not get_config()["array_api_dispatch"]:
        return (np.float64, np.float32)
    xp, _, device = get_namespace_and_device(X)
    if _is_numpy_namespace(xp):
        return (np.float64, np.float32)
    supported = supported_float_dtypes(xp, device)
    return tuple(d for d in (xp.float64, xp.float32) if d in supported)


def check_same_namespace(X, weights, class_name, method):
    """Refuse ``X`` of another namespace or device than the fitted ``weights``'.

    scikit-learn's check (and its message) for an estimator whose fitted
    arrays are lists: the first weight matrix stands for them all.
    ``class_name`` is the estimator's, for the messages.
    """
    if not get_config()["array_api_dispatch"]:
        if not is_numpy(weights):
            name = namespace(weights).__name__.rsplit(".", 1)[-1]
            raise ValueError(
                f"This {class_name} was fitted on {name} arrays, so "
                f"{method}() needs scikit-learn's array API dispatch: call it "
                "under sklearn.config_context(array_api_dispatch=True), or move "
                "the model to NumPy first with sklearn.utils._array_api."
                "move_estimator_to(estimator, numpy, 'cpu')."
            )
        return
    from sklearn.utils._array_api import check_same_namespace as sklearn_check

    # What the check sees: an object of the estimator's class name (for the
    # message) holding one fitted array.
    seen = type(class_name, (), {"weights": weights})()
    sklearn_check(X, seen, attribute="weights", method=method)
