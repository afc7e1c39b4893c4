"""ToyNetRegressor: identity (or exponential) output on the shared base."""

from numbers import Real

from sklearn.base import RegressorMixin, _fit_context
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.metaestimators import available_if

from ._base import BaseToyNet, _has_stochastic_solver
from ._params import SHARED_PARAMETERS, entries, with_parameters
from ._targets import RegressionTargets

OWN_PARAMETERS = entries(
    """
loss : {'squared_error', 'poisson', 'absolute_error', 'huber', \
'quantile'}, default='squared_error'
    "squared_error" (half the squared error, identity output) or "poisson" (half
    the Poisson deviance with an exponential output, for counts; ``y >= 0``), as
    MLPRegressor. Beyond MLP's: "absolute_error" (``|y - p|``, predicts the
    conditional median, robust to outliers in ``y``), "huber" (half the squared
    error up to ``huber_delta``, linear beyond: squared error's smooth fit
    with absolute error's robustness) and "quantile" (the pinball loss of
    ``quantile``, predicts that conditional quantile). At their kinks
    ("absolute_error" and "quantile" where ``p == y``) the gradient used is 0.

quantile : float, default=0.5
    The quantile that ``loss="quantile"`` predicts, in (0, 1); 0.5 is the
    median. Named as in HistGradientBoostingRegressor. Ignored by other losses.

huber_delta : float, default=1.0
    Where ``loss="huber"`` turns from quadratic to linear: errors larger than
    this (in the units of ``y``) count linearly, so outliers pull less. The
    default 1.0 is one standard deviation of a standardized ``y`` (scale it
    with ``y``'s spread otherwise). A fixed threshold, not one re-estimated from
    the residuals, keeps the loss the same function through the fit, so
    ``loss_curve_`` values compare and L-BFGS's objective stays consistent.
    HuberRegressor calls its threshold ``epsilon`` and
    GradientBoostingRegressor sets it through ``alpha``: here those names are
    Adam's term and the L2 penalty, hence this one. Ignored by other losses.
"""
)


@with_parameters(
    OWN_PARAMETERS["loss"],
    "hidden_layer_sizes",
    "activation",
    "*",
    *SHARED_PARAMETERS,
    OWN_PARAMETERS["quantile"],
    OWN_PARAMETERS["huber_delta"],
)
class ToyNetRegressor(RegressorMixin, BaseToyNet):
    """A neural network regressor trained by backpropagation.

    The same network as :class:`ToyNetClassifier` with an identity output (or an
    exponential one for the Poisson loss): a drop-in for
    :class:`~sklearn.neural_network.MLPRegressor`, with one or several outputs.

    Parameters
    ----------
    {parameters}

    Attributes
    ----------
    {attributes}

    See Also
    --------
    ToyNetClassifier : The same network for classification.
    sklearn.neural_network.MLPRegressor : The estimator this one drops in for.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_toynet import ToyNetRegressor
    >>> X = np.linspace(-1, 1, 50).reshape(-1, 1)
    >>> reg = ToyNetRegressor(hidden_layer_sizes=(8,), solver="lbfgs", random_state=0)
    >>> bool(reg.fit(X, X.ravel() ** 2).score(X, X.ravel() ** 2) > 0.95)
    True
    """

    _parameter_constraints: dict = {
        **BaseToyNet._parameter_constraints,
        "loss": [
            StrOptions(
                {"squared_error", "poisson", "absolute_error", "huber", "quantile"}
            )
        ],
        "quantile": [Interval(Real, 0, 1, closed="neither")],
        "huber_delta": [Interval(Real, 0, None, closed="neither")],
    }

    def _new_targets(self, y, classes=None, sample_weight=None):
        return RegressionTargets(y_was_1d=y.ndim == 1, poisson=self.loss == "poisson")

    def _loss_params(self):
        if self.loss == "huber":
            return {"huber_delta": self.huber_delta}
        if self.loss == "quantile":
            return {"quantile": self.quantile}
        return {}

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
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Target values.
        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the rows in the (weighted-mean) loss. A row of weight 0
            counts as absent: a mini-batch of only such rows takes no step.
        X_val : {array-like, sparse matrix} of shape (n_val, n_features), default=None
            Rows early stopping scores instead of a ``validation_fraction``
            split (needs ``early_stopping=True``; ignored by "lbfgs"). In a
            Pipeline, ``transform_input=["X_val"]`` transforms them as ``X``.
        y_val : array-like of shape (n_val,) or (n_val, n_outputs), default=None
            Their target values.
        sample_weight_val : array-like of shape (n_val,), default=None
            Their weights in the validation loss and score.

        Returns
        -------
        self : ToyNetRegressor
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
    def partial_fit(self, X, y, sample_weight=None):
        """Train for one epoch on ``X``, ``y``, continuing from the current weights.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Target values.
        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the rows in the loss.

        Returns
        -------
        self : ToyNetRegressor
            The updated estimator.

        Notes
        -----
        The call trains into spare arrays and adopts them when it succeeds, so
        that a call that raises leaves the model as it was. Arrays held from
        ``coefs_`` or ``intercepts_`` two calls before may be reused as those
        spares and overwritten: copy them to keep them. A warm ``fit``
        (``warm_start=True``) does the same.
        """
        return self._fit(X, y, sample_weight, incremental=True)

    def predict(self, X):
        """Predict target values.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            The input samples.

        Returns
        -------
        y : ndarray of shape (n_samples,) or (n_samples, n_outputs)
            The predicted values.
        """
        P = self._forward_output(X)  # checks that the model is fitted first
        return self._target_coding.decode(P)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        return tags
