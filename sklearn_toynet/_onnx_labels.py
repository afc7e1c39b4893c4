"""What a converted classifier's label outputs hold: values, ONNX types, names.

Used by :mod:`sklearn_toynet.onnx`, which reads the fitted classifier and
passes its ``classes_`` and whether it is multilabel; needs only ``onnx``.
"""

import numpy as np
from onnx import TensorProto


def labels(classes, multilabel, nocl):
    """The label constant: ``(values, ONNX element type)``.

    Labels keep the training labels' type: integers as int64, floats as their
    float type, booleans as bool, strings as strings. With ``nocl`` (and for
    multilabel targets, whose labels are ``0 .. n_labels - 1``) they are the
    classes' indices.
    """
    if nocl or multilabel:
        return np.arange(len(classes), dtype=np.int64), TensorProto.INT64
    if classes.dtype == np.bool_:
        return classes, TensorProto.BOOL
    if np.issubdtype(classes.dtype, np.integer):
        return classes.astype(np.int64), TensorProto.INT64
    if classes.dtype == np.float32:
        return classes, TensorProto.FLOAT
    if np.issubdtype(classes.dtype, np.floating):
        return classes.astype(np.float64), TensorProto.DOUBLE
    if all(isinstance(c, str) for c in classes):
        return classes.astype(object), TensorProto.STRING
    raise ValueError(
        "ONNX export supports integer, float, bool or string class labels; "
        f"classes_ holds {sorted({type(c).__name__ for c in classes})}."
    )


def zipmap_keys(classes, multilabel, nocl):
    """ZipMap's keys ``(attribute, keys, ONNX element type)``: int64 or strings."""
    values, proto = labels(classes, multilabel, nocl)
    if proto == TensorProto.STRING:
        keys = [s.encode("utf-8") for s in values]
        return "classlabels_strings", keys, TensorProto.STRING
    # Float labels of a classifier are whole numbers (scikit-learn refuses others).
    return "classlabels_int64s", [int(v) for v in values], TensorProto.INT64


def column_names(classes, multilabel, nocl):
    """Output names for zipmap="columns", as skl2onnx names them."""
    values, proto = labels(classes, multilabel, nocl)
    if proto == TensorProto.STRING:
        return [f"s{v}" for v in values]
    return [f"i{int(v)}" for v in values]
