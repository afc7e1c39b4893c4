"""Prediction's entry points, shared by the classifier and the regressor.

Input checked against the fitted model (a fast path for float ndarrays,
scikit-learn's ``validate_data`` for everything else), the dtype it is
computed in, and the forward pass under the call's BLAS thread limit.
"""

import numpy as np
from sklearn.utils.validation import check_is_fitted

from ._array_api import check_same_namespace, is_numpy, namespace
from ._threads import limited_blas, limited_device_threads


class PredictingMixin:
    """``_validated_input``, ``_forward_output`` and ``activations`` for BaseToyNet.

    Needs the fitted attributes and ``self._network(state)``.
    """

    def _validated_input(self, X, method="predict"):
        """``X`` checked against the fitted model, and the network to run it.

        As MLP, by numpy's promotion: float64 input meets float32 weights in
        float64 (then a float64 answer's rows sum to 1 in float64); float32
        input stays float32, as the weights' dtype otherwise. A float
        ndarray takes the fast checks of ``_fast_input``, anything else (and
        anything they refuse) scikit-learn's ``validate_data``.
        """
        X_fast = self._fast_input(X)
        if X_fast is not None:
            X = X_fast
        else:
            check_is_fitted(self)
            # scikit-learn's finiteness check sums X, which overflows near the
            # float limit (then inf - inf warns "invalid"); it still finds real NaN
            # and inf.
            with np.errstate(over="ignore", invalid="ignore"):
                X = self._checked_input(X)
            check_same_namespace(X, self.coefs_[0], type(self).__name__, method)
            if not is_numpy(X):  # another array library: its own promotion
                xp = namespace(X)
                dtype = xp.result_type(X.dtype, self.coefs_[0].dtype)
                return xp.astype(X, dtype, copy=False), self._network(dtype=dtype)
        dtype = np.result_type(X.dtype, self.coefs_[0].dtype)
        return X.astype(dtype, copy=False), self._network(dtype=dtype)

    def _forward_output(self, X, method="predict"):
        X, net = self._validated_input(X, method)
        rows = min(X.shape[0], net.chunk_rows(X.shape[1]))
        units = [X.shape[1], *(W.shape[1] for W in net.coefs)]
        # Network.predict computes rows that overflow again, clipped: no warnings.
        if not is_numpy(X):  # another array library
            with limited_device_threads(X, rows, units), np.errstate(all="ignore"):
                return net.predict(X)
        with limited_blas(rows, units, fit=False), np.errstate(all="ignore"):
            return net.predict(X)

    def activations(self, X):
        """Every layer's activations for ``X``: the blog's ``l0, l1, l2, ...``.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            The input samples.

        Returns
        -------
        activations : list of ndarray
            ``[X, A1, ..., output]``: the input as validated, each hidden layer's
            activations (shape ``(n_samples, units)``) and the output layer's
            (probabilities for a classifier). Hidden layers make features for
            another model.
        """
        X, net = self._validated_input(X, "activations")
        # Rows that overflow in any layer are computed again, saturated.
        with np.errstate(all="ignore"):
            return net.predict(X, every_layer=True)
