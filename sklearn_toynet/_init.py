"""Weight initialization: the blog's uniform draw and MLPClassifier's Glorot.

The draws come from the estimator's seeded NumPy ``RandomState`` in
MLPClassifier's order, so that the same ``random_state`` gives MLP's weights;
for input of another array library they are then moved to its device, so the
same ``random_state`` gives the same weights in every namespace.
"""

import numpy as np

from ._activations import per_layer
from ._array_api import is_numpy, to_device_of


def init_weights(layer_units, init, activation, fit_intercept, rng, dtype, like=None):
    """Draw ``coefs`` (fan_in x fan_out) and ``intercepts`` for every layer.

    ``"uniform"`` is the blog's ``2 * random((fan_in, fan_out)) - 1``, drawn layer
    by layer; ``"glorot"`` is MLPClassifier's scaled uniform, with its factor 2
    for logistic units and 6 for any other: ``activation`` (one name, or one per
    hidden layer) of the layer the weights feed, the last hidden one's for the
    output layer, as MLP uses its one activation there too. Intercepts are drawn
    after their layer's weights, and are zeros (and never drawn) without
    ``fit_intercept``. ``like``: an array of another library (see
    ``_array_api``) whose namespace and device the weights move to, in ``dtype``.
    """
    generic = like is not None and not is_numpy(like)
    if generic:  # drawn as for float64 NumPy input, then moved (and cast)
        dtype = np.float64
    coefs, intercepts = [], []
    names = per_layer(activation, len(layer_units) - 2) or [activation]
    for i, (fan_in, fan_out) in enumerate(zip(layer_units[:-1], layer_units[1:])):
        if init == "uniform":
            bound = 1.0
            W = 2 * rng.random_sample((fan_in, fan_out)) - 1
        else:
            factor = 2.0 if names[min(i, len(names) - 1)] == "logistic" else 6.0
            bound = np.sqrt(factor / (fan_in + fan_out))
            W = rng.uniform(-bound, bound, (fan_in, fan_out))
        if fit_intercept:
            b = rng.uniform(-bound, bound, fan_out)
        else:
            b = np.zeros(fan_out)
        coefs.append(W.astype(dtype, copy=False))
        intercepts.append(b.astype(dtype, copy=False))
    if generic:
        coefs = [to_device_of(W, like) for W in coefs]
        intercepts = [to_device_of(b, like) for b in intercepts]
    return coefs, intercepts
