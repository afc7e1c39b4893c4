"""A fully connected network: its weights, forward pass and backward pass.

No scikit-learn estimator code. The names follow the blog post: activations
``A[0] = X`` (the blog's ``l0``), ``A[1]`` (``l1``), ...; weights ``coefs[i]``
(``syn0``, ``syn1``); ``delta`` is the error of a layer scaled by the slope of its
activation (``l1_delta``).

``Network.layers()`` is the plan every forward pass reads: training's, prediction's
and the ONNX graph's (:mod:`._onnx_graph`), built once per network and kept.
Inputs near the float limit stay finite through saturated layers: each layer's
input is clipped to :func:`input_bound` and its pre-activations to :func:`big`,
and ``Network.predict`` computes again that way the rows whose unguarded pass
(no clipping) overflowed.

Arrays of another Array API library (PyTorch, CuPy, array-api-strict; see
``_array_api``) take the generic path in their namespace: the ``GENERIC_*``
activation tables, no ``out=`` buffers, no chunks; the trainable arrays are
views of one flat buffer there too.
"""

from dataclasses import dataclass, replace
from typing import NamedTuple

import numpy as np
import scipy.sparse as sp

from ._activations import NEEDS_Z, per_layer, tables
from ._array_api import (
    astype,
    copy_of,
    is_numpy,
    namespace,
    ones_vector,
    to_device_of,
)
from ._batchnorm import batch_norm_backward, batch_norm_forward


@dataclass
class BatchNormState:
    """Learned scale/shift and running statistics of every hidden layer.

    The fitted ``batch_norm_`` attribute of a ToyNet estimator trained with
    ``batch_norm=True``; each list holds one array per hidden layer, of that
    layer's width.

    Attributes
    ----------
    gammas : list of ndarray
        Learned scales of the normalized pre-activations (start at 1).
    betas : list of ndarray
        Learned shifts (start at 0).
    running_means : list of ndarray
        Running means of the pre-activations, used at prediction time.
    running_vars : list of ndarray
        Running variances of the pre-activations, used at prediction time.
    """

    gammas: list
    betas: list
    running_means: list
    running_vars: list

    @classmethod
    def fresh(cls, hidden_units, dtype):
        """The state before training: identity scale/shift, unit statistics."""
        ones = [np.ones(n, dtype=dtype) for n in hidden_units]
        zeros = [np.zeros(n, dtype=dtype) for n in hidden_units]
        return cls(
            gammas=ones,
            betas=zeros,
            running_means=[z.copy() for z in zeros],
            running_vars=[o.copy() for o in ones],
        )

    def __sklearn_array_api_convert__(self, converter):
        """A copy with every array converted (scikit-learn's ``move_estimator_to``)."""
        return type(self)(
            *([converter(a) for a in arrays] for arrays in vars(self).values())
        )


class ForwardCache:
    """Everything one forward pass leaves for the backward pass.

    A plain class with slots, not a dataclass: one is made every training step,
    and the dataclass's field factories made that 0.47 us instead of 0.25, in a
    forward pass of the blog's network that takes about 3.4 us.
    """

    __slots__ = ("A", "H", "Z", "masks", "bn")

    def __init__(self, X):
        self.A = [X]  # inputs of each layer, then the output (after dropout, if any)
        self.H = [X]  # hidden activations before dropout (for the derivatives)
        self.Z = []  # per hidden layer: Z if NEEDS_Z, else None
        self.masks = []  # inverted-dropout masks
        self.bn = []  # batch-norm caches

    @property
    def output(self):
        return self.A[-1]


def _matmul(A, W, out=None):
    """``A @ W`` into ``out`` when given; ``A`` may be a scipy sparse matrix."""
    # Inline, not ``is_numpy``: called for every layer of every pass (twice in
    # the backward pass), where a function call shows in the Small calls row
    # "predict_proba, 1 row" of benchmarks/ (a sparse A takes the other branch).
    if isinstance(A, np.ndarray):
        if (A.flags.forc and W.flags.forc) or A.shape[1] == 1:
            # np.dot skips np.matmul's ufunc machinery: 0.4 us a product instead
            # of 0.7 on the blog's 4 x 4 arrays (5 products an epoch of
            # "Blog network: 3-4-1 sigmoid, 4 rows, full batch" in
            # benchmarks/). On C- or F-ordered operands both make the same BLAS
            # call (``forc``: C- or F-ordered), so the same products; an outer
            # product (a binary output's delta sent back) is one multiplication
            # an entry either way.
            return np.dot(A, W, out=out)
        # A strided operand: np.matmul multiplies it in place, np.dot would copy
        # it and call BLAS, summing in another order.
        return np.matmul(A, W, out=out)
    # A sparse matrix's product (a NumPy matrix), or another array library's.
    result = np.asarray(A @ W) if sp.issparse(A) else A @ W
    if out is None:
        return result
    out[...] = result
    return out


def _matmul_transposed(A, W, out=None):
    """``A @ W.T`` into ``out``: the backward pass's delta sent back through ``W``.

    A large product (about 6,000 entries or more) of a delta of several columns
    takes np.matmul: with the transposed (F-ordered) weights its BLAS call runs
    faster than np.dot's, with the same sums to the bit (every shape tried):
    13 us instead of 17 for a 10-class output's 200 x 10 delta sent back to 100
    units (one thread). Smaller products and outer products (a binary output's
    delta: 9 us against 26) stay with ``_matmul``'s np.dot; the size is asked
    first, so the blog's 4 x 4 arrays pay one comparison. ``A`` is a delta:
    dense, NumPy's or another library's.
    """
    if (
        A.shape[0] * W.shape[0] >= 6000
        and A.shape[1] > 1
        and is_numpy(A)
        and A.flags.forc
    ):
        return np.matmul(A, W.T, out=out)
    return _matmul(A, W.T, out=out)


def views_of(flat, arrays):
    """Consecutive views of ``flat`` shaped like ``arrays``."""
    views, start = [], 0
    if not is_numpy(flat):  # another array library
        reshape = namespace(flat).reshape
        for a in arrays:
            size = int(np.prod(a.shape))
            views.append(reshape(flat[start : start + size], a.shape))
            start += size
        return views
    for a in arrays:
        views.append(flat[start : start + a.size].reshape(a.shape))
        start += a.size
    return views


# -- saturation: a forward pass that cannot overflow ---------------------------------
def big(dtype):
    """A quarter of the dtype's largest value: sums of a few such stay finite."""
    return np.finfo(dtype).max / 4


def input_bound(W, dtype=None):
    """The largest ``|a|`` of a layer's input that keeps ``a @ W`` within ``big``.

    ``dtype`` is the one the layer computes in (``W``'s by default); ``W``'s
    column sums are taken in the wider of the two, as the product is.
    """
    dtype = W.dtype if dtype is None else np.dtype(dtype)
    W = W.astype(np.result_type(W, dtype), copy=False)
    return big(dtype) / (1 + float(np.abs(W).sum(axis=0).max(initial=0)))


def _generic_big(Z):
    """``big`` of another array library's ``Z``."""
    return float(namespace(Z).finfo(Z.dtype).max) / 4


def _generic_input_bound(W, dtype):
    """``input_bound`` of another array library's ``W``, computing in ``dtype``."""
    xp = namespace(W)
    W = xp.astype(W, xp.result_type(W.dtype, dtype))
    column_sums = xp.sum(xp.abs(W), axis=0)
    largest = float(xp.max(column_sums)) if column_sums.shape[0] else 0.0
    return float(xp.finfo(dtype).max) / 4 / (1 + largest)


def _clipped(A, bound):
    """A copy of ``A`` clipped to ``[-bound, bound]``; ``A`` may be sparse."""
    if not is_numpy(A):  # another array library
        return namespace(A).clip(A, min=-bound, max=bound)
    if sp.issparse(A):  # clip the stored values; zeros are within any bound
        A = A.copy()
        np.clip(A.data, -bound, bound, out=A.data)
        return A
    return np.clip(A, -bound, bound)


def _clip_to_big(Z):
    """``Z`` clipped to within ``big`` (in place for NumPy's): no sum overflows."""
    if not is_numpy(Z):  # another array library: a new array
        bound = _generic_big(Z)
        return namespace(Z).clip(Z, min=-bound, max=bound)
    return np.clip(Z, -big(Z.dtype), big(Z.dtype), out=Z)


# -- the plan: what one layer computes ------------------------------------------------
class LayerBatchNorm(NamedTuple):
    """One hidden layer's batch-norm arrays, in ``batch_norm_forward``'s order."""

    gamma: np.ndarray
    beta: np.ndarray
    running_mean: np.ndarray
    running_var: np.ndarray


class Layer(NamedTuple):
    """One layer of a network: ``Z = A @ W + b``, batch norm, then the activation.

    The arrays are the network's own, not copies. A saturated pass clips the
    layer's input to ``input_bound(dtype)`` and each pre-activation to ``big``.
    Built once per network (see ``Network.layers``) and read by every pass.

    Attributes
    ----------
    W : ndarray of shape (n_in, n_out)
        The weights (the blog's ``syn0``, ``syn1``).
    b : ndarray of shape (n_out,) or None
        The intercepts; None for a network without them.
    activation : str
        The activation's name: a key of ``ACTIVATIONS``, for the output layer of
        ``OUTPUT_ACTIVATIONS``.
    batch_norm : LayerBatchNorm or None
        The normalization of ``Z`` before the activation (hidden layers of a
        network with batch norm only).
    is_output : bool
        Whether this is the output layer.
    """

    W: np.ndarray
    b: np.ndarray | None
    activation: str
    batch_norm: LayerBatchNorm | None
    is_output: bool

    def input_bound(self, dtype=None):
        """The saturation bound of this layer's input (see :func:`input_bound`)."""
        if not is_numpy(self.W):  # another array library
            return _generic_input_bound(
                self.W, self.W.dtype if dtype is None else dtype
            )
        return input_bound(self.W, dtype)


@dataclass
class Network:
    """The weights of a network and the math that runs it.

    ``coefs``, ``intercepts`` and ``batch_norm`` are the estimator's own fitted
    arrays (not copies): an optimizer updating ``params()`` in place trains them.
    """

    coefs: list
    intercepts: list
    activation: str | tuple = "logistic"  # one name, or one per hidden layer
    out_activation: str = "logistic"
    fit_intercept: bool = True
    dropout: float = 0.0
    batch_norm: BatchNormState | None = None

    def __post_init__(self):
        # Each hidden layer's activation name, looked up once, not every pass.
        self._plan = None  # the layer plan, built once (see ``layers``)
        n_hidden = len(self.coefs) - 1
        self.hidden_activations = per_layer(self.activation, n_hidden)
        if len(self.hidden_activations) != n_hidden:
            raise ValueError(
                f"activation has {len(self.hidden_activations)} names for "
                f"{n_hidden} hidden layers: {self.activation!r}."
            )
        # NumPy's in-place functions, or another array library's generic ones
        # (``_activations.Tables``): chosen once, by the weights' library (the
        # data's, on a fit's path).
        self._tables = tables(self.coefs[0])

    def astype(self, dtype):
        """This network over copies of its arrays in ``dtype`` (itself if already)."""
        if self.coefs[0].dtype == dtype:
            return self
        bn = self.batch_norm
        if bn is not None:  # arrays of any library (see ``_array_api.astype``)
            bn = bn.__sklearn_array_api_convert__(lambda a: astype(a, dtype))
        return replace(
            self,
            coefs=[astype(W, dtype) for W in self.coefs],
            intercepts=[astype(b, dtype) for b in self.intercepts],
            batch_norm=bn,
        )

    @property
    def n_layers(self):
        return len(self.coefs)

    def layers(self):
        """The plan of every forward pass: one :class:`Layer` per weight matrix.

        Built on first use and kept (a forward pass of the blog's network takes
        a few microseconds: building it each time was a tenth of that) until
        ``use_buffer`` swaps the arrays. The fields are set once: to change one,
        build a new ``Network`` (``dataclasses.replace``).
        """
        if self._plan is None:
            self._plan = self._build_plan()
        return self._plan

    def _build_plan(self):
        last = len(self.coefs) - 1
        names = self.hidden_activations
        bn = self.batch_norm
        plan = []
        for i, W in enumerate(self.coefs):
            output = i == last
            norm = None
            if bn is not None and not output:
                norm = LayerBatchNorm(
                    bn.gammas[i], bn.betas[i], bn.running_means[i], bn.running_vars[i]
                )
            b = self.intercepts[i] if self.fit_intercept else None
            activation = self.out_activation if output else names[i]
            plan.append(Layer(W, b, activation, norm, output))
        return plan

    def flatten(self):
        """Move the trainable arrays into one contiguous buffer; return it.

        Each array is replaced, in the lists the network shares with its owner,
        by a view of the buffer: the optimizer then steps one array, not one per
        layer, with the same arithmetic.
        """
        params = self.params()
        if is_numpy(params[0]):
            flat = np.concatenate([a.ravel() for a in params])
        else:  # another array library
            xp = namespace(params[0])
            flat = xp.concat([xp.reshape(a, (-1,)) for a in params])
        self.use_buffer(flat)
        return flat

    def use_buffer(self, flat):
        """Make the trainable arrays views of ``flat``, laid out as ``flatten``'s.

        The lists shared with the owner are updated; ``flat``'s values are
        taken as they are (a continued fit's first step writes them).
        """
        views = iter(views_of(flat, self.params()))
        for group in (self.coefs, self.intercepts if self.fit_intercept else []):
            group[:] = [next(views) for _ in group]
        if self.batch_norm is not None:
            for group in (self.batch_norm.gammas, self.batch_norm.betas):
                group[:] = [next(views) for _ in group]
        self._plan = None  # the plan held the arrays these views replace

    def params(self):
        """The trainable arrays, in the order ``grads`` come back from backward."""
        params = list(self.coefs)
        if self.fit_intercept:
            params += self.intercepts
        if self.batch_norm is not None:
            params += self.batch_norm.gammas + self.batch_norm.betas
        return params

    def forward(
        self,
        X,
        *,
        train=False,
        rng=None,
        bn_momentum=None,
        buffers=None,
        saturate=False,
        sample_weight=None,
    ):
        """Propagate ``X`` through every layer and return the cache of activations.

        ``train`` turns on dropout (masks drawn from ``rng``) and batch
        statistics (weighted by ``sample_weight``); ``buffers`` (one array per
        layer, ``n_samples`` rows) are written in place of fresh allocations.
        ``saturate`` clips each layer's input to its ``input_bound`` and its
        pre-activations to ``big``, so nothing overflows, for inputs near the
        float limit.
        """
        cache = ForwardCache(X)
        activations = self._tables.activations
        output_activations = self._tables.output_activations
        dropout = self.dropout if train else 0.0
        A_in = X  # each layer's input: X, then the previous layer's output
        for i, layer in enumerate(self.layers()):
            if saturate:
                A_in = _clipped(A_in, layer.input_bound())
            Z = _matmul(A_in, layer.W, out=None if buffers is None else buffers[i])
            if layer.b is not None:
                Z += layer.b
            if saturate:
                Z = _clip_to_big(Z)
            if layer.is_output:
                cache.A.append(output_activations[layer.activation](Z))
                break
            if layer.batch_norm is not None:
                Z, bn_cache = batch_norm_forward(
                    Z,
                    *layer.batch_norm,
                    train=train,
                    momentum=bn_momentum,
                    sample_weight=sample_weight,
                )
                if saturate:
                    Z = _clip_to_big(Z)
                cache.bn.append(bn_cache)
            # gelu and silu keep Z for their derivatives; the others overwrite it.
            keep_Z = train and layer.activation in NEEDS_Z
            cache.Z.append(copy_of(Z) if keep_Z else None)
            H = activations[layer.activation](Z)
            cache.H.append(H)
            if dropout > 0:
                keep = 1.0 - dropout
                # Drawn by NumPy in every namespace: one random_state, one model.
                mask = rng.random_sample(H.shape) < keep
                if is_numpy(H):
                    mask = mask.astype(H.dtype)
                    mask /= keep
                else:  # moved to the device, where it is scaled
                    mask = to_device_of(mask.astype(np.float64), H) / keep
                cache.masks.append(mask)
                H = H * mask
            cache.A.append(H)
            A_in = H
        return cache

    def backward(self, cache, delta, grads, l2_scale=0.0, buffers=None):
        """Propagate the output layer's ``delta`` back; write gradients into ``grads``.

        ``grads`` is laid out as ``params()``. ``l2_scale`` is ``alpha / n``: the
        weight decay added to each weight gradient (intercepts are not decayed).
        ``buffers`` (one array per hidden layer) receive the hidden deltas.
        """
        n = len(self.coefs)
        names = self.hidden_activations
        derivatives = self._tables.derivatives
        fit_intercept = self.fit_intercept
        numpy = fit_intercept and is_numpy(delta)
        # The intercepts' gradients are column sums of the deltas: products with
        # ones (2x faster than sum(axis=0)), one vector for every layer.
        ones = ones_vector(len(delta), delta.dtype) if numpy else None
        # grads[i] is layer i's weight gradient, grads[n + i] its intercept's.
        if self.batch_norm is not None:
            start = len(grads) - 2 * (n - 1)
            grad_gamma = grads[start : start + n - 1]
            grad_beta = grads[start + n - 1 :]
        for i in range(n - 1, -1, -1):
            W = self.coefs[i]
            # The blog's ``syn0 += l0.T.dot(l1_delta)``, as a gradient.
            grad_W = _matmul(cache.A[i].T, delta, out=grads[i])
            if l2_scale:
                grad_W += l2_scale * W
            if numpy:
                np.matmul(ones, delta, out=grads[n + i])
            elif fit_intercept:  # another array library
                grads[n + i][...] = namespace(delta).sum(delta, axis=0)
            if i == 0:
                break
            out = None if buffers is None else buffers[i - 1]
            # The blog's ``l1_error = l2_delta.dot(syn1.T)``.
            delta = _matmul_transposed(delta, W, out=out)
            if cache.masks:
                delta *= cache.masks[i - 1]
            # The blog's ``l1_delta = l1_error * nonlin(l1, deriv=True)``.
            slope_of = cache.Z[i - 1] if names[i - 1] in NEEDS_Z else cache.H[i]
            delta = derivatives[names[i - 1]](slope_of, delta)
            if self.batch_norm is not None:
                delta, grad_gamma[i - 1][...], grad_beta[i - 1][...] = (
                    batch_norm_backward(cache.bn[i - 1], delta)
                )
        return grads

    def chunk_rows(self, n_features, chunk_elements=2**18):
        """Rows per chunk of ``predict``: its widest layer holds ``chunk_elements``."""
        widest = max([W.shape[1] for W in self.coefs] + [n_features])
        return max(64, chunk_elements // widest)

    def predict(self, X, *, every_layer=False, chunk_elements=2**18):
        """The output layer's activations for ``X``, or every layer's; all finite.

        A row that is not finite in what the call returns (an input so large
        that a product overflowed, then ``inf - inf``) is computed again with
        saturated layers (``forward(saturate=True)``); every other row keeps its
        unguarded pass. Call it under ``np.errstate(all="ignore")``.

        Parameters
        ----------
        X : {ndarray, sparse matrix} of shape (n_samples, n_features)
            The input, in the weights' dtype.
        every_layer : bool, default=False
            Return every layer's activations ``[X, A1, ..., output]``, from one
            pass over all rows, rather than the output alone.
        chunk_elements : int, default=2**18
            The output alone is computed a chunk of rows at a time, the chunk's
            widest layer holding about this many values (2 MiB in float64), so
            the layers stay in cache; the chunks reuse one set of buffers and
            write their outputs straight into the result.

        Returns
        -------
        output : ndarray of shape (n_samples, n_outputs), or list of ndarray
            The output layer's activations; with ``every_layer``, the list.
        """
        if not is_numpy(X):
            return self._generic_predict(X, every_layer)
        if every_layer:
            layers = self.forward(X).A
        else:
            output = self._output_in_chunks(X, chunk_elements)
            if np.isfinite(output).all():  # one reduction: the common case
                return output
            layers = [X, output]
        returned = layers[1:]
        for A in returned:  # one reduction per layer: the common case, all finite
            if not np.isfinite(A).all():
                self._recompute_saturated(X, returned)
                break
        return layers if every_layer else layers[-1]

    def _recompute_saturated(self, X, returned):
        """Write, into ``returned``, saturated values of the rows not finite in it.

        ``returned`` is the unguarded pass's layers (or its output layer alone).
        """
        overflowed = np.zeros(X.shape[0], dtype=bool)
        for A in returned:
            overflowed |= ~np.isfinite(A).all(axis=1)
        rows = np.flatnonzero(overflowed)
        X_rows = X[rows]
        X_rows = X_rows.toarray() if sp.issparse(X_rows) else X_rows
        saturated = self.forward(X_rows, saturate=True).A
        # Paired from the output back: ``returned`` may hold the output only.
        for A, S in zip(returned[::-1], saturated[::-1]):
            A[rows] = S

    def _generic_predict(self, X, every_layer):
        """``predict`` for another array library: one pass, no chunks.

        Rows not finite anywhere in what is returned take the saturated pass's
        values (computed over every row, only when some row needs it).
        """
        xp = namespace(X)
        layers = self.forward(X).A
        returned = layers[1:] if every_layer else layers[-1:]
        finite = [xp.all(xp.isfinite(A), axis=1) for A in returned]
        overflowed = ~finite[0]
        for rows in finite[1:]:
            overflowed = overflowed | ~rows
        if bool(xp.any(overflowed)):
            saturated = self.forward(X, saturate=True).A
            overflowed = xp.reshape(overflowed, (-1, 1))
            layers = layers[:1] + [
                xp.where(overflowed, S, A) for A, S in zip(layers[1:], saturated[1:])
            ]
        return layers if every_layer else layers[-1]

    def _output_in_chunks(self, X, chunk_elements):
        """The unguarded pass's output layer, ``chunk_rows`` rows at a time."""
        n_samples = X.shape[0]
        chunk = self.chunk_rows(X.shape[1], chunk_elements)
        if n_samples <= chunk:
            # One chunk (a single row, a small batch): the forward pass's own
            # arrays are the buffers; setting up reusable ones costs more than
            # the product itself (see "Small calls" in benchmarks/).
            return self.forward(X).A[-1]
        units = [W.shape[1] for W in self.coefs]
        dtype = self.coefs[-1].dtype
        out = np.empty((n_samples, units[-1]), dtype=dtype)
        hidden = [np.empty((min(chunk, n_samples), n), dtype=dtype) for n in units[:-1]]
        for start in range(0, n_samples, chunk):
            stop = min(start + chunk, n_samples)
            buffers = [b[: stop - start] for b in hidden] + [out[start:stop]]
            self.forward(X[start:stop], buffers=buffers)
        return out
