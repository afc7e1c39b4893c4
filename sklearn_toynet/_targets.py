"""Targets to the outputs the network fits, and outputs back: one fitted object.

A classifier's :class:`ClassTargets` holds its ``LabelBinarizer``: binary
labels fit one sigmoid unit, multiclass labels one-hot rows under a softmax, a
multilabel indicator matrix one sigmoid per label. A regressor's
:class:`RegressionTargets` passes values through as columns. Both encode
training targets, check and encode a validation set's, decode outputs, score
outputs as the estimator's ``score`` does, and say how a validation split is
stratified; the estimator, the fast input path and the validation set all ask
the same object.

Outputs of another array library (see ``_array_api``) decode on their device
when the labels are numbers (an argmax or a threshold, then the labels there);
string labels, multilabel rows and the scores go through the host, as the
labels are coded there once a call.
"""

import numpy as np
import scipy.sparse as sp
from sklearn.metrics import accuracy_score, r2_score
from sklearn.preprocessing import LabelBinarizer
from sklearn.utils.class_weight import compute_sample_weight
from sklearn.utils.multiclass import type_of_target, unique_labels

from ._array_api import device_of, is_numpy, namespace, to_device_of, to_numpy

MULTILABEL = "multilabel-indicator"


class ClassTargets:
    """Class labels <-> output units, fitted on the first call's labels.

    Parameters
    ----------
    binarizer : LabelBinarizer
        Fitted on the labels (or, for a first ``partial_fit``, the classes).
    """

    def __init__(self, binarizer):
        self.binarizer = binarizer

    @classmethod
    def fit(cls, y, classes=None):
        """Code the labels ``y``, or all of ``classes`` when given (``partial_fit``)."""
        binarizer = LabelBinarizer()
        if classes is not None and type_of_target(y) != MULTILABEL:
            binarizer.fit(classes)
        else:
            binarizer.fit(y)
        return cls(binarizer)

    @property
    def classes(self):
        return self.binarizer.classes_

    def classes_like(self, X):
        """``classes`` on ``X``'s device when they are numbers, else NumPy's."""
        return _labels_like(self.classes, X)

    @property
    def multilabel(self):
        """One sigmoid per label (an indicator matrix), not one class per row."""
        return self.binarizer.y_type_ == MULTILABEL

    @property
    def out_activation(self):
        return "softmax" if self.binarizer.y_type_ == "multiclass" else "logistic"

    # -- labels to targets ---------------------------------------------------------
    def encode(self, y, dtype):
        """The targets the output units fit, built directly in ``dtype``.

        One column for binary targets, one-hot rows for multiclass, the
        indicator itself for multilabel: no sparse or int64 intermediate, so a
        large ``y`` costs one array of the network's dtype.
        """
        if self.multilabel:
            return (y.toarray() if sp.issparse(y) else np.asarray(y)).astype(dtype)
        index = self._index(y)
        if index is None:
            raise ValueError(
                f"`y` has classes not in `self.classes_`. `self.classes_` has "
                f"{self.classes}. 'y' has {unique_labels(y)}."
            )
        return self.one_hot(index, dtype)

    def encode_fast(self, y, dtype):
        """``encode(y)`` for a 1-D integer or string ndarray of known labels, or None.

        A few microseconds against most of a small ``partial_fit``; anything
        else (and every error) is left to the general path.
        """
        if (
            type(y) is not np.ndarray
            or y.ndim != 1
            or y.dtype.kind not in "iuU"
            or y.dtype.kind != self.classes.dtype.kind
            or self.multilabel
        ):
            return None
        index = self._index(y)
        return None if index is None else self.one_hot(index, dtype)

    def _index(self, y):
        """Each label's index in ``classes``, or None if a label is not one."""
        classes = self.classes
        index = np.minimum(np.searchsorted(classes, y), len(classes) - 1)
        return index if np.array_equal(classes[index], y) else None

    def one_hot(self, index, dtype):
        """The encoded targets of class indices ``index`` (one column if binary)."""
        if len(self.classes) <= 2:
            # One output unit; a single class trains it towards 0, as MLP's.
            return index.astype(dtype).reshape(-1, 1)
        Y = np.zeros((len(index), len(self.classes)), dtype=dtype)
        Y[np.arange(len(index)), index] = 1
        return Y

    def check_continued(self, y, *, same_classes):
        """Refuse labels of a later call that the fitted classes do not hold.

        ``same_classes``: a warm ``fit`` needs exactly the fitted classes, as
        MLPClassifier.
        """
        seen = unique_labels(y)
        if same_classes and set(seen) != set(self.classes):
            raise ValueError(
                "warm_start can only be used where `y` has the same classes as "
                "in the previous call to fit. Previously got "
                f"{self.classes}, `y` has {seen}"
            )
        if len(np.setdiff1d(seen, self.classes)):
            raise ValueError(
                f"`y` has classes not in `self.classes_`. `self.classes_` has "
                f"{self.classes}. 'y' has {seen}."
            )

    def encode_validation(self, y_val, dtype):
        """``y_val``'s targets, refusing a shape or a class ``y`` did not have."""
        if not self.multilabel:
            if y_val.ndim != 1:
                raise ValueError(
                    f"y_val has shape {y_val.shape}, but y was a 1-D array of labels."
                )
            unseen = np.setdiff1d(unique_labels(y_val), self.classes)
            if len(unseen):
                raise ValueError(
                    f"y_val has classes not seen in training: {unseen}. The classes "
                    f"seen in training are {self.classes}."
                )
        elif y_val.ndim != 2 or not np.isin(y_val, (0, 1)).all():
            raise ValueError(
                "y_val must be a multilabel indicator matrix (of 0 and 1), as y was."
            )
        return self.encode(y_val, dtype)

    # -- outputs to labels ---------------------------------------------------------
    def decode(self, P):
        """Class labels from output activations, as ``LabelBinarizer`` decodes them.

        Binary and multiclass outputs are decoded directly (a threshold at 0.5,
        an argmax), the binarizer's own rules without its input checks, which
        cost more than the network on a small batch; other outputs go through
        the binarizer.
        """
        binarizer = self.binarizer  # read once: every predict call decodes
        y_type, classes = binarizer.y_type_, binarizer.classes_
        if not is_numpy(P):  # another array library
            return self._generic_decode(P, y_type)
        if y_type == "multiclass":
            return classes.take(P.argmax(axis=1), mode="clip")
        if y_type == "binary" and len(classes) == 2:
            return classes[(P[:, 0] > 0.5).astype(np.intp)]
        return self.decode_targets(P)

    def _generic_decode(self, P, y_type):
        """``decode`` for another array library's outputs, on their device."""
        xp = namespace(P)
        if y_type == "multiclass":
            index = xp.argmax(P, axis=1)
        elif y_type == "binary" and len(self.classes) == 2:
            index = xp.astype(P[:, 0] > 0.5, xp.int64)
        else:
            return self.decode_targets(P)
        classes = self.classes_like(P)
        if is_numpy(classes):  # string labels: NumPy's
            return classes[to_numpy(index)]
        return xp.take(classes, index)

    def decode_targets(self, Y):
        """Labels of encoded targets ``Y`` (or outputs), by the binarizer itself."""
        if not is_numpy(Y):  # another array library: via the host
            return _labels_like(self.decode_targets(to_numpy(Y)), Y)
        if Y.shape[1] == 1:
            Y = Y.ravel()
        return self.binarizer.inverse_transform(Y)

    def score(self, Y, P, sample_weight=None):
        """Accuracy of outputs ``P`` on targets ``Y``: ``score``'s number."""
        Y, P, sample_weight = _on_host(Y, P, sample_weight)
        return accuracy_score(
            self.decode_targets(Y), self.decode(P), sample_weight=sample_weight
        )

    # -- weights and splits ----------------------------------------------------------
    def weights(self, class_weight, y, sample_weight=None, y_train=None):
        """``sample_weight`` times ``class_weight``'s weight of each row's class.

        ``y_train``: the training labels when ``y`` are validation rows: they
        take the training classes' weights ("balanced" counts ``y_train``).
        """
        if class_weight is None:
            return sample_weight
        if self.multilabel:
            raise ValueError("class_weight is not supported for multilabel targets.")
        if y_train is None:
            weights = compute_sample_weight(class_weight, y)
        else:
            labels, first = np.unique(y_train, return_index=True)
            per_class = compute_sample_weight(class_weight, y_train)[first]
            weights = per_class[np.searchsorted(labels, y)]
        return weights * (1.0 if sample_weight is None else np.asarray(sample_weight))

    def stratify(self, Y):
        """The labels a validation split stratifies by (None for multilabel rows)."""
        return None if self.multilabel else self.decode_targets(Y)


class RegressionTargets:
    """Target values as output columns: one column for a 1-D ``y``.

    Parameters
    ----------
    y_was_1d : bool
        The training ``y`` was 1-D: predictions are too.
    poisson : bool
        The Poisson loss, whose targets must not be negative.
    center, scale : ndarray of shape (n_outputs,) or None, default=None
        Standardized targets (the tabular pair's): the network learns
        ``(y - center) / scale`` and predicts ``P * scale + center``. None:
        the targets as they are (the drop-ins', as MLP).
    """

    classes = None
    multilabel = False

    def __init__(self, y_was_1d, poisson, center=None, scale=None):
        self.y_was_1d = y_was_1d
        self.poisson = poisson
        self.center = center
        self.scale = scale

    @classmethod
    def standardized(cls, y, sample_weight=None):
        """The coding of ``y`` (finite, checked) to zero mean and unit variance.

        Weighted by ``sample_weight`` when given; a constant output keeps
        scale 1.
        """
        Y = y.reshape(len(y), -1).astype(np.float64)
        center = np.average(Y, axis=0, weights=sample_weight)
        spread = np.sqrt(np.average((Y - center) ** 2, axis=0, weights=sample_weight))
        scale = np.where(spread > 1e-12 * np.maximum(np.abs(center), 1), spread, 1.0)
        return cls(y_was_1d=y.ndim == 1, poisson=False, center=center, scale=scale)

    @property
    def out_activation(self):
        return "exp" if self.poisson else "identity"

    def encode(self, y, dtype, name="y"):
        """``y`` as a 2-D array of ``dtype``; negative values refused for Poisson."""
        if self.poisson and np.any(y < 0):
            raise ValueError(
                f"The Poisson loss needs non-negative {name}; got a negative value."
            )
        Y = y.reshape(len(y), -1)
        if self.center is not None:
            Y = (Y - self.center) / self.scale
        return Y.astype(dtype)

    def check_continued(self, y, *, same_classes):
        """Any values continue a regression."""

    def encode_fast(self, y, dtype):
        """None: a regressor's ``partial_fit`` validates ``y`` the general way."""
        return None

    def encode_validation(self, y_val, dtype):
        return self.encode(y_val, dtype, name="y_val")

    def decode(self, P):
        """Predictions in ``y``'s shape (1-D when it was) and units."""
        if self.center is not None:
            P = _unstandardized(P, self.center, self.scale)
        if not self.y_was_1d:
            return P
        return P.ravel() if is_numpy(P) else namespace(P).reshape(P, (-1,))

    decode_targets = decode

    def score(self, Y, P, sample_weight=None):
        """R^2 of outputs ``P`` on targets ``Y``: ``score``'s number.

        R^2 is the same for standardized targets: no decoding needed.
        """
        Y, P, sample_weight = _on_host(Y, P, sample_weight)
        return r2_score(Y, P, sample_weight=sample_weight)

    def weights(self, class_weight, y, sample_weight=None, y_train=None):
        return sample_weight

    def stratify(self, Y):
        return None


def _labels_like(labels, like):
    """NumPy ``labels`` on ``like``'s device when they are numbers (else as given)."""
    if is_numpy(like) or labels.dtype.kind not in "biuf":
        return labels
    return namespace(like).asarray(labels, device=device_of(like))


def _on_host(*arrays):
    """``arrays`` (outputs, targets, weights) as NumPy's, for the metrics."""
    return tuple(to_numpy(a) for a in arrays)


def _unstandardized(P, center, scale):
    """``P * scale + center``, in ``P``'s library and dtype."""
    if is_numpy(P):
        return (P * scale + center).astype(P.dtype, copy=False)
    xp = namespace(P)
    scale, center = (xp.astype(to_device_of(a, P), P.dtype) for a in (scale, center))
    return P * scale + center
