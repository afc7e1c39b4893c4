"""The early-stopping validation set: checking a given one, scoring each epoch.

``fit(X, y, X_val=..., y_val=...)`` hands early stopping a validation set of its
own instead of the ``validation_fraction`` split. :func:`check_validation_set`
validates it as ``X`` and ``y`` are validated (features, dtype, classes seen in
training); :class:`ValidationMonitor` scores the network on whichever set early
stopping uses after every epoch: its loss (``validation_loss_curve_``) and the
score early stopping follows (``validation_scores_``), chosen by ``scoring``.
"""

import copy
from dataclasses import dataclass

import numpy as np
from sklearn.base import is_classifier
from sklearn.metrics import check_scoring
from sklearn.utils.multiclass import unique_labels
from sklearn.utils.validation import (
    _check_y,
    check_consistent_length,
    column_or_1d,
    validate_data,
)

from ._losses import loss_and_delta, reported_loss


@dataclass
class ValidationSet:
    """Validated, encoded validation data: ``Y`` as the network's targets."""

    X: object
    Y: np.ndarray
    sample_weight: np.ndarray | None


def check_validation_set(est, X, Y, X_val, y_val, sample_weight_val):
    """The given validation set, validated like ``X``/``Y``; None if none given.

    Called after ``X``/``y`` are validated (``n_features_in_``, the classes and
    the training dtype are known). ``class_weight`` weighs the validation rows
    as it weighs the training rows, so the validation loss is the training
    loss's, the L2 penalty aside.
    """
    if X_val is None and y_val is None:
        if sample_weight_val is not None:
            raise ValueError(
                "sample_weight_val is provided, but X_val and y_val were not provided."
            )
        return None
    if y_val is None:
        raise ValueError("X_val is provided, but y_val was not provided.")
    if X_val is None:
        raise ValueError("y_val is provided, but X_val was not provided.")
    if not est.early_stopping:
        raise ValueError(
            "X_val and y_val are passed to fit while at the same time "
            "early_stopping is False. When passing X_val and y_val to fit, "
            "early_stopping should be set to True."
        )
    with np.errstate(over="ignore", invalid="ignore"):  # as for X, in _base
        try:
            X_val = validate_data(
                est,
                X_val,
                accept_sparse=["csr", "csc"],
                dtype=(np.float64, np.float32),
                reset=False,
            )
        except ValueError as error:
            raise ValueError(f"X_val: {error}") from error
        X_val = X_val.astype(X.dtype, copy=False)
    y_val = _check_y(y_val, multi_output=True, y_numeric=not is_classifier(est))
    if y_val.ndim == 2 and y_val.shape[1] == 1:
        y_val = column_or_1d(y_val, warn=True)
    check_consistent_length(X_val, y_val)
    if X_val.shape[0] < 2:
        raise ValueError(
            f"The validation set is too small: X_val has {X_val.shape[0]} sample; "
            "early stopping needs at least 2."
        )
    Y_val = _encode_targets(est, y_val, X.dtype)
    if Y_val.ndim != 2 or Y_val.shape[1] != Y.shape[1]:
        raise ValueError(
            f"y_val has {1 if Y_val.ndim == 1 else Y_val.shape[1]} output(s) "
            f"after encoding, but y has {Y.shape[1]}."
        )
    if sample_weight_val is not None or getattr(est, "class_weight", None):
        try:
            sample_weight_val = est._sample_weight(
                X_val, y_val, sample_weight_val, y_train=est._decode_targets(Y)
            )
        except ValueError as error:
            raise ValueError(f"sample_weight_val: {error}") from error
    return ValidationSet(X_val, Y_val, sample_weight_val)


def _encode_targets(est, y_val, dtype):
    if not is_classifier(est):
        if est.loss == "poisson" and np.any(y_val < 0):
            raise ValueError(
                "The Poisson loss needs non-negative y_val; got a negative value."
            )
        return y_val.reshape(len(y_val), -1).astype(dtype)
    multilabel = est._label_binarizer.y_type_ == "multilabel-indicator"
    if not multilabel:
        if y_val.ndim != 1:
            raise ValueError(
                f"y_val has shape {y_val.shape}, but y was a 1-D array of labels."
            )
        unseen = np.setdiff1d(unique_labels(y_val), est.classes_)
        if len(unseen):
            raise ValueError(
                f"y_val has classes not seen in training: {unseen}. The classes "
                f"seen in training are {est.classes_}."
            )
    elif y_val.ndim != 2 or not np.isin(y_val, (0, 1)).all():
        raise ValueError(
            "y_val must be a multilabel indicator matrix (of 0 and 1), as y was."
        )
    return est._encode(y_val, dtype)


def validation_loss(est, net, validation, P):
    """The loss of outputs ``P`` on the validation set (``loss_``'s scale, no L2)."""
    Y, sample_weight = validation.Y, validation.sample_weight
    value, _ = loss_and_delta(
        est.loss, net.out_activation, Y, P, sample_weight, **est._loss_params()
    )
    return reported_loss(est.loss, value, Y.shape[1])


def start_validation(state):
    """Give ``state`` empty validation histories where a fit without them left None.

    A warm start that turns ``early_stopping`` on continues a fit that kept no
    validation history (MLPClassifier raises AttributeError there).
    """
    if state["validation_scores_"] is None:
        state["validation_scores_"] = []
        state["best_validation_score_"] = -np.inf
    if state.get("validation_loss_curve_") is None:
        state["validation_loss_curve_"] = []


class ValidationMonitor:
    """Scores the network being trained on the validation set, once per epoch.

    ``scoring=None`` gives MLPClassifier's score (accuracy, R^2) computed as
    MLP computes it; ``"loss"`` the negated validation loss (higher is better,
    as every score, as in HistGradientBoosting); any other value the scikit-learn
    scorer ``check_scoring`` makes of it, called on a shallow copy of the
    estimator that predicts with the weights as they stand.
    """

    def __init__(self, est, state, validation):
        self._est, self._state, self.validation = est, state, validation
        self._scorer = None
        if est.scoring not in (None, "loss"):
            self._scorer = check_scoring(est, est.scoring)
            self._view = copy.copy(est)
            vars(self._view).update(state)
            # The scorer gets the validated array; no feature names to check.
            vars(self._view).pop("feature_names_in_", None)
            self._y = est._decode_targets(validation.Y)

    def evaluate(self, net):
        """Return ``(loss, score)`` of the network as it stands."""
        est, validation = self._est, self.validation
        with np.errstate(all="ignore"):
            P = net.predict(validation.X)
        loss = validation_loss(est, net, validation, P)
        if est.scoring == "loss":
            return loss, -loss
        if self._scorer is None:
            return loss, est._outputs_score(validation.Y, P, validation.sample_weight)
        kwargs = {}
        if validation.sample_weight is not None:
            kwargs["sample_weight"] = validation.sample_weight
        score = self._scorer(self._view, validation.X, self._y, **kwargs)
        return loss, float(score)
