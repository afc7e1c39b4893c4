"""BaseToyNet: the scikit-learn plumbing shared by the classifier and regressor.

A fit, top-down (``_fit`` then ``_fit_unguarded``): validate ``X`` and ``y``
and code the targets (``_targets``), check a given validation set
(``_validation``), build the fit's :class:`~._state.FitState` (fresh, or
over a continued fit's spare arrays, ``_continued``) and its
:class:`~._state.TrainingSettings`, run the loop (``_training``), and adopt
the state only when all of it succeeded. Prediction's entry points are in
``_predicting``; the math lives in ``_network``, ``_losses`` and
``_optimizers``.
"""

import copy
import warnings
import weakref
from contextlib import nullcontext
from functools import partial
from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator, is_regressor
from sklearn.metrics import check_scoring
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, Options, StrOptions
from sklearn.utils.validation import column_or_1d, validate_data

from ._activations import HIDDEN_ACTIVATIONS
from ._array_api import (
    check_same_namespace,
    float_dtypes,
    is_numpy,
    numpy_dtype,
    refuse_complex,
    to_device_of,
    to_numpy,
)
from ._callbacks import (
    CallbackArguments,
    CallbackSupportMixin,
    EpochHooks,
    NoHooks,
)
from ._continued import Scratch
from ._fast_input import fast_validated
from ._init import init_weights
from ._losses import Objective
from ._network import BatchNormState, Network
from ._optimizers import SGD, Adam
from ._predicting import PredictingMixin
from ._state import Data, FitState, TrainingSettings
from ._threads import limited_blas, limited_device_threads
from ._training import Workspace, fit_lbfgs, fit_stochastic
from ._validation import (
    ValidationMonitor,
    check_validation_set,
    checked_sample_weight,
    split_validation,
)


class ActivationNames(Options):
    """Constraint: a tuple or list of hidden activation names, one per layer.

    A subclass of scikit-learn's ``Options`` only so that its parameter
    validation takes it; the error then lists the names and this form.
    Whether the count matches the hidden layers is checked at fit
    (``_hidden_units``), where both are known.
    """

    def __init__(self):
        super().__init__(str, set(HIDDEN_ACTIVATIONS))

    def is_satisfied_by(self, val):
        return isinstance(val, (tuple, list)) and all(
            isinstance(name, str) and name in self.options for name in val
        )

    def __str__(self):
        return "a tuple or list of those names, one per hidden layer"


def _has_stochastic_solver(est):
    """``partial_fit`` exists only for "sgd" and "adam", as in MLPClassifier."""
    if est.solver not in ("sgd", "adam"):
        raise AttributeError(
            f"partial_fit is only available for stochastic optimizers. {est.solver} "
            "is not stochastic."
        )
    return True


# What a call to fit writes on the estimator besides the fit's state: restored
# too when the call fails.
_VALIDATION_WRITES = (
    "n_features_in_",
    "feature_names_in_",
    "classes_",
    "_target_coding",
)


class BaseToyNet(PredictingMixin, CallbackSupportMixin, BaseEstimator):
    """Shared base of ToyNet estimators; use a subclass."""

    _parameter_constraints: dict = {
        "hidden_layer_sizes": [
            "array-like",
            Interval(Integral, 1, None, closed="left"),
        ],
        "activation": [StrOptions(set(HIDDEN_ACTIVATIONS)), ActivationNames()],
        "solver": [StrOptions({"lbfgs", "sgd", "adam"})],
        "alpha": [Interval(Real, 0, None, closed="left")],
        "batch_size": [
            StrOptions({"auto"}),
            Interval(Integral, 1, None, closed="left"),
        ],
        "learning_rate": [StrOptions({"constant", "invscaling", "adaptive", "cosine"})],
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
        "weight_decay": [Interval(Real, 0, None, closed="left")],
        "scoring": [str, callable, None],
    }

    # -- what the subclasses fill in ---------------------------------------------------
    def _new_targets(self, y, classes=None, sample_weight=None):
        """The target coding (see ``_targets``) fitted on a first call's ``y``.

        ``sample_weight`` is the call's, unchecked (the drop-ins' codings
        ignore it).
        """
        raise NotImplementedError

    def _loss_params(self):
        """The loss's own parameters, as keywords of its functions in ``_losses``."""
        return {}

    # -- fitting, top-down -------------------------------------------------------------
    def _fit(
        self,
        X,
        y,
        sample_weight=None,
        *,
        incremental=False,
        classes=None,
        X_val=None,
        y_val=None,
        sample_weight_val=None,
    ):
        """Fit, or raise leaving every attribute exactly as it was before the call.

        Validation records ``classes_``, ``n_features_in_``, ... before training
        runs: a call that then raises (divergence, an interrupted L-BFGS) must not
        leave them describing data the weights were never trained on. The fit's
        state is adopted in one step, at the end, only when nothing raised.
        """
        written = (*_VALIDATION_WRITES, *FitState.names())
        before = {name: vars(self)[name] for name in written if name in vars(self)}
        # A continued fit draws from the fitted random state itself (no copy).
        rng = before.get("_rng")
        rng_state = None if rng is None else rng.get_state(legacy=False)
        try:
            state, continuation = self._fit_unguarded(
                X,
                y,
                sample_weight,
                incremental=incremental,
                classes=classes,
                validation=(X_val, y_val, sample_weight_val),
            )
        except BaseException:
            for name in written:
                vars(self).pop(name, None)
            vars(self).update(before)
            if rng_state is not None:
                rng.set_state(rng_state)
            raise
        vars(self).update(state.attributes())
        if continuation is None:
            self._forget_scratch()  # a fresh or deep-copied layout: no spares yet
        else:
            continuation.adopt(state)
        return self

    def _fit_unguarded(self, X, y, sample_weight, *, incremental, classes, validation):
        """Train; return the trained ``FitState`` and what adopts its scratch.

        ``validation`` is fit's ``(X_val, y_val, sample_weight_val)``.
        """
        # Parameters were validated by the public method's ``_fit_context``.
        hidden = self._hidden_units()
        self._check_solver_options(incremental)
        first_call = not hasattr(self, "coefs_") or (
            not self.warm_start and not incremental
        )
        with np.errstate(over="ignore", invalid="ignore"):  # see _validated_targets
            X_valid, Y, targets = self._validated_targets(
                X,
                y,
                first_call=first_call,
                incremental=incremental,
                classes=classes,
                sample_weight=sample_weight,
            )
        data = Data(X_valid, Y, self._sample_weight(X_valid, y, sample_weight))
        lbfgs = self.solver == "lbfgs"
        # A validation set of the user's (lbfgs ignores it, as early_stopping).
        given = check_validation_set(
            targets,
            data,
            *validation,
            early_stopping=self.early_stopping,
            class_weight=self._class_weight(),
            check_X=self._checked_input,
        )
        early_stopping = (
            not lbfgs
            and not incremental
            and self._holds_out_validation(data, targets, given)
        )
        if first_call:
            self._forget_scratch()  # nothing of an earlier call's layout is of use
            state = self._fresh_state(data, targets, hidden, early_stopping)
            continuation, flat = None, None
        else:
            self._check_continuable(data, hidden)
            state, continuation = self._continued_state(data.X.dtype, lbfgs)
            flat = None if continuation is None else continuation.flat
        net = self._network(state)
        if flat is None:
            flat = net.flatten()  # the state's arrays become views of one buffer
        monitor = None
        if early_stopping:
            validation = given
            if validation is None:  # as MLP: held out of the training rows
                data, validation = split_validation(
                    data, targets, self.validation_fraction, state._rng
                )
            monitor = self._validation_monitor(validation, targets, state)
        settings = self._training_settings(data.n_samples, early_stopping, incremental)
        max_epochs = 1 if incremental else self.max_iter + lbfgs
        hooks = self._epoch_hooks(state, X, y, data.sample_weight, max_epochs)
        # The products' size sets the BLAS threads: a batch's, or the whole data's.
        units = [data.X.shape[1], *hidden, data.Y.shape[1]]
        with (
            limited_blas(settings.batch_size, units, fit=True),
            nullcontext()
            if is_numpy(data.X)
            else limited_device_threads(data.X, settings.batch_size, units),
            np.errstate(
                over="ignore", invalid="ignore", divide="ignore", under="ignore"
            ),
        ):
            if lbfgs:
                fit_lbfgs(state, net, flat, data, settings, hooks)
            elif not is_numpy(flat):  # another array library
                workspace = Workspace(net, flat)
                fit_stochastic(state, net, data, settings, workspace, hooks, monitor)
            else:
                kept = self._scratch()
                workspace = Workspace.reuse(kept.workspace, net, flat)
                kept.workspace = workspace
                if continuation is not None:
                    workspace.first_step_into = continuation.first_step_into
                fit_stochastic(state, net, data, settings, workspace, hooks, monitor)
        hooks.end_fit()
        return state, continuation

    def _validated_targets(
        self, X, y, *, first_call, incremental, classes, sample_weight=None
    ):
        """``(X, Y, targets)``: ``X`` validated, ``y`` encoded by the target coding.

        A first call fits the coding (``classes_``); a later one checks ``y``
        against it. A continued ``partial_fit`` on plain arrays of known labels
        takes the fast checks of ``_fast_input``. Called with overflow
        warnings off: scikit-learn's finiteness check sums ``X``, which
        overflows near the float limit (then ``inf - inf`` warns "invalid"); it
        still finds real NaN and inf, and casting ``y`` may overflow float32.
        """
        targets = None if first_call else self._target_coding
        if incremental and not first_call:
            X_fast = self._fast_input(X)
            Y = None if X_fast is None else targets.encode_fast(y, X_fast.dtype)
            if Y is not None and Y.shape[0] == X_fast.shape[0]:
                return X_fast, Y, targets
        X, y = self._checked_input(X, y, reset=first_call, sample_weight=sample_weight)
        if not first_call:  # the fitted weights' namespace and device, or refuse
            check_same_namespace(
                X,
                self.coefs_[0],
                type(self).__name__,
                "partial_fit" if incremental else "fit",
            )
        if not is_numpy(X):
            # Another array library (array API dispatch): labels are coded on
            # the host, once a call, and the targets move to X's device.
            return self._validated_generic_targets(
                X, y, first_call, incremental, classes, sample_weight
            )
        if y.ndim == 2 and y.shape[1] == 1:
            # As MLP: a column y is 1-D y, with a DataConversionWarning.
            y = column_or_1d(y, warn=True)
        if first_call:
            targets = self._target_coding = self._new_targets(y, classes, sample_weight)
            if targets.classes is not None:
                self.classes_ = targets.classes
        else:
            targets.check_continued(y, same_classes=self.warm_start and not incremental)
        return X, targets.encode(y, X.dtype), targets

    # -- input: the drop-ins take arrays, as MLP; the tabular pair encodes tables --
    def _checked_input(self, X, y="no_validation", *, reset=False, sample_weight=None):
        """``X`` (and, given ``y``, ``(X, y)``) checked as the network takes them.

        scikit-learn's ``validate_data``: dense or sparse floats, ``reset``
        recording ``n_features_in_`` and ``feature_names_in_``. Fit, prediction
        and a given validation set all come through here; the tabular pair
        (``_tabular``) encodes its tables here instead, its encoder fitted on
        rows weighted by a fit's ``sample_weight`` (unchecked; ignored here).
        """
        refuse_complex(X)
        if isinstance(y, str) and y == "no_validation":  # validate_data's marker
            return validate_data(
                self,
                X,
                accept_sparse=["csr", "csc"],
                dtype=float_dtypes(X),
                reset=reset,
            )
        return validate_data(
            self,
            X,
            y,
            accept_sparse=["csr", "csc"],
            multi_output=True,
            y_numeric=is_regressor(self),
            dtype=float_dtypes(X),
            reset=reset,
        )

    def _fast_input(self, X):
        """``X`` itself if the microsecond checks of ``_fast_input`` pass, else None.

        Only a fitted model without feature names (those decide warnings)
        whose weights are NumPy's takes them.
        """
        params = vars(self)
        if (
            "coefs_" not in params
            or "feature_names_in_" in params
            or type(params["coefs_"][0]) is not np.ndarray  # fitted on another library
        ):
            return None
        return fast_validated(X, params.get("n_features_in_"))

    def _class_weight(self):
        """The ``class_weight`` parameter: a classifier's; None for a regressor."""
        return None

    def _label_smoothing(self):
        """``label_smoothing``: a classifier's; a regressor's targets are not labels."""
        return 0.0

    def _validated_generic_targets(
        self, X, y, first_call, incremental, classes, sample_weight=None
    ):
        """``_validated_targets`` for ``X`` of another array library.

        ``y`` goes to the host (scikit-learn's rule: everything follows ``X``,
        so ``y`` may come from anywhere), is checked and coded there exactly
        as NumPy's ``y`` is, and the coded targets move to ``X``'s device in
        its dtype. ``classes_`` lives on that device too when the labels are
        numbers (strings stay NumPy's), as scikit-learn's array API
        classifiers keep them.
        """
        y = to_numpy(y)
        if y.ndim == 2 and y.shape[1] == 1:
            y = column_or_1d(y, warn=True)
        if first_call:
            if sample_weight is not None:  # weights the coding as NumPy's fit does
                sample_weight = to_numpy(sample_weight)
            targets = self._target_coding = self._new_targets(y, classes, sample_weight)
            if targets.classes is not None:
                self.classes_ = targets.classes_like(X)
        else:
            targets = self._target_coding
            targets.check_continued(y, same_classes=self.warm_start and not incremental)
        return X, to_device_of(targets.encode(y, np.float64), X), targets

    def _sample_weight(self, X, y, sample_weight):
        """``sample_weight`` checked, times ``class_weight``'s (a classifier's)."""
        if not is_numpy(X):
            # Checked and weighed on the host as for NumPy's X (of X's dtype),
            # then moved to X's device.
            host_X = np.empty((X.shape[0], 0), numpy_dtype(X))
            if hasattr(y, "__dlpack__"):
                y = to_numpy(y)
            if hasattr(sample_weight, "__dlpack__"):
                sample_weight = to_numpy(sample_weight)
            weights = self._sample_weight(host_X, y, sample_weight)
            return None if weights is None else to_device_of(weights, X)
        class_weight = self._class_weight()
        if class_weight is not None:
            sample_weight = self._target_coding.weights(class_weight, y, sample_weight)
        return checked_sample_weight(sample_weight, X)

    def _hidden_units(self):
        """``hidden_layer_sizes`` as a list, with one activation per layer."""
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

    def _check_solver_options(self, incremental):
        if self.solver == "lbfgs" and self.dropout > 0:
            raise ValueError(
                "dropout needs a stochastic solver ('sgd' or 'adam'): L-BFGS "
                "cannot follow a random objective. Got solver='lbfgs', "
                f"dropout={self.dropout}."
            )
        if incremental and self.early_stopping:
            raise ValueError("partial_fit does not support early_stopping=True")

    def _holds_out_validation(self, data, targets, given):
        """Whether a stochastic ``fit`` stops early on a validation set."""
        return bool(self.early_stopping)

    def _fresh_state(self, data, targets, hidden, early_stopping):
        """A new fit's state: weights drawn from ``random_state``, empty histories.

        ``early_stopping``: whether this fit keeps validation histories.
        """
        rng = check_random_state(self.random_state)
        dtype = data.X.dtype
        units = [data.X.shape[1], *hidden, data.Y.shape[1]]
        coefs, intercepts = init_weights(
            units, self.init, self.activation, self.fit_intercept, rng, dtype, data.X
        )
        batch_norm = None
        if self.batch_norm:
            if is_numpy(data.X):
                batch_norm = BatchNormState.fresh(hidden, dtype)
            else:  # made on the host, moved to the device
                batch_norm = BatchNormState.fresh(hidden, np.float64)
                batch_norm = batch_norm.__sklearn_array_api_convert__(
                    lambda a: to_device_of(a, data.X)
                )
        return FitState(
            coefs_=coefs,
            intercepts_=intercepts,
            batch_norm_=batch_norm,
            n_layers_=len(units),
            n_outputs_=data.Y.shape[1],
            out_activation_=targets.out_activation,
            _rng=rng,
            best_loss_=None if early_stopping else np.inf,
            validation_scores_=[] if early_stopping else None,
            validation_loss_curve_=[] if early_stopping else None,
            best_validation_score_=-np.inf if early_stopping else None,
        )

    def _check_continuable(self, data, hidden):
        """Refuse a continued fit whose data or parameters the network cannot take."""
        if data.Y.shape[1] != self.n_outputs_:
            raise ValueError(
                f"y has {data.Y.shape[1]} outputs, but the fitted network has "
                f"{self.n_outputs_}."
            )
        fitted_hidden = [W.shape[1] for W in self.coefs_[:-1]]
        if fitted_hidden != hidden:
            raise ValueError(
                f"hidden_layer_sizes={self.hidden_layer_sizes} differs from the fitted "
                f"network's {tuple(fitted_hidden)}: refit with warm_start=False."
            )
        if bool(self.batch_norm) != (self.batch_norm_ is not None):
            raise ValueError(
                f"batch_norm={self.batch_norm} differs from the fitted network's "
                f"{self.batch_norm_ is not None}: refit with warm_start=False."
            )

    def _continued_state(self, dtype, lbfgs):
        """``(state, continuation)`` to continue the fitted model, left untouched.

        Over spare arrays where it can be (a ``_continued.Continuation``), else
        a deep copy (continuation None), converted to the data's dtype if that
        changed.
        """
        state = FitState.of(self)
        # Another array library's fit continues from a deep copy: no spares.
        if is_numpy(self.coefs_[0]) and self.coefs_[0].dtype == dtype:
            continuation = self._scratch().continue_from(
                state, fit_intercept=self.fit_intercept, lbfgs=lbfgs
            )
            if continuation is not None:
                return state, continuation
        self._forget_scratch()
        state = copy.deepcopy(FitState.of(self))
        if dtype != state.coefs_[0].dtype:
            net = self._network(state, dtype)
            state.coefs_, state.intercepts_ = net.coefs, net.intercepts
            state.batch_norm_, state._optimizer = net.batch_norm, None
        return state, None

    def _scratch(self):
        """This estimator's ``_continued.Scratch``, kept between calls."""
        kept = _SCRATCH.get(self)
        if kept is None:
            kept = _SCRATCH[self] = Scratch()
        return kept

    def _forget_scratch(self):
        """Drop the scratch memory (a fresh fit: the old layout is no use)."""
        _SCRATCH.pop(self, None)

    def _validation_monitor(self, validation, targets, state):
        scorer = None
        if self.scoring not in (None, "loss"):
            scorer = check_scoring(self, self.scoring)
        return ValidationMonitor(
            validation,
            targets,
            self._objective(),
            self.scoring,
            scorer,
            self._scoring_view,
        )

    def _scoring_view(self, state):
        """A copy of the estimator predicting with ``state``'s weights as they stand.

        A ``scoring`` scorer calls it on the validated array: no feature names.
        """
        est = copy.copy(self)
        vars(est).update(state.attributes())
        vars(est).pop("feature_names_in_", None)
        return est

    def _objective(self):
        return Objective(
            self.loss, self.alpha, self._loss_params(), self._label_smoothing()
        )

    def _training_settings(self, n_samples, early_stopping, incremental):
        lbfgs = self.solver == "lbfgs"
        if self.solver == "sgd":
            new_optimizer = partial(
                SGD,
                learning_rate_init=self.learning_rate_init,
                lr_schedule=self.learning_rate,
                momentum=self.momentum,
                nesterov=self.nesterovs_momentum,
                power_t=self.power_t,
            )
        else:
            new_optimizer = partial(
                Adam,
                learning_rate_init=self.learning_rate_init,
                beta_1=self.beta_1,
                beta_2=self.beta_2,
                epsilon=self.epsilon,
            )
        return TrainingSettings(
            solver=self.solver,
            objective=self._objective(),
            batch_size=n_samples if lbfgs else self._batch_rows(n_samples),
            shuffle=self.shuffle,
            max_grad_norm=self.max_grad_norm,
            max_iter=self.max_iter,
            max_fun=self.max_fun,
            tol=self.tol,
            n_iter_no_change=self.n_iter_no_change,
            early_stopping=early_stopping,
            incremental=incremental,
            verbose=bool(self.verbose),
            learning_rate_init=self.learning_rate_init,
            new_optimizer=new_optimizer,
            learning_rate=self.learning_rate,
            weight_decay=self.weight_decay,
        )

    def _batch_rows(self, n_samples):
        """Rows of one mini-batch: ``batch_size`` ("auto": 200) within ``n_samples``."""
        if self.batch_size == "auto":
            return min(200, n_samples)
        if self.batch_size > n_samples:
            warnings.warn(
                "Got `batch_size` less than 1 or larger than sample size. It is going "
                "to be clipped"
            )
        return int(np.clip(self.batch_size, 1, n_samples))

    def _epoch_hooks(self, state, X, y, sample_weight, max_epochs):
        """The callbacks' hooks around each epoch; nothing without callbacks."""
        if not getattr(self, "_skl_callbacks", None):
            return NoHooks()
        root = self._init_callback_context(max_subtasks=max_epochs)
        metadata = None if sample_weight is None else {"sample_weight": sample_weight}
        return EpochHooks(root, CallbackArguments(self, X, y, metadata), state)

    # -- the network of the fitted (or training) state ----------------------------
    def _network(self, state=None, dtype=None):
        """The ``Network`` over ``state``'s arrays (the fitted ones by default).

        With ``dtype`` (float64 input to a float32 model), over copies in it.
        """
        self._check_activation_count(len((state or self).coefs_) - 1)
        net = fitted_network(self, state)
        if dtype is not None and dtype != net.coefs[0].dtype:
            net = net.astype(dtype)
        return net

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        tags.array_api_support = True
        return tags


def fitted_network(est, state=None):
    """The ``Network`` of a fitted ToyNet estimator, sharing its arrays.

    Reads only public fitted attributes (``coefs_``, ``intercepts_``,
    ``batch_norm_``, ``out_activation_``) and parameters (``activation``,
    ``fit_intercept``, ``dropout``): the ONNX converter builds its graph from
    it. With ``state`` (a fit in progress, whose fields have the fitted
    attributes' names), the weights are ``state``'s.
    """
    fitted = est if state is None else state
    return Network(
        coefs=fitted.coefs_,
        intercepts=fitted.intercepts_,
        activation=est.activation,
        out_activation=fitted.out_activation_,
        fit_intercept=est.fit_intercept,
        dropout=est.dropout,
        batch_norm=fitted.batch_norm_,
    )


# An estimator's scratch memory between calls (see ``_continued``): beside it,
# not in its attributes, so it is never pickled, cloned or compared.
_SCRATCH = weakref.WeakKeyDictionary()  # estimator -> Scratch
