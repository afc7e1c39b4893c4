"""ToyNetTabularClassifier and ToyNetTabularRegressor: the drop-ins, for tables.

The same estimators, network, loop and optimizers as ToyNetClassifier and
ToyNetRegressor, with two differences only:

- **a table encoder in front** (``_table_encoder.TableEncoder``, fitted on the
  first call's rows and kept as ``encoder_``): a DataFrame of numbers,
  categories, strings, booleans and gaps becomes one float array before the
  network sees it, at fit and at prediction alike;
- **defaults for tables**, each chosen by the ablation on the Tables page of
  the docs (``benchmarks/suite_tabular.py``): numbers mapped through their
  quantiles, standardized regression targets, a cosine learning-rate
  schedule over 40 epochs and best-epoch selection on a held-out fifth of
  the rows.
"""

from numbers import Integral, Real

import numpy as np
from sklearn import get_config
from sklearn.base import is_regressor
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_X_y

from ._array_api import is_numpy, to_device_of, to_numpy
from ._classifier import CLASSES, ToyNetClassifier
from ._classifier import OWN_PARAMETERS as CLASSIFIER_PARAMETERS
from ._params import PARAMETERS, entries, with_default, with_parameters
from ._regressor import OWN_PARAMETERS as REGRESSOR_PARAMETERS
from ._regressor import ToyNetRegressor
from ._table_encoder import TableEncoder, read_table
from ._targets import RegressionTargets
from ._validation import MIN_VALIDATION_ROWS, can_hold_out, checked_sample_weight

ENCODER_PARAMETERS = entries(
    """
categorical_features : 'from_dtype', array-like of int, str or bool, or None, \
default='from_dtype'
    Which columns are categories, as HistGradientBoosting's: "from_dtype"
    takes a DataFrame's category, string, object and boolean columns (an
    array's columns are then all numbers); indices, column names or a boolean
    mask name them; None makes every column a number. Each category seen in
    training gets a one-hot column (two categories one 0/1 column); missing
    values are a category of their own; categories first met at prediction
    time get no column of their own.

max_categories : int or None, default=32
    The most one-hot columns a categorical feature gets: its most frequent
    ``max_categories - 1`` categories keep theirs, the rest (and categories
    unseen in training) share one "infrequent" column. None keeps every
    category.

numeric_scaling : {'quantile', 'robust'}, default='quantile'
    How numbers are scaled, on the training rows: "quantile" maps them through
    their training quantiles onto normal scores (a monotone piecewise-linear
    map, within +-5.2), which straightens skewed columns such as counts and
    prices; "robust" centres them on their median and divides by their
    interquartile range, then clips softly (``numeric_clip``).

numeric_clip : float or None, default=3.0
    With ``numeric_scaling="robust"``, numbers centred on their training
    median and divided by their interquartile range are softly clipped,
    ``x / sqrt(1 + (x / c)**2)``
    with ``c = numeric_clip``: outliers and values beyond the training range
    stay within ``+-c``. None turns the clipping off. A missing number becomes
    the median, with a 0/1 indicator column for a feature that had gaps in
    training.

numeric_bins : 'auto', int or None, default='auto'
    Besides its scaled value, each number gets a piecewise-linear encoding:
    its training quantiles cut its range into ``numeric_bins`` bins, and each
    bin becomes a column that rises from 0 to 1 across the bin (0 below it, 1
    above), from which the first layer can build any piecewise-linear
    function of the number, thresholds as a tree's included. "auto": 16 bins
    when fitted on at least 1,500 rows, none below (on the development
    tables bins helped on the larger tables and hurt on most of the smaller
    ones). None turns them off.
"""
)

_WHY = "The tabular default ({mlp}'s is {was!r}): {why}"


def _retuned(name, default, why):
    was = PARAMETERS[name].default
    return with_default(name, default, _WHY.format(mlp="{mlp}", was=was, why=why))


#: The parameters whose tabular default differs from MLP's, with the reason.
TABULAR_DEFAULTS = {
    "hidden_layer_sizes": _retuned(
        "hidden_layer_sizes",
        (128, 128),
        "two layers of 128: on the development tables (256, 256) was no more "
        "accurate and took several times as long.",
    ),
    "alpha": _retuned(
        "alpha", 0.0, "``weight_decay`` regularizes instead, decoupled from Adam."
    ),
    "learning_rate": _retuned(
        "learning_rate",
        "cosine",
        "large steps first, then ever smaller ones, over ``max_iter`` epochs.",
    ),
    "learning_rate_init": _retuned(
        "learning_rate_init",
        0.003,
        "the cosine schedule's peak; it decays from there.",
    ),
    "max_iter": _retuned(
        "max_iter",
        40,
        "the cosine schedule's length, in epochs: on the development tables the "
        "best epoch came early, and 40 were as accurate as 60 or 100, in less "
        "time.",
    ),
    "tol": _retuned(
        "tol",
        None,
        "the schedule runs all ``max_iter`` epochs, and early stopping keeps "
        "the best one.",
    ),
    "early_stopping": _retuned(
        "early_stopping",
        "auto",
        "best-epoch selection: the weights of the epoch with the best "
        'validation score are the ones kept. "auto" (HistGradientBoosting\'s '
        "word) holds out ``validation_fraction`` of the rows when that makes at "
        f"least {MIN_VALIDATION_ROWS} rows (stratified: every class on both sides), "
        "and trains on all of them otherwise; True always holds out.",
    ),
    "validation_fraction": _retuned(
        "validation_fraction",
        0.2,
        "a fifth of the rows (stratified by class) choose the best epoch.",
    ),
    "weight_decay": _retuned(
        "weight_decay", 0.0, "the ablation found no gain from decay here."
    ),
    "scoring": _retuned(
        "scoring",
        "loss",
        "the validation loss, smoother than accuracy or R^2 on small sets.",
    ),
}


def _tabular_parameters(own):
    """The drop-in's parameter list, with the tabular defaults and the encoder's."""
    names = [name for name in PARAMETERS if name not in ("hidden_layer_sizes",)]
    listed = [TABULAR_DEFAULTS.get(name, name) for name in names]
    return [
        TABULAR_DEFAULTS["hidden_layer_sizes"],
        "*",
        *own,
        *listed,
        *ENCODER_PARAMETERS.values(),
    ]


ENCODER = entries(
    """
encoder_ : TableEncoder
    The table encoder fitted on the first call's rows: what each input column
    became (``encoder_.plan()``, ``encoder_.get_feature_names_out()``).
"""
)["encoder_"]


class TabularMixin:
    """The tabular pair's front: every input goes through the fitted encoder.

    ``_checked_input`` replaces the drop-ins' ``validate_data`` for fit,
    prediction and a given validation set alike: the table's columns are
    checked against the estimator (``n_features_in_``, ``feature_names_in_``
    describe the table, as the user gave it), then encoded. The network and
    everything below see only the encoded float array.
    """

    _tabular_constraints: dict = {
        "early_stopping": ["boolean", StrOptions({"auto"})],
        "categorical_features": ["array-like", StrOptions({"from_dtype"}), None],
        "max_categories": [Interval(Integral, 2, None, closed="left"), None],
        "numeric_scaling": [StrOptions({"robust", "quantile"})],
        "numeric_clip": [Interval(Real, 0, None, closed="neither"), None],
        "numeric_bins": [
            Interval(Integral, 2, None, closed="left"),
            StrOptions({"auto"}),
            None,
        ],
    }

    def _checked_input(self, X, y="no_validation", *, reset=False, sample_weight=None):
        if not reset and vars(self).get("encoder_", False) is None:
            # A scoring view (see ``_scoring_view``): rows already encoded.
            return super()._checked_input(X, y, reset=reset)
        device_array = None
        if get_config()["array_api_dispatch"] and not is_numpy(X):
            # Another array library's numbers under array API dispatch: encoded
            # on the host, then moved back to the array's device, where the
            # network trains. (Without dispatch they become NumPy's, as
            # scikit-learn converts any array-like.)
            device_array, X = X, to_numpy(X)
        table = read_table(self, X, reset=reset)
        if reset:
            encoder = TableEncoder(
                categorical_features=self.categorical_features,
                max_categories=self.max_categories,
                numeric_scaling=self.numeric_scaling,
                numeric_clip=self.numeric_clip,
                numeric_bins=self.numeric_bins,
            )
            if sample_weight is not None:  # checked as the fit checks it later
                sample_weight = checked_sample_weight(
                    sample_weight, np.empty((table.n_rows, 0))
                )
            encoder.fit_table(table, sample_weight)
            # The encoder alone (in a Pipeline) checks the columns it was fit on.
            encoder.n_features_in_ = self.n_features_in_
            if hasattr(self, "feature_names_in_"):
                encoder.feature_names_in_ = self.feature_names_in_
            self.encoder_ = encoder
        X = self.encoder_.encode(table)
        if device_array is not None:
            X = to_device_of(X, device_array)
        if isinstance(y, str) and y == "no_validation":
            return X
        if device_array is not None:
            return X, y  # the drop-ins' plain path checks y on the host
        return check_X_y(
            X, y, multi_output=True, y_numeric=is_regressor(self), dtype=None
        )

    def _holds_out_validation(self, data, targets, given):
        if self.early_stopping != "auto":
            return super()._holds_out_validation(data, targets, given)
        # "auto": a given set, or a split worth scoring (see ``can_hold_out``).
        return given is not None or can_hold_out(
            data, targets, self.validation_fraction
        )

    def _check_solver_options(self, incremental):
        # partial_fit trains one epoch on the rows it is given: there is no best
        # epoch to choose, so early stopping (on by default here) does not apply.
        super()._check_solver_options(incremental=False)

    def _fast_input(self, X):
        # Every input is a table to encode: no shortcut around the encoder.
        return None

    def _scoring_view(self, state):
        view = super()._scoring_view(state)
        # The validation rows it scores are encoded already.
        vars(view)["encoder_"] = None
        vars(view)["n_features_in_"] = state.coefs_[0].shape[0]
        return view

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = False
        tags.input_tags.allow_nan = True
        tags.input_tags.categorical = True
        tags.input_tags.string = True
        return tags


@with_parameters(
    *_tabular_parameters([CLASSIFIER_PARAMETERS["loss"]]),
    CLASSIFIER_PARAMETERS["class_weight"],
    CLASSIFIER_PARAMETERS["label_smoothing"],
    attributes=[CLASSES, ENCODER],
)
class ToyNetTabularClassifier(TabularMixin, ToyNetClassifier):
    """A neural network classifier for tables, straight from a DataFrame.

    :class:`ToyNetClassifier` with a table encoder in front and defaults tuned
    on real tables: numbers mapped through their training quantiles onto
    normal scores, categories one-hot encoded, gaps filled and flagged, then a
    (128, 128) network trained by Adam on a cosine schedule over 40 epochs,
    keeping the epoch with the best validation loss on a held-out fifth of the
    rows (see the Tables page of the documentation). Takes a pandas DataFrame
    with numeric, category, string and boolean columns and missing values, or
    a numeric array; categories and gaps first seen at prediction time need no
    care.

    Parameters
    ----------
    {parameters}

    Attributes
    ----------
    {attributes}

    See Also
    --------
    ToyNetTabularRegressor : The same recipe for regression.
    ToyNetClassifier : The network alone, with MLPClassifier's defaults.
    sklearn.ensemble.HistGradientBoostingClassifier : The usual choice for tables.

    Examples
    --------
    >>> import pandas as pd
    >>> from sklearn_toynet import ToyNetTabularClassifier
    >>> X = pd.DataFrame({
    ...     "age": [22, 35, None, 51, 46, 29, 33, 60] * 10,
    ...     "plan": pd.Categorical(["a", "b", "b", "c", "a", "c", "b", "a"] * 10),
    ... })
    >>> y = (X["plan"] == "b").to_numpy()
    >>> clf = ToyNetTabularClassifier(random_state=0).fit(X, y)
    >>> clf.score(X, y)
    1.0
    """

    _parameter_constraints: dict = {
        **ToyNetClassifier._parameter_constraints,
        **TabularMixin._tabular_constraints,
    }


@with_parameters(
    *_tabular_parameters([REGRESSOR_PARAMETERS["loss"]]),
    REGRESSOR_PARAMETERS["quantile"],
    REGRESSOR_PARAMETERS["huber_delta"],
    attributes=[ENCODER],
)
class ToyNetTabularRegressor(TabularMixin, ToyNetRegressor):
    """A neural network regressor for tables, straight from a DataFrame.

    :class:`ToyNetRegressor` with the table encoder and defaults of
    :class:`ToyNetTabularClassifier`. The network learns standardized targets
    (zero mean, unit variance in training; except for ``loss="poisson"``) and
    predicts in ``y``'s units: ``loss_curve_`` and ``huber_delta`` are in units
    of ``y``'s standard deviation.

    Parameters
    ----------
    {parameters}

    Attributes
    ----------
    {attributes}

    See Also
    --------
    ToyNetTabularClassifier : The same recipe for classification.
    ToyNetRegressor : The network alone, with MLPRegressor's defaults.
    sklearn.ensemble.HistGradientBoostingRegressor : The usual choice for tables.

    Examples
    --------
    >>> import numpy as np
    >>> import pandas as pd
    >>> from sklearn_toynet import ToyNetTabularRegressor
    >>> rng = np.random.default_rng(0)
    >>> X = pd.DataFrame({
    ...     "size": rng.uniform(1, 3, 200),
    ...     "city": pd.Categorical(rng.choice(["x", "y"], 200)),
    ... })
    >>> y = X["size"] + (X["city"] == "y")
    >>> reg = ToyNetTabularRegressor(random_state=0).fit(X, y)
    >>> bool(reg.score(X, y) > 0.95)
    True
    """

    _parameter_constraints: dict = {
        **ToyNetRegressor._parameter_constraints,
        **TabularMixin._tabular_constraints,
    }

    def _new_targets(self, y, classes=None, sample_weight=None):
        if self.loss == "poisson":  # counts keep their scale: the log link's
            return super()._new_targets(y, classes)
        # The network learns standardized targets and answers in y's units;
        # weighted as the rows count in the loss.
        if sample_weight is not None:
            sample_weight = checked_sample_weight(sample_weight, np.empty((len(y), 0)))
        return RegressionTargets.standardized(y, sample_weight)
