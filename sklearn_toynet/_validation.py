"""Early stopping's validation set: split off or given, then scored each epoch.

Early stopping holds out ``validation_fraction`` of the rows
(:func:`split_validation`, as MLPClassifier, stratified for one label per
row), or takes the set given as ``fit(X, y, X_val=..., y_val=...)``
(:func:`check_validation_set`, validated as ``X`` and ``y`` are: features,
dtype, classes seen in training). :class:`ValidationMonitor` scores the
network on it after every epoch: its loss (``validation_loss_curve_``) and
the score early stopping follows (``validation_scores_``), chosen by
``scoring``. :func:`checked_sample_weight` checks training and validation
weights alike.
"""

from typing import NamedTuple

import numpy as np
from sklearn.model_selection import train_test_split
from sklearn.utils.validation import (
    _check_sample_weight,
    _check_y,
    check_consistent_length,
    column_or_1d,
)

from ._array_api import (
    any_nonzero,
    is_numpy,
    numpy_dtype,
    to_device_of,
    to_numpy,
)
from ._state import Data


def checked_sample_weight(sample_weight, X):
    """``sample_weight`` as a float array of ``X``'s dtype, checked; or None."""
    if sample_weight is None:
        return None
    sample_weight = _check_sample_weight(
        sample_weight, X, dtype=X.dtype, ensure_non_negative=True
    )
    if not sample_weight.any():  # scikit-learn >= 1.7 refuses these itself
        raise ValueError("Sample weights must contain at least one non-zero number.")
    return sample_weight


# -- the split ------------------------------------------------------------------------
_STRATIFIED = (
    "early_stopping=True holds out validation_fraction=%s of the rows, stratified "
    "by class: each class needs a sample on either side. Change "
    "validation_fraction, or set early_stopping=False."
)


def split_validation(data, targets, fraction, rng):
    """``(training Data, validation Data)``: ``fraction`` of the rows held out.

    Stratified by class when ``targets`` (see ``_targets``) has one label per
    row, drawn from ``rng`` as MLPClassifier draws it. The draws split the
    row numbers, on the host, exactly as ``train_test_split`` would split the
    rows themselves; the rows are then taken in their own library and device.
    """
    Y = to_numpy(data.Y)
    labels = targets.stratify(Y)
    if labels is not None:
        _check_stratifiable(labels, fraction)
    try:
        train, val = train_test_split(
            np.arange(data.n_samples),
            test_size=fraction,
            random_state=rng,
            stratify=None if labels is None else Y,
        )
    except ValueError as error:
        if labels is None or "number of classes" not in str(error):
            raise
        raise ValueError(f"{error}. {_STRATIFIED % fraction}") from None
    if val.shape[0] < 2:
        raise ValueError(
            "The validation set is too small. Increase 'validation_fraction' "
            "or the size of your dataset."
        )
    return _checked_split(data.rows(train), data.rows(val))


def _checked_split(train, val):
    """``(train, val)``, refused when no training row has weight."""
    if train.sample_weight is not None and not any_nonzero(train.sample_weight):
        raise ValueError(
            "Every sample left for training after the validation split has "
            "sample_weight 0. Give more samples a non-zero weight, or lower "
            "'validation_fraction'."
        )
    return train, val


#: The fewest validation rows ``early_stopping="auto"`` holds out.
MIN_VALIDATION_ROWS = 20


def can_hold_out(data, targets, fraction):
    """Whether ``split_validation`` makes a validation set worth scoring.

    At least ``MIN_VALIDATION_ROWS`` rows held out, and (for one label per
    row) every class with a row on either side of the stratified split.
    """
    n_val = int(np.ceil(fraction * data.n_samples))
    if n_val < MIN_VALIDATION_ROWS or data.n_samples - n_val < 1:
        return False
    labels = targets.stratify(to_numpy(data.Y))
    if labels is None:
        return True
    classes, counts = np.unique(labels, return_counts=True)
    n_classes = len(classes)
    return counts.min() >= 2 and min(n_val, data.n_samples - n_val) >= n_classes


def _check_stratifiable(labels, fraction):
    """Raise, naming them by label, if a class has too few samples to split."""
    classes, counts = np.unique(labels, return_counts=True)
    if counts.min() < 2:
        # scikit-learn's words (as MLP raises them), with the labels as given.
        few = classes[counts < 2].tolist()
        raise ValueError(
            "The least populated classes in y have only 1 member, which is too "
            "few. The minimum number of groups for any class cannot be less than "
            f"2. Classes with too few members are: {few}. {_STRATIFIED % fraction}"
        )


# -- a given set ----------------------------------------------------------------------
def check_validation_set(
    targets,
    train,
    X_val,
    y_val,
    sample_weight_val,
    *,
    early_stopping,
    class_weight,
    check_X,
):
    """The given validation set as ``Data``, validated like ``train``; None if none.

    Called after ``X``/``y`` are validated (``n_features_in_``, the classes and
    the training dtype are known); ``check_X(X_val)`` checks the rows as the
    estimator checks any input to predict from. ``early_stopping`` and
    ``class_weight`` are the estimator's parameters: ``class_weight`` weighs
    the validation rows as it weighs the training rows, so the validation
    loss is the training loss's, the L2 penalty aside.
    """
    if X_val is None and y_val is None:
        if sample_weight_val is not None:
            raise ValueError(
                "sample_weight_val is provided, but X_val and y_val were not provided."
            )
        return None
    if not is_numpy(train.X):
        return _generic_validation_set(
            targets,
            train,
            (X_val, y_val, sample_weight_val),
            early_stopping=early_stopping,
            class_weight=class_weight,
            check_X=check_X,
        )
    if y_val is None:
        raise ValueError("X_val is provided, but y_val was not provided.")
    if X_val is None:
        raise ValueError("y_val is provided, but X_val was not provided.")
    if not early_stopping:
        raise ValueError(
            "X_val and y_val are passed to fit while at the same time "
            "early_stopping is False. When passing X_val and y_val to fit, "
            "early_stopping should be set to True."
        )
    dtype = train.X.dtype
    with np.errstate(over="ignore", invalid="ignore"):  # as for X, in _base
        try:
            X_val = check_X(X_val)
        except ValueError as error:
            raise ValueError(f"X_val: {error}") from error
        X_val = X_val.astype(dtype, copy=False)
    y_val = _check_y(y_val, multi_output=True, y_numeric=targets.classes is None)
    if y_val.ndim == 2 and y_val.shape[1] == 1:
        y_val = column_or_1d(y_val, warn=True)
    check_consistent_length(X_val, y_val)
    if X_val.shape[0] < 2:
        raise ValueError(
            f"The validation set is too small: X_val has {X_val.shape[0]} sample; "
            "early stopping needs at least 2."
        )
    Y_val = targets.encode_validation(y_val, dtype)
    if Y_val.ndim != 2 or Y_val.shape[1] != train.Y.shape[1]:
        raise ValueError(
            f"y_val has {1 if Y_val.ndim == 1 else Y_val.shape[1]} output(s) "
            f"after encoding, but y has {train.Y.shape[1]}."
        )
    if sample_weight_val is not None or class_weight is not None:
        try:
            sample_weight_val = checked_sample_weight(
                targets.weights(
                    class_weight,
                    y_val,
                    sample_weight_val,
                    y_train=targets.decode_targets(train.Y),
                ),
                X_val,
            )
        except ValueError as error:
            raise ValueError(f"sample_weight_val: {error}") from error
    return Data(X_val, Y_val, sample_weight_val)


def _generic_validation_set(targets, train, given, **params):
    """``check_validation_set`` when ``X`` is another array library's.

    Everything follows ``X``: the given set is validated on the host exactly
    as for NumPy's ``X`` (against a host copy of the training targets), then
    moves to ``X``'s device.
    """
    host_train = Data(
        np.empty((0, train.X.shape[1]), numpy_dtype(train.X)),
        to_numpy(train.Y),
    )
    given = (to_numpy(a) if hasattr(a, "__dlpack__") else a for a in given)
    host = check_validation_set(targets, host_train, *given, **params)
    return Data(
        *(
            None if a is None else to_device_of(a, train.X)
            for a in (host.X, host.Y, host.sample_weight)
        )
    )


# -- scoring each epoch ---------------------------------------------------------------
class ValidationMonitor:
    """Scores the network being trained on the validation set, once per epoch.

    ``data`` is the validation set (given, or split off the training rows).
    ``scoring=None`` gives
    MLPClassifier's score (accuracy, R^2) computed as MLP computes it;
    ``"loss"`` the negated validation loss (higher is better, as every score,
    as in HistGradientBoosting); any other value the scikit-learn scorer
    ``check_scoring`` makes of it (``scorer``, made by the estimator),
    called on ``view(state)``: a copy of the estimator that predicts with the
    weights as they stand.
    """

    def __init__(self, data, targets, objective, scoring, scorer, view):
        self.data, self.targets = data, targets
        # The validation loss measures the model against the true labels: label
        # smoothing shapes training only.
        self._objective, self._scoring = objective.unsmoothed(), scoring
        self._scorer, self._view = scorer, view
        self._scored = None  # a ScoredView, made on the first scored epoch

    def loss(self, net, P):
        """The loss of outputs ``P`` on the validation set (MLP's scale, no L2)."""
        Y, sample_weight = self.data.Y, self.data.sample_weight
        value, _ = self._objective.loss_and_delta(
            net.out_activation, Y, P, sample_weight
        )
        return self._objective.reported(value, Y.shape[1])

    def evaluate(self, net, state):
        """Return ``(loss, score)`` of the network as it stands."""
        data = self.data
        with np.errstate(all="ignore"):
            P = net.predict(data.X)
        loss = self.loss(net, P)
        if self._scoring == "loss":
            return loss, -loss
        if self._scorer is None:
            return loss, self.targets.score(data.Y, P, data.sample_weight)
        kwargs = {}
        if data.sample_weight is not None:
            kwargs["sample_weight"] = data.sample_weight
        if self._scored is None:  # the view shares the state's weight arrays
            self._scored = ScoredView(
                self._view(state), self.targets.decode_targets(data.Y)
            )
        scored = self._scored
        return loss, float(self._scorer(scored.model, data.X, scored.y, **kwargs))


class ScoredView(NamedTuple):
    """What a ``scoring`` scorer is called on, each epoch."""

    model: object  # a copy of the estimator sharing the training state's weights
    y: np.ndarray  # the validation targets, decoded to the labels the user gave
