"""The ONNX graph of a fitted TableEncoder: a table's columns to the network's input.

Used by :mod:`sklearn_toynet.onnx` for the tabular pair; needs only ``onnx``
and the encoder's fitted attributes. The graph computes what
:meth:`TableEncoder.encode` computes, in the same order and, like it, in
float64 whatever the model's precision (its output is then cast to the
graph's dtype, as ``encode`` writes into an array of that dtype):

- the numeric columns, as one block: with ``numeric_scaling="robust"``,
  ``(x - center) / scale``, missing (NaN) set to 0, then smoothly clipped,
  ``c u / sqrt(1 + u**2)`` with ``u = z / c`` capped before it is squared;
  with "quantile", missing set to ``center``, then each column's
  piecewise-linear map on its knots (``knots_``), every column at once on
  knots padded to one length; then the 0/1 missing-value indicators; then
  the bins (``numeric_bins``): the columns, missing set to ``center``, each
  repeated once per bin and mapped by the same piecewise-linear function, on
  each bin's two edges with scores 0 and 1;
- each categorical column: each row's row of the column's lookup table
  (``category_tables_``: the categories' rows, then missing, then unseen),
  gathered from the table.

How a column reaches the graph (its ONNX input type) decides how a category is
looked up: a string column through a LabelEncoder keyed by the categories'
text (``str(category)``), the empty string meaning missing unless it was a
category at fit; a numeric column (float, double, integer or bool) by
equality with the categories' values, NaN meaning missing.
"""

import numpy as np
from onnx import TensorProto, helper

from ._table_encoder import _CLIP_SATURATION

#: The ONNX input kinds a column can have, by skl2onnx type name.
KINDS = {
    "FloatTensorType": "float",
    "DoubleTensorType": "double",
    "Int64TensorType": "int",
    "Int32TensorType": "int",
    "BooleanTensorType": "bool",
    "StringTensorType": "string",
}


def input_kind(variable_type, what):
    """The kind ("float", "string"...) of an ONNX input, or a ValueError."""
    kind = KINDS.get(type(variable_type).__name__)
    if kind is None:
        raise ValueError(
            f"{what} has ONNX type {type(variable_type).__name__}; the tabular "
            f"estimators take {sorted(set(KINDS.values()))} inputs."
        )
    return kind


def input_columns(encoder, inputs):
    """``(names, kinds)``: the input variables' names and each column's kind.

    ``inputs`` are skl2onnx's variables: one per column (each of width 1), or
    one holding every column. One per column are taken by name when their
    names are the columns' seen at fit (in any order), else in order. Raises
    a ValueError naming a column that cannot be encoded from its input's type:
    strings for a numeric column, numbers for a categorical column with text
    categories, categories whose texts coincide.
    """
    n_columns = encoder.n_features_in_
    if len(inputs) == 1 and n_columns > 1:
        kinds = [input_kind(inputs[0].type, "The input")] * n_columns
    elif len(inputs) == n_columns:
        names = getattr(encoder, "feature_names_in_", None)
        by_name = {v.raw_name: v for v in inputs}
        if names is not None and set(by_name) == set(names):
            inputs = [by_name[name] for name in names]
        kinds = [
            input_kind(v.type, f"Input {v.raw_name!r} (column {j})")
            for j, v in enumerate(inputs)
        ]
    else:
        raise ValueError(
            f"The tabular estimator was fitted on {n_columns} columns: it takes "
            f"one ONNX input per column (a DataFrame's), or one input holding "
            f"them all; got {len(inputs)} inputs."
        )
    categorical = iter(encoder.categories_)
    for j, (kind, is_categorical) in enumerate(zip(kinds, encoder.is_categorical_)):
        label = _label(encoder, j)
        if not is_categorical:
            if kind == "string":
                raise ValueError(
                    f"{label} is numeric but its ONNX input holds strings: "
                    "declare it as a float tensor."
                )
            continue
        categories = next(categorical)
        if kind == "string":
            texts = [str(c) for c in categories]
            if len(set(texts)) < len(texts):
                raise ValueError(
                    f"{label} has categories with the same text "
                    f"({categories.tolist()}): as an ONNX string input they "
                    "cannot be told apart; declare it as a float tensor."
                )
        elif not all(_is_number(c) for c in categories):
            raise ValueError(
                f"{label} has categories that are not numbers "
                f"({categories.tolist()[:5]}...): its ONNX input must be a "
                "string tensor."
            )
    return [v.full_name for v in inputs], kinds


def _label(encoder, j):
    names = getattr(encoder, "feature_names_in_", None)
    return f"Column {names[j]!r}" if names is not None else f"Column {j}"


def _is_number(value):
    return isinstance(value, (bool, int, float, np.bool_, np.integer, np.floating))


class _Columns:
    """The input columns as graph variables: one input each, or one for all."""

    def __init__(self, g, names, kinds):
        self.g, self.names, self.kinds = g, names, kinds
        self.single = len(names) == 1 and len(kinds) > 1

    def column(self, j):
        """Column ``j`` as a ``[N, 1]`` variable of its input's type."""
        if not self.single:
            return self.names[j]
        index = self.g.const([j], dtype=np.int64)
        return self.g.op("Gather", self.names[0], index, axis=1)

    def block(self, columns, to):
        """``columns`` side by side, ``[N, len(columns)]``, cast to ``to``."""
        g = self.g
        if self.single:
            A = self.names[0]
            if len(columns) < len(self.kinds):
                A = g.op("Gather", A, g.const(columns, dtype=np.int64), axis=1)
            return g.op("Cast", A, to=to)
        parts = [g.op("Cast", self.names[j], to=to) for j in columns]
        return parts[0] if len(parts) == 1 else g.op("Concat", *parts, axis=1)


def _smooth_clip(g, Z, c):
    """``c u / sqrt(1 + u**2)``, ``u = z / c`` capped so that ``u**2`` is finite.

    In float64, as the encoder computes it: ``u`` is capped at 1e150, past
    which the result is ``+-c`` anyway. (In float32 the cap would have to be
    near 1e18, whose square float32 still holds; computing the encoding in
    float64 makes that unnecessary.)
    """
    cap = _CLIP_SATURATION
    U = g.op("Div", Z, g.const(c))
    U = g.op("Min", g.op("Max", U, g.const(-cap)), g.const(cap))
    root = g.op("Sqrt", g.op("Add", g.op("Mul", U, U), g.const(1.0)))
    return g.op("Div", g.op("Mul", U, g.const(c)), root)


def _numeric(g, columns, encoder, numeric, dtype):
    """The numeric block and its indicators, as :meth:`TableEncoder.encode`.

    Robust scaling: unclipped values are bounded by ``dtype``'s (the model's)
    largest, as the encoder bounds them by its output dtype's. Quantile
    scaling: missing values imputed at ``center_``, then each column's
    piecewise-linear map (:func:`_piecewise_linear`), whose values are within
    the knots' scores; ``numeric_clip`` does not apply.
    """
    A = columns.block(numeric, to=TensorProto.DOUBLE)
    missing = g.op("IsNaN", A)
    quantile = encoder.numeric_scaling == "quantile"
    sources = encoder.bin_sources()
    if quantile or sources.size:  # the numbers with a missing one at the median
        imputed = g.op("Where", missing, g.const(encoder.center_), A)
    if quantile:
        Z = _piecewise_linear(g, imputed, encoder.knots_)
    else:
        Z = _robust(g, A, missing, encoder, dtype)
    parts = [Z]
    indicators = np.flatnonzero(encoder.missing_indicators_)
    if indicators.size:
        flags = g.op("Gather", missing, g.const(indicators, dtype=np.int64), axis=1)
        parts.append(g.op("Cast", flags, to=TensorProto.DOUBLE))
    if sources.size:
        repeated = g.op("Gather", imputed, g.const(sources, dtype=np.int64), axis=1)
        parts.append(_piecewise_linear(g, repeated, encoder.bin_knots()))
    return parts


def _robust(g, A, missing, encoder, dtype):
    """``(A - center_) / scale_``, missing set to 0, then clipped."""
    Z = g.op("Div", g.op("Sub", A, g.const(encoder.center_)), g.const(encoder.scale_))
    Z = g.op("Where", missing, g.const(0.0), Z)
    if encoder.numeric_clip is None:
        largest = float(np.finfo(dtype).max)
        return g.op("Min", g.op("Max", Z, g.const(-largest)), g.const(largest))
    return _smooth_clip(g, Z, float(encoder.numeric_clip))


def _segment_tables(knots):
    """The knots of every column as tables of segments, a column each.

    Returns ``(thresholds, tables)``. Every column has the same number of
    segments (its knots padded by repeating the last, to one length for all
    columns); row ``j``, column ``c`` of each ``[n_segments, n_columns]``
    table in ``tables`` describes segment ``j`` of column ``c``: ``scale``
    (1, or 0.5 where the segment's length overflows: halved, the distance
    between huge knots of opposite signs fits), ``start`` (its first knot,
    times ``scale``), ``span`` (its length, times ``scale``; 1 for a zero
    length), ``below``, ``rise`` and ``above`` (the scores at its ends and
    their difference), each as the encoder's ``_piecewise_linear`` computes
    them. ``thresholds`` (``[2**d - 1, n_columns]``, the fewest rows that
    hold ``n_segments - 1``) are each column's interior knots, padded with
    +inf: the number of them that ``x`` is at or above is its segment.
    """
    n_columns = len(knots)
    width = max(max(xs.size for xs, _ in knots), 2)
    XS, YS = np.empty((width, n_columns)), np.empty((width, n_columns))
    size = 2 ** (width - 2).bit_length() - 1
    thresholds = np.full((size, n_columns), np.inf)
    for c, (xs, ys) in enumerate(knots):
        XS[: xs.size, c], XS[xs.size :, c] = xs, xs[-1]
        YS[: ys.size, c], YS[ys.size :, c] = ys, ys[-1]
        thresholds[: max(xs.size - 2, 0), c] = xs[1:-1]
    lo, hi = XS[:-1], XS[1:]
    with np.errstate(over="ignore"):
        scale = np.where(np.isfinite(hi - lo), 1.0, 0.5)
    start = lo * scale
    span = hi * scale - start
    span[span == 0.0] = 1.0
    below, above = YS[:-1], YS[1:]
    tables = {
        "scale": scale,
        "start": start,
        "span": span,
        "below": below,
        "rise": above - below,
        "above": above,
    }
    return thresholds, tables


def _count_at_or_above(g, X, thresholds):
    """``[N, C]`` int64: how many of column ``c``'s thresholds ``X[:, c]`` is >=.

    ``thresholds`` (``[2**d - 1, C]``) are sorted in each column, ``X``
    never NaN. A binary search of ``d`` steps, each on ``[N, C]`` arrays: the
    count ``k`` grows by ``2**i`` (largest first) where ``x`` is at or above
    the threshold ``k + 2**i`` (1-based) of its column. (Comparing with every
    threshold at once would hold ``[N, C, 2**d - 1]`` arrays.)
    """
    table = g.const(thresholds)
    step = (thresholds.shape[0] + 1) // 2
    # The first step's thresholds are the same for every row.
    at = g.const(thresholds[step - 1 : step])
    k = None
    while step:
        if k is not None:
            index = g.op("Add", k, g.const([[step - 1]], dtype=np.int64))
            at = g.op("GatherElements", table, index, axis=0)
        # x >= threshold: Not of Less, as GreaterOrEqual needs opset 12;
        # counted in int64 (ONNX Runtime's Where is slower).
        up = g.op("Cast", g.op("Not", g.op("Less", X, at)), to=TensorProto.INT64)
        up = g.op("Mul", up, g.const([[step]], dtype=np.int64))
        k = up if k is None else g.op("Add", k, up)
        step //= 2
    return k


def _piecewise_linear(g, A, knots):
    """Column ``c`` of ``A`` mapped by ``np.interp(A[:, c], *knots[c])``.

    As the encoder's ``_piecewise_linear``, operation for operation, in
    float64: ``x`` clamped to its column's first and last knots; its segment
    ``k``, the number of interior knots it is at or above; then ``t = (x -
    start) / span`` (scaled, see :func:`_segment_tables`) within ``[0, 1]``
    and ``min(below + t * rise, above)``, the segment's entries gathered for
    every row and column at once (GatherElements: ONNX Runtime's Gather is
    several times slower). A column of one knot has one segment of scores 0:
    it encodes as 0.
    """
    first = np.array([xs[0] for xs, _ in knots])
    last = np.array([xs[-1] for xs, _ in knots])
    X = g.op("Min", g.op("Max", A, g.const(first)), g.const(last))
    thresholds, tables = _segment_tables(knots)
    k = _count_at_or_above(g, X, thresholds) if thresholds.shape[0] else None

    def gathered(name):
        if k is None:  # one segment per column
            return g.const(tables[name])
        return g.op("GatherElements", g.const(tables[name]), k, axis=0)

    if (tables["scale"] != 1.0).any():
        X = g.op("Mul", X, gathered("scale"))
    T = g.op("Div", g.op("Sub", X, gathered("start")), gathered("span"))
    T = g.op("Min", g.op("Max", T, g.const(0.0)), g.const(1.0))
    Z = g.op("Add", gathered("below"), g.op("Mul", T, gathered("rise")))
    return g.op("Min", Z, gathered("above"))


def _category_rows(g, X, kind, categories):
    """Each row's row of a column's category table, as ``[N]`` int64.

    Rows ``0 .. n-1`` are the ``n`` categories, ``n`` (the table's row -2) a
    missing value, ``n + 1`` (row -1) a category unseen at fit.
    """
    n = len(categories)
    if kind == "string":
        keys = [str(c) for c in categories]
        values = list(range(n))
        if "" not in keys:  # the empty string stands for a missing value
            keys.append("")
            values.append(n)
        rows = g.op(
            "LabelEncoder",
            X,
            domain="ai.onnx.ml",
            op_version=2,  # skl2onnx writes ai.onnx.ml up to version 3
            keys_strings=keys,
            values_int64s=values,
            default_int64=n + 1,
        )
        return g.op("Reshape", rows, g.const([-1], dtype=np.int64))
    # Numbers: the first category equal to the value, else missing (NaN), else
    # unseen; compared in float32 for a float32 input (whose values are the
    # categories rounded to float32), else in float64.
    dtype = np.float32 if kind == "float" else np.float64
    proto = TensorProto.FLOAT if kind == "float" else TensorProto.DOUBLE
    x = X if kind in ("float", "double") else g.op("Cast", X, to=proto)
    values = np.array([float(c) for c in categories], dtype=dtype)
    flags = [g.op("Cast", g.op("IsNaN", x), to=TensorProto.FLOAT)]
    if n:
        equal = g.op("Equal", x, g.const(values.reshape(1, -1), dtype=dtype))
        flags.insert(0, g.op("Cast", equal, to=TensorProto.FLOAT))
    one = helper.make_tensor("value", TensorProto.FLOAT, [1], [1.0])
    flags.append(g.op("ConstantOfShape", g.op("Shape", x), value=one))  # unseen
    flags = g.op("Concat", *flags, axis=1)
    return g.op("ArgMax", flags, axis=1, keepdims=0)


def encode(g, names, kinds, encoder):
    """Append the encoder's graph after the input variables ``names``.

    ``names`` and ``kinds`` are :func:`input_columns`' answer. Computes in
    float64 and returns a ``[N, n_features_out_]`` variable of ``g.dtype``.
    """
    double = type(g)(g.scope, g.container, np.float64, g.cache)
    columns = _Columns(double, names, kinds)
    numeric = np.flatnonzero(~encoder.is_categorical_)
    parts = []
    if numeric.size:
        parts = _numeric(double, columns, encoder, numeric, g.dtype)
    for j, categories, table in zip(
        np.flatnonzero(encoder.is_categorical_),
        encoder.categories_,
        encoder.category_tables_,
    ):
        rows = _category_rows(double, columns.column(j), kinds[j], categories)
        parts.append(double.op("Gather", double.const(table), rows, axis=0))
    X = parts[0] if len(parts) == 1 else double.op("Concat", *parts, axis=1)
    if g.dtype != np.float64:
        X = g.op("Cast", X, to=TensorProto.FLOAT)
    return X
