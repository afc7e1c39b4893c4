"""The bare-numpy floor: an MLP written straightforwardly in numpy.

Same math as ``MLPClassifier`` for the benchmarked settings: Glorot-uniform
init, ReLU or logistic hidden layers, sigmoid (binary) or softmax output,
cross-entropy delta ``(p - y) / m``, L2 penalty ``alpha * W / m``, and
either SGD with (Nesterov) momentum or Adam, shuffled every epoch with
per-batch fancy indexing. It does not compute the loss value (nothing
stops early), so it is the floor a library has to reach, not exceed.
It computes in the dtype of ``X``.
"""

import itertools

import numpy as np


class NumpyLoopMLP:
    def __init__(
        self,
        hidden_layer_sizes=(100,),
        activation="relu",
        solver="sgd",
        alpha=1e-4,
        batch_size=200,
        learning_rate_init=1e-3,
        momentum=0.9,
        nesterovs_momentum=True,
        beta_1=0.9,
        beta_2=0.999,
        epsilon=1e-8,
        random_state=0,
    ):
        self.hidden_layer_sizes = tuple(hidden_layer_sizes)
        self.activation = activation
        self.solver = solver
        self.alpha = alpha
        self.batch_size = batch_size
        self.lr = learning_rate_init
        self.momentum = momentum
        self.nesterov = nesterovs_momentum
        self.beta_1, self.beta_2, self.epsilon = beta_1, beta_2, epsilon
        self.random_state = random_state

    def _init(self, n_in, n_out, dtype, rng):
        sizes = [n_in, *self.hidden_layer_sizes, n_out]
        self.W, self.b = [], []
        for fan_in, fan_out in itertools.pairwise(sizes):
            factor = 6.0 if self.activation != "logistic" else 2.0
            bound = np.sqrt(factor / (fan_in + fan_out))
            self.W.append(rng.uniform(-bound, bound, (fan_in, fan_out)).astype(dtype))
            self.b.append(rng.uniform(-bound, bound, fan_out).astype(dtype))
        params = self.W + self.b
        self._m = [np.zeros_like(p) for p in params]
        self._v = [np.zeros_like(p) for p in params]
        self._t = 0

    def _forward(self, x):
        acts = [x]
        last = len(self.W) - 1
        for i, (W, b) in enumerate(zip(self.W, self.b)):
            z = acts[-1] @ W
            z += b
            if i < last:
                if self.activation == "relu":
                    np.maximum(z, 0, out=z)
                else:
                    z = 1.0 / (1.0 + np.exp(-z))
            elif z.shape[1] == 1:
                z = 1.0 / (1.0 + np.exp(-z))
            else:
                z -= z.max(axis=1, keepdims=True)
                np.exp(z, out=z)
                z /= z.sum(axis=1, keepdims=True)
            acts.append(z)
        return acts

    def _step(self, grads):
        params = self.W + self.b
        if self.solver == "sgd":
            mu, lr = self.momentum, self.lr
            for p, g, vel in zip(params, grads, self._v):
                vel *= mu
                vel -= lr * g
                if self.nesterov:
                    p += mu * vel - lr * g
                else:
                    p += vel
        else:
            self._t += 1
            b1, b2 = self.beta_1, self.beta_2
            lr_t = self.lr * np.sqrt(1 - b2**self._t) / (1 - b1**self._t)
            for p, g, m, v in zip(params, grads, self._m, self._v):
                m *= b1
                m += (1 - b1) * g
                v *= b2
                v += (1 - b2) * (g * g)
                p -= lr_t * m / (np.sqrt(v) + self.epsilon)

    def fit(self, X, Y, epochs=1):
        """Train for exactly ``epochs`` epochs; ``Y`` is one-hot (or n x 1)."""
        rng = np.random.default_rng(self.random_state)
        Y = Y.astype(X.dtype, copy=False)
        self._init(X.shape[1], Y.shape[1], X.dtype, rng)
        n, bs = X.shape[0], self.batch_size
        for _ in range(epochs):
            order = rng.permutation(n)
            for start in range(0, n, bs):
                idx = order[start : start + bs]
                xb, yb = X[idx], Y[idx]
                m = xb.shape[0]
                acts = self._forward(xb)
                delta = (acts[-1] - yb) / m
                gW, gb = [None] * len(self.W), [None] * len(self.W)
                for i in range(len(self.W) - 1, -1, -1):
                    gW[i] = acts[i].T @ delta
                    gW[i] += (self.alpha / m) * self.W[i]
                    gb[i] = delta.sum(axis=0)
                    if i > 0:
                        delta = delta @ self.W[i].T
                        a = acts[i]
                        if self.activation == "relu":
                            delta *= a > 0
                        else:
                            delta *= a * (1 - a)
                self._step(gW + gb)
        return self

    def predict_proba(self, X):
        p = self._forward(X)[-1]
        return np.hstack([1 - p, p]) if p.shape[1] == 1 else p


def one_hot(y):
    """MLPClassifier's target encoding: n x 1 for two classes, else one-hot."""
    classes = np.unique(y)
    if len(classes) == 2:
        return (y == classes[1]).astype(np.float64)[:, None]
    return (y[:, None] == classes[None, :]).astype(np.float64)
