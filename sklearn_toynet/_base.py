"""BaseToyNet: the scikit-learn plumbing shared by the classifier and regressor.

Validation, the fitted state and its safe replacement; prediction's entry
points are in ``_predicting``. The math lives in ``_network``/``_training``;
the epoch loops in ``_fitting``.
"""

from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, Options, StrOptions
from sklearn.utils.validation import _check_sample_weight

from ._callbacks import CallbackSupportMixin, EpochHooks
from ._constraints import ACTIVATION_CONSTRAINTS
from ._continued import compatible_state, forget_scratch
from ._fitting import batch_rows, fit_full_batch, fit_stochastic
from ._init import init_weights
from ._network import BatchNormState, Network
from ._predicting import PredictingMixin
from ._threads import limited_blas
from ._validation import check_validation_set


def _has_stochastic_solver(est):
    """``partial_fit`` exists only for "sgd" and "adam", as in MLPClassifier."""
    if est.solver not in ("sgd", "adam"):
        raise AttributeError(
            f"partial_fit is only available for stochastic optimizers. {est.solver} "
            "is not stochastic."
        )
    return True


class BaseToyNet(PredictingMixin, CallbackSupportMixin, BaseEstimator):
    """Shared base of ToyNet estimators; use a subclass."""

    _parameter_constraints: dict = {
        "hidden_layer_sizes": [
            "array-like",
            Interval(Integral, 1, None, closed="left"),
        ],
        "activation": ACTIVATION_CONSTRAINTS,
        "solver": [StrOptions({"lbfgs", "sgd", "adam"})],
        "alpha": [Interval(Real, 0, None, closed="left")],
        "batch_size": [
            StrOptions({"auto"}),
            Interval(Integral, 1, None, closed="left"),
        ],
        "learning_rate": [StrOptions({"constant", "invscaling", "adaptive"})],
        "learning_rate_init": [Interval(Real, 0, None, closed="neither")],
        "power_t": [Interval(Real, 0, None, closed="left")],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "shuffle": ["boolean"],
        "random_state": ["random_state"],
        "tol": [Interval(Real, 0, None, closed="left"), None],
        "verbose": ["verbose"],
        "warm_start": ["boolean"],
        "momentum": [Interval(Real, 0, 1, closed="both")],
        "nesterovs_momentum": ["boolean"],
        "early_stopping": ["boolean"],
        "validation_fraction": [Interval(Real, 0, 1, closed="left")],
        "beta_1": [Interval(Real, 0, 1, closed="left")],
        "beta_2": [Interval(Real, 0, 1, closed="left")],
        "epsilon": [Interval(Real, 0, None, closed="neither")],
        "n_iter_no_change": [
            Interval(Integral, 1, None, closed="left"),
            Options(Real, {np.inf}),
        ],
        "max_fun": [Interval(Integral, 1, None, closed="left")],
        "fit_intercept": ["boolean"],
        "init": [StrOptions({"glorot", "uniform"})],
        "dropout": [Interval(Real, 0, 1, closed="left")],
        "batch_norm": ["boolean"],
        "max_grad_norm": [Interval(Real, 0, None, closed="neither"), None],
        "scoring": [str, callable, None],
    }

    # -- hooks the subclasses fill in ------------------------------------------------
    def _validate_targets(self, X, y, *, first_call, incremental, classes=None):
        """Return ``(X, Y)``: ``Y`` the 2-D float targets the network fits."""
        raise NotImplementedError

    def _outputs_score(self, Y, P, sample_weight):
        """The score (accuracy, R^2) of the network's outputs ``P`` on ``Y``."""
        raise NotImplementedError

    def _stratify_validation(self, Y):
        return False

    def _loss_params(self):
        """The loss's own parameters, as keywords of its functions in ``_losses``."""
        return {}

    def _sample_weight(self, X, y, sample_weight, y_train=None):
        if sample_weight is None:
            return None
        sample_weight = _check_sample_weight(
            sample_weight, X, dtype=X.dtype, ensure_non_negative=True
        )
        if not sample_weight.any():  # scikit-learn >= 1.7 refuses these itself
            raise ValueError(
                "Sample weights must contain at least one non-zero number."
            )
        return sample_weight

    # -- fitting ----------------------------------------------------------------------
    def _hidden_units(self):
        sizes = self.hidden_layer_sizes
        sizes = [sizes] if np.ndim(sizes) == 0 else list(sizes)
        if any(not isinstance(s, Integral) or s <= 0 for s in sizes):
            raise ValueError(f"hidden_layer_sizes must be > 0, got {sizes}.")
        self._check_activation_count(len(sizes))
        return [int(s) for s in sizes]

    def _check_activation_count(self, n_hidden):
        """A tuple of activations must name one per hidden layer."""
        if isinstance(self.activation, str) or len(self.activation) == n_hidden:
            return
        raise ValueError(
            f"activation={tuple(self.activation)} names {len(self.activation)} "
            f"activation(s), but hidden_layer_sizes={self.hidden_layer_sizes} has "
            f"{n_hidden} hidden layer(s): give one name per hidden layer."
        )

    def _train_settings(self, batch_size):
        return {
            "loss": self.loss,
            "loss_params": self._loss_params(),
            "alpha": self.alpha,
            "batch_size": batch_size,
            "shuffle": self.shuffle,
            "max_grad_norm": self.max_grad_norm,
            "bn_momentum": 0.1,
        }

    def _fresh_state(self, n_features, n_outputs, dtype):
        rng = check_random_state(self.random_state)
        hidden = self._hidden_units()
        units = [n_features, *hidden, n_outputs]
        coefs, intercepts = init_weights(
            units, self.init, self.activation, self.fit_intercept, rng, dtype
        )
        # Early stopping applies to the stochastic solvers only (as MLP).
        early = self.early_stopping and self.solver != "lbfgs"
        return {
            "coefs_": coefs,
            "intercepts_": intercepts,
            "batch_norm_": BatchNormState.fresh(hidden, dtype)
            if self.batch_norm
            else None,
            "n_iter_": 0,
            "t_": 0,
            "loss_": None,
            "loss_curve_": [],
            "best_loss_": None if early else np.inf,
            "validation_scores_": [] if early else None,
            "validation_loss_curve_": [] if early else None,
            "best_validation_score_": -np.inf if early else None,
            "n_layers_": len(units),
            "n_outputs_": n_outputs,
            "out_activation_": self._out_activation(),
            "_no_improvement_count": 0,
            "_optimizer": None,
            "_rng": rng,
        }

    def _network(self, state=None):
        state = vars(self) if state is None else state
        self._check_activation_count(len(state["coefs_"]) - 1)
        return Network(
            coefs=state["coefs_"],
            intercepts=state["intercepts_"],
            activation=self.activation,
            out_activation=state["out_activation_"],
            fit_intercept=self.fit_intercept,
            dropout=self.dropout,
            batch_norm=state["batch_norm_"],
        )

    def _check_solver_options(self, incremental):
        if self.solver == "lbfgs" and self.dropout > 0:
            raise ValueError(
                "dropout needs a stochastic solver ('sgd' or 'adam'): L-BFGS "
                "cannot follow a random objective. Got solver='lbfgs', "
                f"dropout={self.dropout}."
            )
        if incremental and self.early_stopping:
            raise ValueError("partial_fit does not support early_stopping=True")

    def _fit(self, X, y, sample_weight=None, *, incremental=False, classes=None, **val):
        """Fit, or raise leaving every attribute exactly as it was before the call.

        Validation records ``classes_``, ``n_features_in_``, ... before training
        runs: a call that then raises (divergence, an interrupted L-BFGS) must not
        leave them describing data the weights were never trained on.
        """
        before = dict(vars(self))
        # A continued fit draws from the fitted random state itself (no copy).
        rng = before.get("_rng")
        rng_state = None if rng is None else rng.get_state(legacy=False)
        try:
            return self._fit_unguarded(
                X, y, sample_weight, incremental=incremental, classes=classes, **val
            )
        except BaseException:
            # Keep the callback bookkeeping: _fit_context tears callbacks down after.
            callback_state = {k: v for k, v in vars(self).items() if "callback" in k}
            vars(self).clear()
            vars(self).update(before, **callback_state)
            if rng_state is not None:
                rng.set_state(rng_state)
            raise

    def _fit_unguarded(
        self, X, y, sample_weight=None, *, incremental=False, classes=None, **val
    ):
        # Parameters were validated by the public method's ``_fit_context``.
        self._hidden_units()
        self._check_solver_options(incremental)
        fitted = hasattr(self, "coefs_")
        first_call = not fitted or (not self.warm_start and not incremental)
        with np.errstate(over="ignore", invalid="ignore"):  # as in _forward_output
            X, Y = self._validate_targets(
                X, y, first_call=first_call, incremental=incremental, classes=classes
            )
        sample_weight = self._sample_weight(X, y, sample_weight)
        # fit's X_val, y_val, sample_weight_val (lbfgs ignores them, as early_stopping)
        validation = check_validation_set(self, X, Y, **val) if val else None
        flat, adopt = None, forget_scratch
        if first_call:
            forget_scratch(self)  # nothing of an earlier call's layout is of use
            state = self._fresh_state(X.shape[1], Y.shape[1], X.dtype)
        else:
            state, flat, adopt = compatible_state(self, X, Y)
        net = self._network(state)
        if flat is None:
            flat = net.flatten()  # state's arrays become views of one buffer
        max_epochs = 1 if incremental else self.max_iter + (self.solver == "lbfgs")
        hooks = EpochHooks.for_fit(self, state, X, y, sample_weight, max_epochs)
        # The products' size sets the BLAS threads: a batch's, or the whole data's.
        rows = X.shape[0] if self.solver == "lbfgs" else batch_rows(self, X.shape[0])
        units = [X.shape[1], *self._hidden_units(), Y.shape[1]]
        with (
            limited_blas(rows, units, fit=True),
            np.errstate(
                over="ignore", invalid="ignore", divide="ignore", under="ignore"
            ),
        ):
            if self.solver == "lbfgs":
                fit_full_batch(self, state, net, flat, X, Y, sample_weight, hooks)
            else:
                fit_stochastic(
                    self,
                    state,
                    net,
                    flat,
                    X,
                    Y,
                    sample_weight,
                    incremental,
                    hooks,
                    validation,
                )
        hooks.end_fit()
        # Adopt the trained state only now: a call that raised changed nothing.
        vars(self).update(state)
        adopt(self)
        return self

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        return tags
