"""The blog's 3-layer network: 3 inputs, 4 sigmoid hidden units, 1 output.

Four rows of XOR-like data, full batch, squared-error delta times the
sigmoid slope, plain gradient steps of size 1 on the summed gradient,
no biases. This is the "raw 11-line loop" ToyNet's tiny-data overhead is
compared against.
"""

import numpy as np

X = np.array([[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1]], dtype=float)
y = np.array([[0], [1], [1], [0]], dtype=float)


def raw_loop(n_iter, seed=1):
    rng = np.random.RandomState(seed)
    w0 = 2 * rng.random_sample((3, 4)) - 1
    w1 = 2 * rng.random_sample((4, 1)) - 1
    for _ in range(n_iter):
        h = 1 / (1 + np.exp(-(X @ w0)))
        out = 1 / (1 + np.exp(-(h @ w1)))
        d_out = (y - out) * (out * (1 - out))
        d_h = (d_out @ w1.T) * (h * (1 - h))
        w1 += h.T @ d_out
        w0 += X.T @ d_h
    return out


def targets():
    return y.ravel().astype(int)
