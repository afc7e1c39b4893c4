"""Export fitted ToyNet estimators, and pipelines holding them, to ONNX.

Importing this module registers :class:`~sklearn_toynet.ToyNetClassifier` and
:class:`~sklearn_toynet.ToyNetRegressor` with skl2onnx (a parser, a shape
calculator and a converter each), so that skl2onnx's own call converts a whole
fitted pipeline::

    import sklearn_toynet.onnx  # noqa: F401  (registers the converters)
    from skl2onnx import to_onnx

    onx = to_onnx(pipeline, X[:1].astype(np.float32))

Needs the ``onnx`` extra: ``pip install ".[onnx]"`` from a clone (skl2onnx,
onnx and onnxruntime). The classifier takes skl2onnx's classifier options
``zipmap`` (True, False or "columns"), ``nocl`` and ``output_class_labels``,
as MLPClassifier's converter does. Both estimators take ``saturate`` (default
True): rows whose input makes a layer overflow are computed again with
saturated layers, as ToyNet's ``predict`` does; False drops that check (a few
microseconds per call), and such rows then give inf or NaN.
"""

import numpy as np

try:
    from onnx import TensorProto, helper
    from skl2onnx import to_onnx as _skl2onnx_to_onnx
    from skl2onnx import update_registered_converter
    from skl2onnx.common.data_types import (
        BooleanTensorType,
        DictionaryType,
        DoubleTensorType,
        FloatTensorType,
        Int64TensorType,
        SequenceType,
        StringTensorType,
    )
except ImportError as exc:  # pragma: no cover - depends on the environment
    raise ImportError(
        "sklearn_toynet.onnx needs skl2onnx and onnx: the onnx extra "
        '(pip install ".[onnx]" from a clone of the repository)'
    ) from exc
from sklearn.utils.validation import check_is_fitted

from ._classifier import ToyNetClassifier
from ._network import Network
from ._onnx_graph import PROTO, Graph, check_supported, forward
from ._onnx_labels import column_names, is_multilabel, labels, zipmap_keys
from ._regressor import ToyNetRegressor

__all__ = ["to_onnx"]

CLASSIFIER_ALIAS = "SklearnToyNetClassifier"
REGRESSOR_ALIAS = "SklearnToyNetRegressor"
# saturate=False drops the overflow check: faster, but rows whose input makes a
# layer overflow give inf or NaN where ToyNet gives finite values.
REGRESSOR_OPTIONS = {"saturate": [True, False]}
CLASSIFIER_OPTIONS = {
    **REGRESSOR_OPTIONS,
    "zipmap": [True, False, "columns"],
    "nocl": [True, False],
    "output_class_labels": [False, True],
}
DEFAULT_OPTIONS = {
    "zipmap": True,
    "nocl": False,
    "output_class_labels": False,
    "saturate": True,
}


# -- what the outputs hold ------------------------------------------------------------
def _float_type(input_type):
    """Outputs in double for double input, else in float (skl2onnx's convention)."""
    return (
        DoubleTensorType
        if isinstance(input_type, DoubleTensorType)
        else FloatTensorType
    )


# skl2onnx's type for each ONNX element type a label can have.
TENSOR_TYPES = {
    TensorProto.BOOL: BooleanTensorType,
    TensorProto.INT64: Int64TensorType,
    TensorProto.FLOAT: FloatTensorType,
    TensorProto.DOUBLE: DoubleTensorType,
    TensorProto.STRING: StringTensorType,
}


def _classifier_outputs(est, input_type, options, N=None):
    """``[(name, type), ...]`` of the classifier's outputs, in order."""
    ftype = _float_type(input_type)
    n_classes = len(est.classes_)
    ltype = TENSOR_TYPES[labels(est, options["nocl"])[1]]
    label = ltype([N, n_classes] if is_multilabel(est) else [N])
    zipmap = options["zipmap"]
    if zipmap is False:
        outputs = [("label", label), ("probabilities", ftype([N, n_classes]))]
        if options["output_class_labels"]:
            outputs.append(("class_labels", ltype([n_classes])))
        return outputs
    if options["output_class_labels"]:
        raise ValueError(
            "Option 'output_class_labels' is not compatible with option 'zipmap'; "
            "pass zipmap=False."
        )
    outputs = [("output_label", label)]
    if zipmap == "columns":
        names = column_names(est, options["nocl"])
        return outputs + [(name, ftype([N])) for name in names]
    key_type = TENSOR_TYPES[zipmap_keys(est, options["nocl"])[2]]
    # ONNX's ZipMap holds float values, whatever the input's precision.
    maps = SequenceType(DictionaryType(key_type([]), FloatTensorType([])))
    return outputs + [("output_probability", maps)]


def _options(scope, est):
    names = (
        CLASSIFIER_OPTIONS if isinstance(est, ToyNetClassifier) else REGRESSOR_OPTIONS
    )
    return scope.get_options(est, {k: DEFAULT_OPTIONS[k] for k in names})


# -- parsers and shape calculators ----------------------------------------------------
def _checked(est):
    check_is_fitted(est)
    if not isinstance(est.coefs_[0], np.ndarray):
        raise TypeError(
            f"This {type(est).__name__} holds its weights on another array "
            "library's device; ONNX export needs NumPy arrays: move it first with "
            "sklearn.utils._array_api.move_estimator_to(estimator, numpy, 'cpu')."
        )
    check_supported(Network.from_fitted(est))
    return est


def _declare(scope, alias, est, inputs, outputs):
    if len(inputs) != 1:
        raise ValueError(
            f"{type(est).__name__} takes one input tensor in ONNX, got {len(inputs)}: "
            "put the columns together first (a ColumnTransformer in a pipeline)."
        )
    operator = scope.declare_local_operator(alias, est)
    operator.inputs = list(inputs)
    for name, type_ in outputs:
        operator.outputs.append(scope.declare_local_variable(name, type_))
    return operator.outputs


def _parse_classifier(scope, model, inputs, custom_parsers=None):
    outputs = _classifier_outputs(
        _checked(model), inputs[0].type, _options(scope, model)
    )
    return _declare(scope, CLASSIFIER_ALIAS, model, inputs, outputs)


def _parse_regressor(scope, model, inputs, custom_parsers=None):
    outputs = [("variable", _float_type(inputs[0].type)([None, model.n_outputs_]))]
    return _declare(scope, REGRESSOR_ALIAS, _checked(model), inputs, outputs)


def _shape_classifier(operator):
    est, input_type = operator.raw_operator, operator.inputs[0].type
    N = operator.inputs[0].get_first_dimension()
    types = _classifier_outputs(est, input_type, _options(operator.scope_inst, est), N)
    for variable, (_, type_) in zip(operator.outputs, types):
        variable.type = type_


def _shape_regressor(operator):
    N = operator.inputs[0].get_first_dimension()
    out_type = _float_type(operator.inputs[0].type)
    operator.outputs[0].type = out_type([N, operator.raw_operator.n_outputs_])


# -- converters ------------------------------------------------------------------------
MIN_OPSET = 11  # Clip with its bounds as inputs


def _network_output(scope, operator, container):
    """The graph of the network on the operator's input, cast to the output dtype."""
    if container.target_opset_onnx < MIN_OPSET:
        raise ValueError(
            f"ONNX export of {type(operator.raw_operator).__name__} needs "
            f"target_opset >= {MIN_OPSET}; got {container.target_opset_onnx}."
        )
    input_type = operator.inputs[0].type
    dtype = np.float64 if isinstance(input_type, DoubleTensorType) else np.float32
    g = Graph(scope, container, dtype)
    X = operator.inputs[0].full_name
    if not isinstance(input_type, (FloatTensorType, DoubleTensorType)):
        to = TensorProto.DOUBLE if dtype == np.float64 else TensorProto.FLOAT
        X = g.op("Cast", X, to=to)
    saturate = _options(scope, operator.raw_operator)["saturate"]
    net = Network.from_fitted(operator.raw_operator)
    return g, forward(g, X, net, saturate=saturate)


def _convert_regressor(scope, operator, container):
    g, P = _network_output(scope, operator, container)
    g.op("Identity", P, out=operator.outputs[0].full_name)


def _convert_classifier(scope, operator, container):
    est = operator.raw_operator
    options = _options(scope, est)
    nocl = options["nocl"]
    g, P = _network_output(scope, operator, container)
    out = [v.full_name for v in operator.outputs]
    values, proto = labels(est, nocl)
    multilabel = is_multilabel(est)
    if not multilabel or options["output_class_labels"]:
        classes = g.const(values, "classes", dtype=values.dtype, proto=proto)
    if multilabel:
        # Each label on its own: the indicator matrix, as ToyNet's predict.
        proba = P
        label = g.op("Cast", g.op("Greater", P, g.const(0.5)), to=TensorProto.INT64)
    else:
        if len(est.classes_) == 1:  # the only class seen is certain, as ToyNet
            one = helper.make_tensor("value", PROTO[g.dtype], [1], [1.0])
            proba = g.op("ConstantOfShape", g.op("Shape", P), value=one)
            index = g.op("ArgMax", proba, axis=1, keepdims=0)
        elif est.n_outputs_ == 1:  # binary: one sigmoid unit for the second class
            proba = g.op("Concat", g.op("Sub", g.const(1.0), P), P, axis=1)
            index = g.op("Cast", g.op("Greater", P, g.const(0.5)), to=TensorProto.INT64)
            index = g.op("Reshape", index, g.const([-1], dtype=np.int64))
        else:
            proba = P
            index = g.op("ArgMax", P, axis=1, keepdims=0)
        label = g.op("Gather", classes, index, axis=0)
    g.op("Identity", label, out=out[0])
    zipmap = options["zipmap"]
    if zipmap is False:
        g.op("Identity", proba, out=out[1])
        if options["output_class_labels"]:
            g.op("Identity", classes, out=out[2])
    elif zipmap == "columns":
        for j, name in enumerate(out[1:]):
            g.op("Gather", proba, g.const(j, dtype=np.int64), axis=1, out=name)
    else:
        if g.dtype == np.float64:
            proba = g.op("Cast", proba, to=TensorProto.FLOAT)
        attribute, keys, _ = zipmap_keys(est, nocl)
        g.op("ZipMap", proba, out=out[1], domain="ai.onnx.ml", **{attribute: keys})


def register():
    """Register ToyNet's parsers, shape calculators and converters with skl2onnx.

    Done once when :mod:`sklearn_toynet.onnx` is imported; calling it again is
    harmless.
    """
    update_registered_converter(
        ToyNetClassifier,
        CLASSIFIER_ALIAS,
        _shape_classifier,
        _convert_classifier,
        parser=_parse_classifier,
        options=CLASSIFIER_OPTIONS,
    )
    update_registered_converter(
        ToyNetRegressor,
        REGRESSOR_ALIAS,
        _shape_regressor,
        _convert_regressor,
        parser=_parse_regressor,
        options=REGRESSOR_OPTIONS,
    )


register()


def to_onnx(model, X, *, dtype=np.float32, **kwargs):
    """Convert a fitted ToyNet estimator, or a pipeline holding one, to ONNX.

    A shortcut for ``skl2onnx.to_onnx(model, X[:1].astype(dtype), **kwargs)``
    that also casts the float columns of a pandas DataFrame.

    Parameters
    ----------
    model : estimator
        A fitted ToyNet estimator, or a fitted pipeline (or other scikit-learn
        composite that skl2onnx converts) holding one.
    X : array-like or pandas DataFrame
        Sample input (only its first row, its columns and their types are used).
        A DataFrame gives the ONNX model one input per column, named after it.
    dtype : {np.float32, np.float64}, default=np.float32
        Precision of the ONNX model's float inputs; the network computes in it.
    **kwargs
        Passed on to ``skl2onnx.to_onnx``: ``options`` (for a classifier
        ``{"zipmap": False}`` gives a plain probability matrix),
        ``target_opset``, ``final_types``...

    Returns
    -------
    onx : onnx.ModelProto
        The ONNX model.
    """
    if hasattr(X, "iloc") and hasattr(X, "dtypes"):  # a pandas DataFrame
        X = X.iloc[:1].copy()
        for column in X.columns:
            if getattr(X[column].dtype, "kind", "") == "f":
                X[column] = X[column].astype(dtype)
    else:
        X = np.asarray(X[:1])
        if np.issubdtype(X.dtype, np.floating):
            X = X.astype(dtype)
    return _skl2onnx_to_onnx(model, X, **kwargs)
