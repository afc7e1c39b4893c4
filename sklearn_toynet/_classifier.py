"""ToyNetClassifier: binary, multiclass and multilabel targets on the shared base."""

from numbers import Real

import numpy as np
from sklearn.base import ClassifierMixin, _fit_context
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.metaestimators import available_if

from ._array_api import is_numpy, labels_on_host, namespace, to_numpy
from ._base import BaseToyNet, _has_stochastic_solver
from ._params import SHARED_PARAMETERS, entries, with_parameters
from ._targets import ClassTargets

OWN_PARAMETERS = entries(
    """
loss : {'log_loss', 'squared_error'}, default='log_loss'
    "log_loss" is the cross-entropy, whose output delta is ``p - y``: the right
    loss for probabilities and the faster learner. "squared_error" is the blog's
    half squared error, whose output delta is ``(p - y) * p * (1 - p)``.

class_weight : dict, 'balanced' or None, default=None
    Weights of the classes, multiplied into ``sample_weight``: ``{label:
    weight}``, or "balanced" for ``n_samples / (n_classes * np.bincount(y))``, as
    scikit-learn's linear classifiers. Raises the recall of rare classes.
    Single-output targets only.

label_smoothing : float, default=0.0
    Train on targets pulled towards uniform, in [0, 1): with ``K`` classes
    (multiclass) the true class's target becomes ``1 - label_smoothing +
    label_smoothing / K`` and every other ``label_smoothing / K``; each sigmoid
    output (binary, multilabel) takes ``K = 2``. The network then learns less
    extreme probabilities instead of pushing the outputs of separable rows
    ever closer to 0 and 1: a regularizer (try 0.05 to 0.2). It applies to
    the training loss only, with either ``loss``: ``loss_`` and
    ``loss_curve_`` are against the smoothed targets (for "log_loss", their
    cross-entropy, which stays above 0), while early stopping's validation
    loss and score compare with the true labels. ``0`` (the default) is
    {mlp}'s training.
"""
)
CLASSES = entries(
    """
classes_ : ndarray of shape (n_classes,)
    The class labels (for multilabel targets, ``0 .. n_labels - 1``).
"""
)["classes_"]


@with_parameters(
    "hidden_layer_sizes",
    "activation",
    "*",
    OWN_PARAMETERS["loss"],
    *SHARED_PARAMETERS,
    OWN_PARAMETERS["class_weight"],
    OWN_PARAMETERS["label_smoothing"],
    attributes=[CLASSES],
)
class ToyNetClassifier(ClassifierMixin, BaseToyNet):
    """A neural network classifier trained by backpropagation.

    The blog post "A Neural Network in 11 lines of Python" grown into a
    scikit-learn classifier: a drop-in for
    :class:`~sklearn.neural_network.MLPClassifier` (same parameters, attributes,
    warnings and errors) with dropout, batch normalization, gradient clipping,
    class weights, label smoothing, bias-free layers and the blog's own loss
    and initialization.

    Binary targets get one sigmoid output unit; multiclass targets a softmax
    over the classes; a multilabel indicator matrix one sigmoid per label.

    Parameters
    ----------
    {parameters}

    Attributes
    ----------
    {attributes}

    See Also
    --------
    ToyNetRegressor : The same network for regression.
    sklearn.neural_network.MLPClassifier : The estimator this one drops in for.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_toynet import ToyNetClassifier
    >>> X = np.array([[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1]])
    >>> y = np.array([0, 1, 1, 0])
    >>> clf = ToyNetClassifier(hidden_layer_sizes=(4,), solver="lbfgs", random_state=1)
    >>> clf.fit(X, y).predict(X)
    array([0, 1, 1, 0])
    """

    _parameter_constraints: dict = {
        **BaseToyNet._parameter_constraints,
        "loss": [StrOptions({"log_loss", "squared_error"})],
        "class_weight": [dict, StrOptions({"balanced"}), None],
        "label_smoothing": [Interval(Real, 0, 1, closed="left")],
    }

    def _new_targets(self, y, classes=None, sample_weight=None):
        return ClassTargets.fit(y, classes)

    def _class_weight(self):
        return self.class_weight

    def _label_smoothing(self):
        return self.label_smoothing

    @property
    def _label_binarizer(self):
        # MLPClassifier's name for the fitted label coding's binarizer.
        return self._target_coding.binarizer

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(
        self,
        X,
        y,
        sample_weight=None,
        *,
        X_val=None,
        y_val=None,
        sample_weight_val=None,
    ):
        """Fit the network to ``X`` and ``y``.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data; float32 data trains in float32.
        y : array-like of shape (n_samples,) or (n_samples, n_labels)
            Class labels, or a multilabel indicator matrix.
        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the rows in the (weighted-mean) loss. A row of weight 0
            counts as absent: a mini-batch of only such rows takes no step.
        X_val : {array-like, sparse matrix} of shape (n_val, n_features), default=None
            Rows early stopping scores instead of a ``validation_fraction``
            split (needs ``early_stopping=True``; ignored by "lbfgs"). In a
            Pipeline, ``transform_input=["X_val"]`` transforms them as ``X``.
        y_val : array-like of shape (n_val,) or (n_val, n_labels), default=None
            Their labels, of classes seen in ``y``.
        sample_weight_val : array-like of shape (n_val,), default=None
            Their weights (times ``class_weight``) in the validation loss and score.

        Returns
        -------
        self : ToyNetClassifier
            The fitted estimator.
        """
        return self._fit(
            X,
            y,
            sample_weight,
            X_val=X_val,
            y_val=y_val,
            sample_weight_val=sample_weight_val,
        )

    @available_if(_has_stochastic_solver)
    @_fit_context(prefer_skip_nested_validation=True)
    def partial_fit(self, X, y, sample_weight=None, classes=None):
        """Train for one epoch on ``X``, ``y``, continuing from the current weights.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,) or (n_samples, n_labels)
            Class labels, or a multilabel indicator matrix.
        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the rows in the loss.
        classes : array-like of shape (n_classes,), default=None
            Every class of all calls; required on the first call (for multilabel
            targets, the label indices ``0 .. n_labels - 1``).

        Returns
        -------
        self : ToyNetClassifier
            The updated estimator.

        Notes
        -----
        The call trains into spare arrays and adopts them when it succeeds, so
        that a call that raises leaves the model as it was. Arrays held from
        ``coefs_`` or ``intercepts_`` two calls before may be reused as those
        spares and overwritten: copy them to keep them. A warm ``fit``
        (``warm_start=True``) does the same.
        """
        host_classes = labels_on_host(classes)  # coded on the host, as y
        if not hasattr(self, "classes_"):
            if classes is None:
                raise ValueError(
                    "classes must be passed on the first call to partial_fit."
                )
        elif classes is not None and not np.array_equal(
            np.unique(host_classes), to_numpy(self.classes_)
        ):
            raise ValueError(
                f"`classes={classes!r}` is not the same as on last call to "
                f"partial_fit, was: {self.classes_!r}"
            )
        return self._fit(X, y, sample_weight, incremental=True, classes=host_classes)

    def predict(self, X):
        """Predict class labels (an indicator matrix for multilabel targets).

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            The input samples.

        Returns
        -------
        y : ndarray of shape (n_samples,) or (n_samples, n_labels)
            The predicted classes.
        """
        P = self._forward_output(X)  # checks that the model is fitted first
        return self._target_coding.decode(P)

    def predict_proba(self, X):
        """Probability of each class.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            The input samples.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Class probabilities in the order of ``classes_``; rows sum to 1
            (for multilabel targets, each label's own probability).
        """
        return self._proba(X, "predict_proba")

    def _proba(self, X, method):
        P = self._forward_output(X, method)
        if not is_numpy(P):  # another array library
            xp = namespace(P)
            if self.classes_.shape[0] == 1:
                return xp.ones_like(P)
            return xp.concat([1 - P, P], axis=1) if P.shape[1] == 1 else P
        if len(self.classes_) == 1:
            # The only class seen is certain: one column, as ``classes_``.
            return np.ones_like(P)
        if P.shape[1] == 1:
            return np.hstack([1 - P, P])
        return P

    def predict_log_proba(self, X):
        """Logarithm of :meth:`predict_proba`.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            The input samples.

        Returns
        -------
        log_proba : ndarray of shape (n_samples, n_classes)
            ``log(predict_proba(X))``.
        """
        proba = self._proba(X, "predict_log_proba")
        if not is_numpy(proba):  # another array library
            with np.errstate(divide="ignore"):  # array-api-strict computes in NumPy
                return namespace(proba).log(proba)
        with np.errstate(divide="ignore"):
            return np.log(proba, out=proba)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_label = True
        return tags
