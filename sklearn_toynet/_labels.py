"""Class labels to the targets the output units fit, and outputs back to labels.

A mixin of ToyNetClassifier over its fitted ``classes_`` and
``_label_binarizer``: binary targets fit one sigmoid unit, multiclass targets
one-hot rows under a softmax, multilabel indicator matrices one sigmoid per
label. Decoding follows ``LabelBinarizer.inverse_transform``'s rules.
"""

import numpy as np
import scipy.sparse as sp
from sklearn.utils.multiclass import unique_labels


class LabelCodingMixin:
    """Labels to targets (``_encode``, ``_one_hot``); outputs to labels."""

    def _encode(self, y, dtype):
        """The targets the output units fit, built directly in ``X``'s dtype.

        One column for binary targets, one-hot rows for multiclass, the
        indicator itself for multilabel: no sparse or int64 intermediate, so a
        large ``y`` costs one array of the network's dtype.
        """
        if self._label_binarizer.y_type_ == "multilabel-indicator":
            return (y.toarray() if sp.issparse(y) else np.asarray(y)).astype(dtype)
        index = np.searchsorted(self.classes_, y)
        index = np.minimum(index, len(self.classes_) - 1)
        if not np.array_equal(self.classes_[index], y):
            raise ValueError(
                f"`y` has classes not in `self.classes_`. `self.classes_` has "
                f"{self.classes_}. 'y' has {unique_labels(y)}."
            )
        return self._one_hot(index, dtype)

    def _one_hot(self, index, dtype):
        """The encoded targets of class indices ``index`` (one column if binary)."""
        if len(self.classes_) <= 2:
            # One output unit; a single class trains it towards 0, as MLP's.
            return index.astype(dtype).reshape(-1, 1)
        Y = np.zeros((len(index), len(self.classes_)), dtype=dtype)
        Y[np.arange(len(index)), index] = 1
        return Y

    def _decode(self, P):
        """Class labels from output activations, as ``LabelBinarizer`` decodes them.

        Binary and multiclass outputs are decoded directly (a threshold at 0.5,
        an argmax), the binarizer's own rules without its input checks, which
        cost more than the network on a small batch; multilabel outputs go
        through the binarizer.
        """
        y_type = self._label_binarizer.y_type_
        if y_type == "multiclass":
            return self.classes_.take(P.argmax(axis=1), mode="clip")
        if y_type == "binary" and len(self.classes_) == 2:
            return self.classes_[(P[:, 0] > 0.5).astype(np.intp)]
        return self._decode_with_binarizer(P)

    def _decode_with_binarizer(self, P):
        if P.shape[1] == 1:
            P = P.ravel()
        return self._label_binarizer.inverse_transform(P)

    def _decode_targets(self, Y):
        """Labels of encoded targets ``Y``: their outputs are exact, as ``P``'s."""
        return self._decode_with_binarizer(Y)
