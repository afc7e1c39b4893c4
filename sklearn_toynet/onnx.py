"""Export fitted ToyNet estimators, and pipelines holding them, to ONNX.

Importing this module registers :class:`~sklearn_toynet.ToyNetClassifier`,
:class:`~sklearn_toynet.ToyNetRegressor` and the tabular pair
(:class:`~sklearn_toynet.ToyNetTabularClassifier`,
:class:`~sklearn_toynet.ToyNetTabularRegressor`, their table encoder
included: one input per DataFrame column, strings in) with skl2onnx (a
parser, a shape calculator and a converter each), so that skl2onnx's own call
converts a whole fitted pipeline::

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

from ._array_api import is_numpy
from ._base import fitted_network
from ._classifier import ToyNetClassifier
from ._onnx_graph import PROTO, Graph, check_supported, forward
from ._onnx_labels import column_names, labels, zipmap_keys
from ._onnx_tabular import encode, input_columns
from ._regressor import ToyNetRegressor
from ._tabular import TabularMixin, ToyNetTabularClassifier, ToyNetTabularRegressor

__all__ = ["input_feed", "to_onnx"]

CLASSIFIER_ALIAS = "SklearnToyNetClassifier"
REGRESSOR_ALIAS = "SklearnToyNetRegressor"
TABULAR_CLASSIFIER_ALIAS = "SklearnToyNetTabularClassifier"
TABULAR_REGRESSOR_ALIAS = "SklearnToyNetTabularRegressor"
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


def _input_type(inputs):
    """The type that sets the model's precision: a double input's, if any.

    A tabular estimator has one input per column; the drop-ins have one.
    """
    doubles = (v.type for v in inputs if isinstance(v.type, DoubleTensorType))
    return next(doubles, inputs[0].type)


# skl2onnx's type for each ONNX element type a label can have.
TENSOR_TYPES = {
    TensorProto.BOOL: BooleanTensorType,
    TensorProto.INT64: Int64TensorType,
    TensorProto.FLOAT: FloatTensorType,
    TensorProto.DOUBLE: DoubleTensorType,
    TensorProto.STRING: StringTensorType,
}


def is_multilabel(est):
    """One sigmoid per label (a binary target has one unit, multiclass a softmax)."""
    return est.out_activation_ == "logistic" and est.n_outputs_ > 1


def _label_set(est):
    """``(classes_, multilabel)`` of a fitted classifier, for ``_onnx_labels``."""
    return est.classes_, is_multilabel(est)


def _classifier_outputs(est, input_type, options, N=None):
    """``[(name, type), ...]`` of the classifier's outputs, in order."""
    ftype = _float_type(input_type)
    n_classes = len(est.classes_)
    ltype = TENSOR_TYPES[labels(*_label_set(est), options["nocl"])[1]]
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
        names = column_names(*_label_set(est), options["nocl"])
        return outputs + [(name, ftype([N])) for name in names]
    key_type = TENSOR_TYPES[zipmap_keys(*_label_set(est), options["nocl"])[2]]
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
    if not is_numpy(est.coefs_[0]):
        raise TypeError(
            f"This {type(est).__name__} holds its weights on another array "
            "library's device; ONNX export needs NumPy arrays: move it first with "
            "sklearn.utils._array_api.move_estimator_to(estimator, numpy, 'cpu')."
        )
    check_supported(fitted_network(est))
    return est


def _declare(scope, alias, est, inputs, outputs):
    if isinstance(est, TabularMixin):
        input_columns(est.encoder_, inputs)  # one input per column, or one for all
    elif len(inputs) != 1:
        raise ValueError(
            f"{type(est).__name__} takes one input tensor in ONNX, got {len(inputs)}: "
            "put the columns together first (a ColumnTransformer in a pipeline)."
        )
    operator = scope.declare_local_operator(alias, est)
    operator.inputs = list(inputs)
    for name, type_ in outputs:
        operator.outputs.append(scope.declare_local_variable(name, type_))
    return operator.outputs


def _classifier_parser(alias):
    def parse(scope, model, inputs, custom_parsers=None):
        outputs = _classifier_outputs(
            _checked(model), _input_type(inputs), _options(scope, model)
        )
        return _declare(scope, alias, model, inputs, outputs)

    return parse


def _regressor_parser(alias):
    def parse(scope, model, inputs, custom_parsers=None):
        out_type = _float_type(_input_type(inputs))
        outputs = [("variable", out_type([None, model.n_outputs_]))]
        return _declare(scope, alias, _checked(model), inputs, outputs)

    return parse


def _shape_classifier(operator):
    est, input_type = operator.raw_operator, _input_type(operator.inputs)
    N = operator.inputs[0].get_first_dimension()
    types = _classifier_outputs(est, input_type, _options(operator.scope_inst, est), N)
    for variable, (_, type_) in zip(operator.outputs, types):
        variable.type = type_


def _shape_regressor(operator):
    N = operator.inputs[0].get_first_dimension()
    out_type = _float_type(_input_type(operator.inputs))
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
    est = operator.raw_operator
    input_type = _input_type(operator.inputs)
    dtype = np.float64 if isinstance(input_type, DoubleTensorType) else np.float32
    g = Graph(scope, container, dtype)
    if isinstance(est, TabularMixin):  # the table encoder first
        names, kinds = input_columns(est.encoder_, operator.inputs)
        X = encode(g, names, kinds, est.encoder_)
    else:
        X = operator.inputs[0].full_name
        if not isinstance(input_type, (FloatTensorType, DoubleTensorType)):
            to = TensorProto.DOUBLE if dtype == np.float64 else TensorProto.FLOAT
            X = g.op("Cast", X, to=to)
    saturate = _options(scope, est)["saturate"]
    return g, forward(g, X, fitted_network(est), saturate=saturate)


def _convert_regressor(scope, operator, container):
    g, P = _network_output(scope, operator, container)
    coding = operator.raw_operator._target_coding
    if coding.center is not None:  # standardized targets, back in y's units
        P = g.op("Add", g.op("Mul", P, g.const(coding.scale)), g.const(coding.center))
    g.op("Identity", P, out=operator.outputs[0].full_name)


def _convert_classifier(scope, operator, container):
    est = operator.raw_operator
    options = _options(scope, est)
    nocl = options["nocl"]
    g, P = _network_output(scope, operator, container)
    out = [v.full_name for v in operator.outputs]
    values, proto = labels(*_label_set(est), nocl)
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
        attribute, keys, _ = zipmap_keys(*_label_set(est), nocl)
        g.op("ZipMap", proba, out=out[1], domain="ai.onnx.ml", **{attribute: keys})


def register():
    """Register ToyNet's parsers, shape calculators and converters with skl2onnx.

    Done once when :mod:`sklearn_toynet.onnx` is imported; calling it again is
    harmless.
    """
    for model, alias in [
        (ToyNetClassifier, CLASSIFIER_ALIAS),
        (ToyNetTabularClassifier, TABULAR_CLASSIFIER_ALIAS),
    ]:
        update_registered_converter(
            model,
            alias,
            _shape_classifier,
            _convert_classifier,
            parser=_classifier_parser(alias),
            options=CLASSIFIER_OPTIONS,
        )
    for model, alias in [
        (ToyNetRegressor, REGRESSOR_ALIAS),
        (ToyNetTabularRegressor, TABULAR_REGRESSOR_ALIAS),
    ]:
        update_registered_converter(
            model,
            alias,
            _shape_regressor,
            _convert_regressor,
            parser=_regressor_parser(alias),
            options=REGRESSOR_OPTIONS,
        )


register()


def to_onnx(model, X, *, dtype=np.float32, **kwargs):
    """Convert a fitted ToyNet estimator, or a pipeline holding one, to ONNX.

    A shortcut for ``skl2onnx.to_onnx(model, X[:1].astype(dtype), **kwargs)``
    that also types a pandas DataFrame's columns for ONNX: float columns as
    ``dtype``; category columns as their categories (strings as strings,
    numbers and booleans as ``dtype``), which skl2onnx cannot read; object
    and string columns as strings; pandas' nullable integer, float and boolean
    columns as ``dtype`` (missing values as NaN); other columns as skl2onnx
    reads them (int64, bool).
    :func:`input_feed` then feeds such a model a DataFrame.

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
    if _is_frame(X):
        X = X.iloc[:1].copy()
        for column in X.columns:
            X[column] = _onnx_column(X[column], dtype)
    else:
        X = np.asarray(X[:1])
        if np.issubdtype(X.dtype, np.floating):
            X = X.astype(dtype)
    return _skl2onnx_to_onnx(model, X, **kwargs)


def _is_frame(X):
    return hasattr(X, "iloc") and hasattr(X, "dtypes")  # a pandas DataFrame


def _onnx_column(column, dtype):
    """The sample rows of a DataFrame column, typed as its ONNX input will be.

    skl2onnx reads a column's type from its first value: a string column's
    missing values become the empty string, which it reads as text.
    """
    kind = getattr(column.dtype, "kind", "")
    if getattr(column.dtype, "name", "") == "category":
        if not all(isinstance(c, str) for c in column.cat.categories):
            return column.astype(object).astype(dtype)
        kind = "O"
    if kind == "O":  # object and pandas' string dtypes: text
        return column.astype(object).where(column.notna(), "")
    if kind == "f" or (
        kind in "iub" and not isinstance(column.dtype, np.dtype)  # nullable
    ):
        return column.astype(dtype)
    return column


def input_feed(onx, X):
    """The feed of an ONNX model converted from a DataFrame, for ONNX Runtime.

    Each column of ``X`` as its input expects it (shape ``(n_samples, 1)``,
    one input per column, found by name): float inputs take the column's
    numbers, missing values (None, NaN, ``pd.NA``) as NaN, booleans as 0 and
    1; string inputs take its values as text (``str(value)``), missing values
    as the empty string; int64 and bool inputs the values as they are. A
    model with a single input (converted from an array) takes ``X`` whole.

    Parameters
    ----------
    onx : onnx.ModelProto or onnxruntime.InferenceSession
        The converted model, or a session running it.
    X : pandas DataFrame or array-like
        The rows to predict, with the columns the model was converted with.

    Returns
    -------
    feed : dict
        ``{input name: array}``, for ``session.run(None, feed)``.
    """
    inputs = _input_types(onx)
    if len(inputs) == 1 and not (_is_frame(X) and inputs[0][0] in X.columns):
        ((name, element),) = inputs  # converted from an array: X whole
        return {name: np.asarray(X).astype(element)}
    feed = {}
    for name, element in inputs:
        column = X[name]
        if element is object:
            values = column.to_numpy(dtype=object, na_value="")
            if not all(type(v) is str for v in values):
                values = np.array([str(v) for v in values], dtype=object)
        elif element.kind == "f":
            values = column.to_numpy(dtype=element, na_value=np.nan)
        else:
            values = column.to_numpy(dtype=element)
        feed[name] = values.reshape(-1, 1)
    return feed


# The NumPy dtype of each ONNX element type an input can have.
NUMPY_TYPES = {
    TensorProto.FLOAT: np.dtype(np.float32),
    TensorProto.DOUBLE: np.dtype(np.float64),
    TensorProto.INT64: np.dtype(np.int64),
    TensorProto.INT32: np.dtype(np.int32),
    TensorProto.BOOL: np.dtype(np.bool_),
    TensorProto.STRING: object,
}


def _input_types(onx):
    """``[(name, NumPy dtype), ...]`` of a model's or a session's inputs."""
    if hasattr(onx, "get_inputs"):  # an onnxruntime session
        types = {
            "tensor(float)": TensorProto.FLOAT,
            "tensor(double)": TensorProto.DOUBLE,
            "tensor(int64)": TensorProto.INT64,
            "tensor(int32)": TensorProto.INT32,
            "tensor(bool)": TensorProto.BOOL,
            "tensor(string)": TensorProto.STRING,
        }
        inputs = [(i.name, types.get(i.type)) for i in onx.get_inputs()]
    else:
        inputs = [(i.name, i.type.tensor_type.elem_type) for i in onx.graph.input]
    for name, element in inputs:
        if element not in NUMPY_TYPES:
            raise ValueError(f"Input {name!r} has a type input_feed cannot fill.")
    return [(name, NUMPY_TYPES[element]) for name, element in inputs]
