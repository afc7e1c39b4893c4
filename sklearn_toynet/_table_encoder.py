"""A table (DataFrame or array) to one float array: the tabular pair's front.

:class:`TableEncoder` learns, from the training rows only, how to turn each
input column into output columns:

- a **numeric** column is centred at its median, divided by a robust spread
  and smoothly clipped (``z / sqrt(1 + (z / c)**2)``), or, with
  ``numeric_scaling="quantile"``, mapped through its training quantiles onto
  normal scores by a monotone piecewise-linear function; a missing value is
  imputed at the median, and, when the column had missing values at fit, an
  extra 0/1 column says which rows were missing;
- with ``numeric_bins``, a numeric column also becomes its **piecewise-linear
  encoding** (Gorishniy et al., 2022): its training quantiles cut its range
  into bins, and each bin gives a column that rises from 0 to 1 across it (0
  below, 1 above), so the network's first layer can learn any
  piecewise-linear function of the number, as a tree's thresholds would cut
  it;
- a **categorical** column becomes one 0/1 column per category seen at fit (a
  missing value counting as the category "missing" when it occurred), the
  rarest ones folded into one "infrequent" column past ``max_categories``; a
  two-category column without missing values becomes a single 0/1 column.

Every categorical column is encoded by one lookup table (a row per training
category, then one for a missing value and one for a category unseen at fit),
so the same numbers describe ``transform``, the feature names and an ONNX
export: see :meth:`TableEncoder.plan`.
"""

from collections import namedtuple
from numbers import Integral, Real

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.special import ndtri
from sklearn.base import BaseEstimator, TransformerMixin, _fit_context
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import (
    _check_feature_names_in,
    _check_sample_weight,
    check_is_fitted,
    validate_data,
)

#: One output column of :meth:`TableEncoder.plan`: ``kind`` is "numeric",
#: "missing_indicator", "bin", "one_hot", "binary", "missing" or "infrequent";
#: ``source`` the input column's index; ``category`` the category the column
#: marks ("one_hot", "binary"), the bin's number ("bin"), else None.
OutputColumn = namedtuple("OutputColumn", ["kind", "source", "category"])

# Rows of a category table after the training categories' rows.
MISSING_ROW, UNSEEN_ROW = -2, -1

# A spread this small relative to the column's magnitude is rounding noise.
_NEGLIGIBLE_SPREAD = 1e-12

# Up to this many rows, categories are looked up one by one, not factorized.
_FEW_ROWS = 16

# Beyond this, u / hypot(1, u) is exactly +-1 in float64 (and u**2 would overflow).
_CLIP_SATURATION = 1e150

#: Probability levels of a numeric column's quantile map (numeric_scaling="quantile"):
#: odd, so that 0.5 is one and the median a knot of score 0.
N_QUANTILES = 65

# The quantile map's levels are kept this far off 0 and 1 before their normal
# scores are taken, as QuantileTransformer's BOUNDS_THRESHOLD: scores within +-5.2.
_QUANTILE_BOUND = 1e-7

#: numeric_bins="auto": this many bins per numeric column, when the encoder is
#: fitted on at least AUTO_BINS_MIN_ROWS rows (of positive weight), else none.
#: On the development tables (the ablation's bins16 row: 16 bins everywhere)
#: they cost accuracy on most tables of up to 1,102 training rows (a bin needs
#: rows to place its ramp) and helped, or changed the error by at most 0.002,
#: from 1,450 rows up: the floor lies above the largest table they harmed.
AUTO_BINS, AUTO_BINS_MIN_ROWS = 16, 1500


class TableEncoder(TransformerMixin, BaseEstimator):
    """Encode a table's numeric and categorical columns as one float array.

    Fitted on the training rows only; ``transform`` then needs no special care
    from the user for missing values or categories unseen at fit.

    Parameters
    ----------
    categorical_features : "from_dtype", None or array-like, default="from_dtype"
        Which input columns are categorical (the others are numeric), as in
        :class:`~sklearn.ensemble.HistGradientBoostingClassifier`:

        - "from_dtype": a DataFrame's category, string/object and bool columns
          (other DataFrame libraries are converted to pandas first: polars'
          Categorical, Enum, String and Boolean likewise); an array's columns
          are all numeric;
        - None: every column is numeric (a column of strings is an error);
        - integer indices, column names (X must then be a DataFrame) or a
          boolean mask of shape (n_features,).

    max_categories : int >= 2 or None, default=32
        At most this many output columns per categorical column: past it, the
        most frequent ``max_categories - 1`` categories (missing counting as
        one; ties go to the earlier in sorted order) keep their own column and
        the rest share an "infrequent" column, which also takes categories
        unseen at fit. None keeps every category.

    numeric_scaling : {"robust", "quantile"}, default="robust"
        How a numeric column becomes an output column:

        - "robust": ``z = (x - center_) / scale_`` (median, interquartile
          range), smoothly clipped (see ``numeric_clip``);
        - "quantile": the column's training quantiles at ``N_QUANTILES`` (65)
          probability levels ``p`` mapped onto standard normal scores
          ``ndtri(p)`` (``p`` kept within ``[1e-7, 1 - 1e-7]``), linearly
          between them, constant beyond the training range (``knots_``): as
          scikit-learn's ``QuantileTransformer(output_distribution="normal")``
          at its quantiles (tied values aside: see ``knots_``), within about
          +-5.2. Skewed and heavy-tailed columns (counts, prices) come out
          evenly spread; a missing value encodes as the median's score (0
          unless the median is a tied value). ``numeric_clip`` does not
          apply.

    numeric_clip : float > 0 or None, default=3.0
        ``c`` of the smooth clipping ``z / sqrt(1 + (z / c)**2)`` of the
        scaled numeric values: about ``z`` near 0, never beyond ``c``. None
        turns clipping off. Only for ``numeric_scaling="robust"``.

    missing_indicators : bool, default=True
        Add a 0/1 column for each numeric column that had missing values
        (NaN, None, ``pd.NA``) at fit.

    numeric_bins : int >= 2, "auto" or None, default=None
        Add each numeric column's piecewise-linear encoding over this many
        bins: the column's training quantiles at ``linspace(0, 1,
        numeric_bins + 1)`` (tied ones merged, see ``bin_edges_``) bound the
        bins, and the bin ``[lo, hi]`` gives the column ``clip((x - lo) / (hi -
        lo), 0, 1)``, a missing value taken at the median ``center_``. "auto":
        16 bins when fitted on at least 1,500 rows (of positive weight), none
        below. None adds none.

    Attributes
    ----------
    n_features_in_ : int
        Number of input columns seen at fit.

    feature_names_in_ : ndarray of shape (n_features_in_,)
        Names of the input columns, when X is a DataFrame with string names.

    is_categorical_ : ndarray of bool, shape (n_features_in_,)
        Which input columns are categorical. Unlike HistGradientBoosting's,
        always an array (all False when no column is categorical).

    center_ : ndarray of float64, shape (n_numeric,)
        The training median of each numeric column, in input order: where a
        missing value is imputed, in either scaling.

    scale_ : ndarray of float64, shape (n_numeric,)
        The robust spread each numeric column is divided by: the
        interquartile range, or half the range when that is negligible
        (below 1e-12 of the column's largest magnitude), or 1 when that is
        negligible too (a constant column, which then encodes as 0). A
        column without any value at fit has center 0 and scale 1. Used by
        ``numeric_scaling="robust"`` only (fitted in either).

    knots_ : list of tuple of ndarray of float64
        With ``numeric_scaling="quantile"`` only: for each numeric column, in
        input order, ``(xs, ys)`` of its piecewise-linear map, the encoding of
        ``x`` being ``np.interp(x, xs, ys)``. ``xs``: the column's distinct
        training quantiles (linear interpolation, as :func:`numpy.quantile`,
        rows weighted by ``sample_weight``) at the levels
        ``linspace(0, 1, N_QUANTILES)``, strictly increasing, from the
        column's smallest to its largest training value; the median
        ``center_`` is one of them. ``ys``: the normal
        score ``ndtri(p)`` of each one's level ``p``; a value that is the
        quantile of several levels (tied training values) takes the middle
        of their first and last level, so that a column of mostly zeros
        encodes its zeros near 0, not at the low end (where
        QuantileTransformer puts values tied at the smallest). A column with one
        distinct value, or none at fit, has ``xs = [value or 0]``,
        ``ys = [0]``: it encodes as 0. Weights count as repeated rows, so
        their scale matters: weights summing to 1 put every quantile at the
        smallest value (one knot).

    missing_indicators_ : ndarray of bool, shape (n_numeric,)
        Which numeric columns have a missing-value indicator column.

    bin_edges_ : list of ndarray of float64
        For each numeric column, in input order, the edges of its bins: its
        distinct training quantiles (as ``knots_``' ``xs``, rows weighted by
        ``sample_weight``) at ``linspace(0, 1, n_bins + 1)``, strictly
        increasing; ``len(edges) - 1`` bins, so a column with one distinct
        value has none. Empty arrays when no bins are added.

    categories_ : list of ndarray of object
        For each categorical column (in input order), its categories seen in
        training rows, missing excluded: sorted, or in the dtype's order for a
        pandas category column.

    category_tables_ : list of ndarray of float64
        For each categorical column, its lookup table of shape
        ``(len(categories_[j]) + 2, width)``: row ``i`` encodes
        ``categories_[j][i]``, row -2 a missing value, row -1 a category
        unseen at fit. A one-hot column per kept category (missing included
        when seen), an "infrequent" column (see ``max_categories``); for a
        two-category column without missing values, one column: 0 for the
        first category, 1 for the second, 0.5 for missing or unseen.

    n_features_out_ : int
        Number of output columns.

    Notes
    -----
    Output columns, in order: the numeric columns' scaled values, their
    missing-value indicators, their bins (each column's in turn), then each
    categorical column's block. A
    missing value in a numeric column that had none at fit is imputed
    without an indicator. ``transform`` returns float64, or float32 when
    every input column is float32, unless ``dtype`` says otherwise.

    Examples
    --------
    >>> import pandas as pd
    >>> from sklearn_toynet._table_encoder import TableEncoder
    >>> X = pd.DataFrame({"age": [20.0, 35.0, None, 50.0],
    ...                   "city": ["Oslo", "Rome", "Oslo", None]})
    >>> encoder = TableEncoder().fit(X)
    >>> encoder.get_feature_names_out().tolist()
    ['age', 'age_missing', 'city_Oslo', 'city_Rome', 'city_missing']
    >>> encoder.transform(pd.DataFrame({"age": [35.0], "city": ["Paris"]}))
    array([[0., 0., 0., 0., 0.]])
    """

    _parameter_constraints = {
        "categorical_features": ["array-like", StrOptions({"from_dtype"}), None],
        "max_categories": [Interval(Integral, 2, None, closed="left"), None],
        "numeric_scaling": [StrOptions({"robust", "quantile"})],
        "numeric_clip": [Interval(Real, 0, None, closed="neither"), None],
        "missing_indicators": ["boolean"],
        "numeric_bins": [
            Interval(Integral, 2, None, closed="left"),
            StrOptions({"auto"}),
            None,
        ],
    }

    def __init__(
        self,
        categorical_features="from_dtype",
        max_categories=32,
        numeric_scaling="robust",
        numeric_clip=3.0,
        missing_indicators=True,
        numeric_bins=None,
    ):
        self.categorical_features = categorical_features
        self.max_categories = max_categories
        self.numeric_scaling = numeric_scaling
        self.numeric_clip = numeric_clip
        self.missing_indicators = missing_indicators
        self.numeric_bins = numeric_bins

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        tags.input_tags.categorical = True
        tags.input_tags.string = True
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        return tags

    # -- fit ---------------------------------------------------------------------
    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None, sample_weight=None):
        """Learn each column's kind, scale and categories from ``X``.

        Parameters
        ----------
        X : DataFrame or array-like of shape (n_samples, n_features)
            Training rows. Missing values: NaN, None or ``pd.NA``.

        y : None
            Ignored.

        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the rows in the medians, spreads, quantiles and
            category counts, as repeated rows would count; rows of weight 0
            count as absent.

        Returns
        -------
        self : TableEncoder
            The fitted encoder.
        """
        # Validation writes n_features_in_/feature_names_in_: adopt them, and
        # everything else, only when the whole fit succeeded.
        before = dict(self.__dict__)
        try:
            table = read_table(self, X, reset=True)
            if sample_weight is not None:
                sample_weight = _check_sample_weight(
                    sample_weight, np.empty((table.n_rows, 0)), ensure_non_negative=True
                )
            self.fit_table(table, sample_weight)
        except BaseException:
            self.__dict__.clear()
            self.__dict__.update(before)
            raise
        return self

    def fit_table(self, table, sample_weight=None):
        """Fit on a table that :func:`read_table` checked (its owner's columns).

        ``sample_weight`` (checked, one per row) weighs the rows as repeated
        rows would count: in the medians, spreads, quantiles and category
        counts; rows of weight 0 count as absent.
        """
        is_categorical = _categorical_mask(self.categorical_features, table)
        if sample_weight is not None:
            present = sample_weight > 0
            if not present.all():
                table = table.rows(present)
            sample_weight = np.asarray(sample_weight, dtype=np.float64)[present]
        numeric = np.flatnonzero(~is_categorical)
        A = table.numeric_block(numeric)
        center, scale = _robust_center_and_scale(A, sample_weight)
        knots = None
        if self.numeric_scaling == "quantile":
            knots = [_quantile_knots(a, sample_weight) for a in A.T]
        n_bins = self._n_bins(table.n_rows)
        edges = [_bin_edges(a, sample_weight, n_bins) for a in A.T]
        has_missing = np.isnan(A).any(axis=0)
        categories, tables = [], []
        for j in np.flatnonzero(is_categorical):
            levels, counts, n_missing = table.category_counts(j, sample_weight)
            levels, table_j = _category_table(
                levels, counts, n_missing, self.max_categories
            )
            categories.append(levels)
            tables.append(table_j)
        self.is_categorical_ = is_categorical
        self.center_ = center
        self.scale_ = scale
        if knots is None:
            vars(self).pop("knots_", None)  # from an earlier quantile fit
        else:
            self.knots_ = knots
        self.missing_indicators_ = has_missing & bool(self.missing_indicators)
        self.bin_edges_ = edges
        self.categories_ = categories
        self.category_tables_ = tables
        self.n_features_out_ = (
            numeric.size
            + int(self.missing_indicators_.sum())
            + self.bin_sources().size
            + sum(t.shape[1] for t in tables)
        )

    def _n_bins(self, n_rows):
        """Bins per numeric column for a fit on ``n_rows`` rows (0: none)."""
        if self.numeric_bins is None:
            return 0
        if self.numeric_bins == "auto":
            return AUTO_BINS if n_rows >= AUTO_BINS_MIN_ROWS else 0
        return int(self.numeric_bins)

    def bin_sources(self):
        """Each bin column's numeric column, as its position among the numeric ones."""
        sizes = [max(edges.size - 1, 0) for edges in self.bin_edges_]
        return np.repeat(np.arange(len(sizes)), sizes)

    def bin_knots(self):
        """Each bin column as a piecewise-linear map: ``(xs, ys)`` pairs.

        The bin ``[lo, hi]`` is the map of knots ``([lo, hi], [0, 1])``:
        constant beyond them, so the same function encodes it as a quantile
        map (:func:`_piecewise_linear`, and the ONNX graph's).
        """
        ramp = np.array([0.0, 1.0])
        return [
            (edges[k : k + 2], ramp)
            for edges in self.bin_edges_
            for k in range(edges.size - 1)
        ]

    # -- transform ---------------------------------------------------------------
    def transform(self, X, dtype=None):
        """Encode ``X`` as one C-contiguous float array without missing values.

        Parameters
        ----------
        X : DataFrame or array-like of shape (n_samples, n_features_in_)
            Rows with the columns seen at fit.

        dtype : float dtype or None, default=None
            The output's dtype; None: float32 when every input column is
            float32, else float64.

        Returns
        -------
        Xt : ndarray of shape (n_samples, n_features_out_)
            The encoded rows.
        """
        check_is_fitted(self)
        return self.encode(read_table(self, X, reset=False), dtype)

    def encode(self, table, dtype=None):
        """:meth:`transform` of a table :func:`read_table` checked."""
        if dtype is None:
            dtype = np.float32 if table.all_float32() else np.float64
        dtype = np.dtype(dtype)
        if dtype.kind != "f":
            raise ValueError(f"dtype must be a float dtype, got {dtype}.")
        numeric = np.flatnonzero(~self.is_categorical_)
        A = table.numeric_block(numeric)
        missing = np.isnan(A)
        n_numeric, n_indicators = numeric.size, int(self.missing_indicators_.sum())
        out = np.empty((table.n_rows, self.n_features_out_), dtype=dtype)
        out[:, :n_numeric] = self._scaled(A, missing, dtype)
        start = n_numeric + n_indicators
        out[:, n_numeric:start] = missing[:, self.missing_indicators_]
        sources = self.bin_sources()
        if sources.size:
            imputed = np.where(missing, self.center_, A)[:, sources]
            stop = start + sources.size
            out[:, start:stop] = _piecewise_linear(imputed, self.bin_knots())
            start = stop
        for j, categories, lookup in zip(
            np.flatnonzero(self.is_categorical_),
            self.categories_,
            self.category_tables_,
        ):
            stop = start + lookup.shape[1]
            out[:, start:stop] = lookup[table.category_rows(j, categories)]
            start = stop
        return out

    def _scaled(self, A, missing, dtype):
        """The numeric block scaled (robust or quantile), finite in ``dtype``."""
        if self.numeric_scaling == "quantile":
            return _piecewise_linear(np.where(missing, self.center_, A), self.knots_)
        # Robust scaling then smooth clipping.
        # Huge inputs may overflow to +-inf here: clipping maps them to +-c,
        # or, without clipping, to the dtype's largest value.
        with np.errstate(over="ignore"):
            Z = (A - self.center_) / self.scale_
            Z[missing] = 0.0
            if self.numeric_clip is None:
                largest = np.finfo(dtype).max
                return np.clip(Z, -largest, largest, out=Z)
            c = float(self.numeric_clip)
            U = np.clip(Z / c, -_CLIP_SATURATION, _CLIP_SATURATION)
            Z = c * U / np.hypot(1.0, U)
        largest = np.finfo(dtype).max
        return np.clip(Z, -largest, largest, out=Z)

    # -- what the output columns are ----------------------------------------------
    def plan(self):
        """The output columns in order, as :data:`OutputColumn` tuples.

        Returns
        -------
        columns : list of OutputColumn
            ``(kind, source, category)`` for each output column.
        """
        check_is_fitted(self)
        numeric = np.flatnonzero(~self.is_categorical_)
        columns = [OutputColumn("numeric", int(j), None) for j in numeric]
        columns += [
            OutputColumn("missing_indicator", int(j), None)
            for j in numeric[self.missing_indicators_]
        ]
        columns += [
            OutputColumn("bin", int(numeric[k]), b)
            for k, edges in enumerate(self.bin_edges_)
            for b in range(edges.size - 1)
        ]
        for j, categories, lookup in zip(
            np.flatnonzero(self.is_categorical_),
            self.categories_,
            self.category_tables_,
        ):
            columns += _block_plan(int(j), categories, lookup)
        return columns

    def get_feature_names_out(self, input_features=None):
        """Names of the output columns.

        ``name`` for a numeric column, ``name_missing`` for its indicator or a
        categorical column's missing category, ``name_bin0``, ``name_bin1``...
        for its bins, ``name_category`` for a category's column,
        ``name_infrequent`` for the infrequent column.

        Parameters
        ----------
        input_features : array-like of str or None, default=None
            Input column names; by default ``feature_names_in_``, else
            ``x0``, ``x1``...

        Returns
        -------
        feature_names_out : ndarray of str objects
            One name per output column.
        """
        check_is_fitted(self)
        names = _check_feature_names_in(self, input_features)
        suffix = {"numeric": None, "missing_indicator": "missing"}
        suffix.update(missing="missing", infrequent="infrequent")
        out = []
        for kind, source, category in self.plan():
            if kind == "bin":
                end = f"bin{category}"
            elif kind in ("one_hot", "binary"):
                end = str(category)
            else:
                end = suffix[kind]
            out.append(names[source] if end is None else f"{names[source]}_{end}")
        return np.asarray(out, dtype=object)


def _block_plan(source, categories, lookup):
    """The output columns of one categorical column, read from its table."""
    if lookup.shape[1] == 1 and lookup[UNSEEN_ROW, 0] == 0.5:
        return [OutputColumn("binary", source, categories[1])]
    columns = []
    for k in range(lookup.shape[1]):
        marked = np.flatnonzero(lookup[:-2, k])
        if lookup[UNSEEN_ROW, k]:
            columns.append(OutputColumn("infrequent", source, None))
        elif marked.size == 1 and not lookup[MISSING_ROW, k]:
            columns.append(OutputColumn("one_hot", source, categories[marked[0]]))
        else:
            columns.append(OutputColumn("missing", source, None))
    return columns


# -- fitting numbers -------------------------------------------------------------
def _quantiles(values, probabilities):
    """Linear-interpolation quantiles of sorted ``values`` (numpy's default).

    Written as a weighted mean of two neighbours so that no difference of
    huge values can overflow.
    """
    position = np.asarray(probabilities) * (values.size - 1)
    below = np.floor(position).astype(np.intp)
    above = np.minimum(below + 1, values.size - 1)
    fraction = position - below
    return values[below] * (1.0 - fraction) + values[above] * fraction


def _weighted_quantiles(values, weights, probabilities):
    """:func:`_quantiles` of sorted ``values`` each repeated ``weights`` times.

    Exact for integer weights (the quantiles of the repeated rows), and the
    same formula for any positive weights.
    """
    total = float(weights.sum())
    ends = np.cumsum(weights)  # the repeated rows of value i end before ends[i]
    position = np.maximum(np.asarray(probabilities) * (total - 1), 0.0)
    below = np.floor(position)
    above = np.minimum(below + 1, max(total - 1, 0.0))
    fraction = position - below
    last = values.size - 1
    at_below = np.minimum(np.searchsorted(ends, below, side="right"), last)
    at_above = np.minimum(np.searchsorted(ends, above, side="right"), last)
    return values[at_below] * (1.0 - fraction) + values[at_above] * fraction


def _robust_center_and_scale(A, sample_weight=None):
    """Per column of ``A`` (NaN missing): the (weighted) median and a robust spread."""
    center = np.zeros(A.shape[1])
    scale = np.ones(A.shape[1])
    for j in range(A.shape[1]):
        present = ~np.isnan(A[:, j])
        order = np.argsort(A[:, j][present], kind="stable")
        values = A[:, j][present][order]
        if values.size == 0:
            continue  # no value at fit: the raw value, smoothly clipped
        if sample_weight is None:
            q25, q50, q75 = _quantiles(values, [0.25, 0.5, 0.75])
        else:
            weights = sample_weight[present][order]
            q25, q50, q75 = _weighted_quantiles(values, weights, [0.25, 0.5, 0.75])
        negligible = _NEGLIGIBLE_SPREAD * max(-values[0], values[-1])
        with np.errstate(over="ignore"):
            spread = min(q75 - q25, np.finfo(np.float64).max)
        if spread <= negligible:
            spread = values[-1] / 2 - values[0] / 2
        center[j] = q50
        scale[j] = spread if spread > negligible else 1.0
    return center, scale


def _observed_quantiles(a, sample_weight, levels):
    """Column ``a``'s quantiles at ``levels`` (NaN missing), or None without values.

    Rows weighted by ``sample_weight`` as repeated rows; ordered and within
    the observed range.
    """
    present = ~np.isnan(a)
    order = np.argsort(a[present], kind="stable")
    values = a[present][order]
    if values.size == 0:
        return None
    # A weighted mean of two neighbours may round past them (or overflow
    # near the largest float): keep the quantiles ordered and in range.
    with np.errstate(over="ignore"):
        if sample_weight is None:
            Q = _quantiles(values, levels)
        else:
            Q = _weighted_quantiles(values, sample_weight[present][order], levels)
    return np.maximum.accumulate(np.clip(Q, values[0], values[-1]))


def _quantile_knots(a, sample_weight=None):
    """``(xs, ys)`` of the quantile map of one column ``a`` (NaN missing)."""
    levels = np.linspace(0.0, 1.0, N_QUANTILES)
    Q = _observed_quantiles(a, sample_weight, levels)
    if Q is None:
        return np.zeros(1), np.zeros(1)
    xs, first = np.unique(Q, return_index=True)
    last = np.append(first[1:], Q.size) - 1
    middle = (levels[first] + levels[last]) / 2
    ys = ndtri(np.clip(middle, _QUANTILE_BOUND, 1.0 - _QUANTILE_BOUND))
    if xs.size == 1:
        ys[:] = 0.0
    return xs, ys


def _bin_edges(a, sample_weight, n_bins):
    """The edges of column ``a``'s ``n_bins`` bins (NaN missing); none for 0.

    The distinct quantiles, as the quantile map's knots.
    """
    if n_bins == 0:
        return np.zeros(0)
    Q = _observed_quantiles(a, sample_weight, np.linspace(0.0, 1.0, n_bins + 1))
    return np.zeros(0) if Q is None else np.unique(Q)


def _piecewise_linear(A, knots):
    """Column ``k`` of ``A`` mapped by ``np.interp(A[:, k], *knots[k])``, safely.

    ``knots[k] = (xs, ys)`` with ``xs`` strictly increasing. Constant beyond
    the ends; monotone in each column where ``ys`` is; no overflow for any
    finite input, even between knots of opposite signs near the largest float.
    """
    n_rows, n_columns = A.shape
    sizes = np.array([xs.size for xs, _ in knots], dtype=np.intp)
    # The knots as two tables, a row per column, padded by repeating the last.
    width = max(int(sizes.max(initial=0)), 2)
    XS, YS = np.empty((n_columns, width)), np.empty((n_columns, width))
    for k, (xs, ys) in enumerate(knots):
        XS[k, : xs.size], XS[k, xs.size :] = xs, xs[-1]
        YS[k, : ys.size], YS[k, ys.size :] = ys, ys[-1]
    columns = np.arange(n_columns)
    X = np.clip(A, XS[:, 0], XS[columns, sizes - 1])
    J = np.empty((n_rows, n_columns), dtype=np.intp)
    for k, (xs, _) in enumerate(knots):
        J[:, k] = np.searchsorted(xs, X[:, k], side="right")
    # The segment [XS[J], XS[J + 1]] holding x (of zero length for one knot).
    J = np.clip(J - 1, 0, np.maximum(sizes - 2, 0))
    lo, hi = XS[columns, J], XS[columns, J + 1]
    with np.errstate(over="ignore"):
        overflows = not np.isfinite(XS[:, -1] - XS[:, 0]).all()
        if overflows:
            # Halved, the distances between huge knots of opposite signs fit.
            s = np.where(np.isfinite(hi - lo), 1.0, 0.5)
            X, lo, hi = X * s, lo * s, hi * s
    span = hi - lo
    span[span == 0.0] = 1.0
    t = np.clip((X - lo) / span, 0.0, 1.0)
    below, above = YS[columns, J], YS[columns, J + 1]
    # Capped at the next knot's score: exactly monotone across knots.
    return np.minimum(below + t * (above - below), above)


def _sorted_levels(levels):
    """Categories in sorted order; mixed types by type name, then text."""
    try:
        return sorted(levels)
    except TypeError:
        return sorted(levels, key=lambda level: (type(level).__name__, str(level)))


def _category_table(levels, counts, n_missing, max_categories):
    """``(categories, lookup table)`` of one categorical column.

    ``levels`` are the training categories in output order with their row
    ``counts``; ``n_missing`` the training rows with a missing value.
    """
    categories = np.empty(len(levels), dtype=object)
    categories[:] = levels
    n_levels = len(levels)
    if n_levels == 2 and n_missing == 0:
        lookup = np.array([[0.0], [1.0], [0.5], [0.5]])
        return categories, lookup
    # Entries: the categories, then missing as one more when it occurred.
    counts = list(counts) + ([n_missing] if n_missing else [])
    n_entries = len(counts)
    kept = np.ones(n_entries, dtype=bool)
    if max_categories is not None and n_entries > max_categories:
        # Most frequent first, ties by output order (a stable sort).
        order = np.argsort(-np.asarray(counts), kind="stable")
        kept[:] = False
        kept[order[: max_categories - 1]] = True
    width = int(kept.sum()) + (0 if kept.all() else 1)
    column = np.full(n_entries, width - 1)  # the infrequent column, if any
    column[kept] = np.arange(kept.sum())
    lookup = np.zeros((n_levels + 2, width))
    lookup[np.arange(n_levels), column[:n_levels]] = 1.0
    if n_missing:
        lookup[MISSING_ROW, column[-1]] = 1.0
    if not kept.all():
        lookup[UNSEEN_ROW, width - 1] = 1.0
        if not n_missing:
            lookup[MISSING_ROW, width - 1] = 1.0
    return categories, lookup


def _categorical_mask(categorical_features, table):
    """The boolean mask of categorical columns, as HistGradientBoosting reads it."""
    n_features = table.n_columns
    if categorical_features is None:
        return np.zeros(n_features, dtype=bool)
    if isinstance(categorical_features, str) and categorical_features == "from_dtype":
        return table.categorical_from_dtype()
    features = np.asarray(categorical_features)
    if features.size == 0:
        return np.zeros(n_features, dtype=bool)
    if features.dtype.kind == "O" and {type(f) for f in features.ravel()} != {str}:
        kinds = sorted({type(f).__name__ for f in features.ravel()})
        raise ValueError(
            "categorical_features must be an array-like of bool, int or str, "
            f"got: {', '.join(kinds)}."
        )
    if features.dtype.kind not in "iubUO" or features.ndim != 1:
        raise ValueError(
            "categorical_features must be a 1-d array-like of bool, int or "
            f"str, got: {features.dtype.name} of shape {features.shape}."
        )
    mask = np.zeros(n_features, dtype=bool)
    if features.dtype.kind in "UO":
        if table.names is None:
            raise ValueError(
                "categorical_features should be passed as an array of integers "
                "or as a boolean mask when the model is fitted on data without "
                "feature names."
            )
        names = list(table.names)
        for name in features:
            if name not in names:
                raise ValueError(
                    f"categorical_features has an item value '{name}' which is "
                    "not a valid feature name of the training data. Observed "
                    f"feature names: {names}"
                )
            mask[names.index(name)] = True
    elif features.dtype.kind in "iu":
        if features.max() >= n_features or features.min() < 0:
            raise ValueError(
                "categorical_features set as integer indices must be in "
                f"[0, n_features - 1] = [0, {n_features - 1}], got: "
                f"{features.tolist()}."
            )
        mask[features] = True
    else:
        if features.shape[0] != n_features:
            raise ValueError(
                "categorical_features set as a boolean mask must have shape "
                f"(n_features,) = ({n_features},), got: {features.shape}"
            )
        mask[:] = features
    return mask


# -- reading the input -------------------------------------------------------------
def _is_missing(value):
    return value is None or value is pd.NA or (value != value)


def _total(count):
    """A count of rows (an int) or of weight (a float), as a Python number."""
    total = np.sum(count)
    return (
        int(total)
        if np.issubdtype(np.asarray(total).dtype, np.integer)
        else float(total)
    )


def read_table(owner, X, reset):
    """``X`` checked as scikit-learn checks an estimator's input, as a table.

    The checks (columns, names; ``reset`` records them) are ``owner``'s:
    the encoder's own, or a tabular estimator's, whose messages then name it.
    """
    return _Table.validated(owner, X, reset)


class _Table:
    """The input's columns, read the same way at fit and at transform.

    Holds a pandas DataFrame (other DataFrame libraries converted) or a 2-d
    ndarray; ``names`` are its string column names, else None.
    """

    def __init__(self, data, names):
        self.data = data
        self.names = names
        self.is_frame = isinstance(data, pd.DataFrame)
        self.n_rows, self.n_columns = data.shape
        # One pass over a DataFrame's columns: pandas' per-column access is
        # what a small batch's transform spends most of its time on.
        self.columns = [column for _, column in data.items()] if self.is_frame else None

    @classmethod
    def validated(cls, owner, X, reset):
        """Check ``X`` as scikit-learn does (shape, names) and wrap it.

        ``owner`` (see :func:`read_table`) is the estimator whose input it is:
        ``validate_data`` records the fitted columns on it, and messages name it.
        """
        if sp.issparse(X):
            raise TypeError(
                f"{type(owner).__name__} does not accept sparse input: pass "
                "a DataFrame or a dense array (X.toarray())."
            )
        if not isinstance(X, pd.DataFrame) and _is_other_frame(X):
            import narwhals as nw

            X = nw.from_native(X, eager_only=True).to_pandas()
        if isinstance(X, pd.DataFrame):
            validate_data(owner, X, reset=reset, skip_check_array=True)
            # check_array's messages for an empty table.
            for what, n in (("sample", X.shape[0]), ("feature", X.shape[1])):
                if n < 1:
                    raise ValueError(
                        f"Found array with {n} {what}(s) (shape={X.shape}) while "
                        f"a minimum of 1 is required by {type(owner).__name__}."
                    )
            names = X.columns if all(isinstance(c, str) for c in X.columns) else None
            return cls(X, None if names is None else np.asarray(names, dtype=object))
        X = validate_data(owner, X, reset=reset, dtype=None, ensure_all_finite=False)
        if X.dtype.kind in "US":
            X = X.astype(object)
        elif X.dtype.kind not in "fiubO":
            raise ValueError(f"Unsupported array dtype for X: {X.dtype}.")
        return cls(X, None)

    def column(self, j):
        return self.columns[j] if self.is_frame else self.data[:, j]

    def label(self, j):
        """How an error message names column ``j``."""
        if self.is_frame:
            return f"column {self.data.columns[j]!r} (index {j})"
        return f"column {j}"

    def all_float32(self):
        if self.is_frame:
            return all(dtype == np.float32 for dtype in self.data.dtypes)
        return self.data.dtype == np.float32

    def categorical_from_dtype(self):
        if not self.is_frame:
            return np.zeros(self.n_columns, dtype=bool)
        mask = np.zeros(self.n_columns, dtype=bool)
        for j, dtype in enumerate(self.data.dtypes):
            if _is_categorical_dtype(dtype):
                mask[j] = True
            elif not _is_number_dtype(dtype):
                raise TypeError(
                    f"{self.label(j)} has dtype {dtype}, which is neither "
                    "numeric nor categorical: convert it to numbers or to a "
                    "category dtype first."
                )
        return mask

    # -- numeric columns
    def numeric_block(self, columns):
        """The numeric ``columns`` as float64, NaN where missing, no inf."""
        if not self.is_frame and self.data.dtype.kind in "fiub":
            A = self.data[:, columns].astype(np.float64)
        else:
            A = np.empty((self.n_rows, len(columns)))
            for k, j in enumerate(columns):
                A[:, k] = self._numeric_column(j)
        infinite = np.isinf(A).any(axis=0)
        if infinite.any():
            j = columns[np.flatnonzero(infinite)[0]]
            raise ValueError(
                f"Input {self.label(j)} contains infinity: a numeric column "
                "takes finite values, or missing ones (NaN, None, pd.NA)."
            )
        return A

    def _numeric_column(self, j):
        column = self.column(j)
        if self.is_frame and _is_string_dtype(column.dtype):
            raise ValueError(
                f"Input {self.label(j)} holds strings but is numeric: mark it "
                "categorical (categorical_features) or convert it to numbers."
            )
        values = column.to_numpy() if self.is_frame else column
        if values.dtype.kind == "O":
            if any(isinstance(v, (str, bytes)) for v in values):
                raise ValueError(
                    f"Input {self.label(j)} holds strings but is numeric: mark "
                    "it categorical (categorical_features) or convert it to "
                    "numbers."
                )
            values = np.array(
                [np.nan if _is_missing(v) else v for v in values], dtype=np.float64
            )
        elif self.is_frame:
            try:
                values = column.to_numpy(dtype=np.float64, na_value=np.nan)
            except (TypeError, ValueError) as error:
                raise ValueError(
                    f"Input {self.label(j)} is numeric but its values are not "
                    f"numbers ({error}): mark it categorical "
                    "(categorical_features) or convert it to numbers."
                ) from error
        return values

    # -- categorical columns
    def rows(self, index):
        """The table of the rows ``index`` (a boolean mask or row numbers) only."""
        data = self.data.iloc[index] if self.is_frame else self.data[index]
        return type(self)(data, self.names)

    def category_counts(self, j, sample_weight=None):
        """``(levels, counts, n_missing)`` of column ``j``'s training rows.

        Counts are row counts, or the rows' summed ``sample_weight``.
        """
        column = self.column(j)
        if self.is_frame and isinstance(column.dtype, pd.CategoricalDtype):
            codes = column.array.codes
            known = codes >= 0
            weights = None if sample_weight is None else sample_weight[known]
            counts = np.bincount(
                codes[known], weights, minlength=len(column.cat.categories)
            )
            seen = counts > 0
            levels = column.cat.categories[seen].tolist()
            n_missing = (~known).sum() if weights is None else sample_weight[~known]
            return levels, counts[seen], _total(n_missing)
        series = column if self.is_frame else pd.Series(column, dtype=object)
        if sample_weight is None:
            tally = series.value_counts(dropna=True)
            n_missing = int(series.isna().sum())
        else:
            missing = series.isna().to_numpy()
            tally = (
                pd.Series(sample_weight[~missing])
                .groupby(series[~missing].to_numpy())
                .sum()
            )
            n_missing = _total(sample_weight[missing])
        levels = _sorted_levels(tally.index.tolist())
        counts = [tally[level] for level in levels] if levels else []
        return levels, counts, n_missing

    def category_rows(self, j, categories):
        """Each row's row of column ``j``'s category table."""
        column = self.column(j)
        row_of = {level: i for i, level in enumerate(categories)}
        if self.is_frame and isinstance(column.dtype, pd.CategoricalDtype):
            # Look the dtype's categories up once, then index by the codes.
            via = [row_of.get(level, UNSEEN_ROW) for level in column.cat.categories]
            via = np.array(via + [MISSING_ROW], dtype=np.intp)
            return via[column.array.codes]
        if self.n_rows <= _FEW_ROWS:
            return np.array(
                [
                    MISSING_ROW if _is_missing(v) else row_of.get(v, UNSEEN_ROW)
                    for v in column.tolist()
                ],
                dtype=np.intp,
            )
        codes, uniques = pd.factorize(column, use_na_sentinel=True)
        via = [row_of.get(level, UNSEEN_ROW) for level in uniques]
        via = np.array(via + [MISSING_ROW], dtype=np.intp)
        return via[codes]


def _is_other_frame(X):
    """Whether ``X`` is a non-pandas DataFrame that narwhals reads (polars...)."""
    try:
        import narwhals as nw
    except ImportError:  # pragma: no cover - scikit-learn depends on narwhals
        return False
    return nw.dependencies.is_into_dataframe(X)


def _is_categorical_dtype(dtype):
    return (
        isinstance(dtype, pd.CategoricalDtype)
        or pd.api.types.is_bool_dtype(dtype)
        or _is_string_dtype(dtype)
    )


def _is_string_dtype(dtype):
    """object, pandas' string dtypes and pyarrow-backed strings."""
    return pd.api.types.is_string_dtype(dtype)


def _is_number_dtype(dtype):
    return pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_complex_dtype(
        dtype
    )
