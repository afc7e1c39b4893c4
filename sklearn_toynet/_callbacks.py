"""Bridge to scikit-learn's callback API (``sklearn.callback``, scikit-learn >= 1.9).

A fit is one root task whose subtasks are the epochs (or L-BFGS iterations):
``ProgressBar`` draws one bar over them, ``ScoringMonitor`` scores the model as it
stands after each, and a callback whose ``on_fit_task_end`` returns True stops
the fit after that epoch. With an older scikit-learn, ``set_callbacks`` raises a
clear ImportError and fitting is unaffected.
"""

from typing import NamedTuple

import sklearn

try:
    from sklearn.callback import CallbackSupportMixin
except ImportError:  # scikit-learn < 1.9

    class CallbackSupportMixin:
        """Stand-in that explains why callbacks are unavailable."""

        def set_callbacks(self, *callbacks):
            """Callbacks need ``sklearn.callback`` (scikit-learn >= 1.9).

            Parameters
            ----------
            *callbacks : callback instances
                The callbacks that would have been set.

            Returns
            -------
            self : estimator instance
                Never returns: always raises.
            """
            raise ImportError(
                "Callbacks need scikit-learn >= 1.9 (the sklearn.callback module); "
                f"scikit-learn {sklearn.__version__} is installed. Upgrade it with "
                "`pip install -U scikit-learn`, or use verbose=True for progress."
            )


class NoHooks:
    """What a fit without callbacks calls: nothing, at no cost per epoch."""

    def begin_epoch(self):
        pass

    def end_epoch(self):
        return False

    def abandon_epoch(self):
        pass

    def end_fit(self):
        pass


class CallbackArguments(NamedTuple):
    """What scikit-learn's callback API hands every hook of one fit.

    The estimator bundles them once (``BaseToyNet._epoch_hooks``); the hooks
    pass them on as they are and never read the estimator themselves.
    """

    estimator: object
    X: object
    y: object
    metadata: dict | None  # {"sample_weight": ...}, or None


class EpochHooks:
    """Calls the estimator's callbacks around the fit and each of its epochs.

    ``root`` is the fit's callback context (``_init_callback_context``);
    ``arguments`` are the fit's :class:`CallbackArguments`; callbacks that
    rebuild the model as it stands get ``state``'s attributes, the weights
    copied (they train in place).
    """

    def __init__(self, root, arguments, state):
        self._root, self._arguments, self._state = root, arguments, state
        self._root.call_on_fit_task_begin(**arguments._asdict())
        self._epoch = None

    def _fitted_attributes(self):
        return self._state.attributes(copy_weights=True)

    def _call(self, hook, **extra):
        return hook(
            **self._arguments._asdict(),
            reconstruction_attributes=self._fitted_attributes,
            **extra,
        )

    def begin_epoch(self):
        self._epoch = self._root.subcontext(task_name="epoch")
        self._call(self._epoch.call_on_fit_task_begin)

    def end_epoch(self):
        """Return True when a callback asks the fit to stop."""
        return bool(self._call(self._epoch.call_on_fit_task_end))

    def abandon_epoch(self):
        """End an epoch that was begun but never ran (L-BFGS's last one)."""
        self._epoch.call_on_fit_task_end(estimator=self._arguments.estimator)

    def end_fit(self):
        self._call(self._root.call_on_fit_task_end)
