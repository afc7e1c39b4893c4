"""A tuned numpy loop: the same math as ``_numpy_loop`` with the overheads cut.

An informational contender of the epoch suite, and shown by ``profile_epoch``
next to ToyNet and the naive floor: how far below the naive loop numpy can go
on this machine while doing ToyNet's (and MLPClassifier's) work, the batch
loss included. One hidden layer. What it does differently from the naive loop:

- parameters, gradients and optimizer state live in one flat array each, the
  layers are views into it: the optimizer and the L2 term are a handful of
  ufunc calls per batch instead of a handful per parameter array;
- every temporary is a preallocated buffer (``out=`` everywhere), the batch
  is gathered with ``np.take(..., out=)``;
- the output delta is computed in place from integer labels (no one-hot),
  and the batch loss is read off the probabilities of the true classes.
"""

import numpy as np


class TunedLoopMLP:
    def __init__(
        self,
        hidden=100,
        activation="relu",
        solver="sgd",
        lr=0.01,
        alpha=1e-4,
        batch_size=200,
        momentum=0.9,
        betas=(0.9, 0.999),
        epsilon=1e-8,
        random_state=0,
    ):
        self.hidden, self.activation, self.solver = hidden, activation, solver
        self.lr, self.alpha, self.batch_size = lr, alpha, batch_size
        self.momentum, self.betas, self.epsilon = momentum, betas, epsilon
        self.random_state = random_state

    def _layout(self, d, k, dt, rng):
        h, self.k = self.hidden, k
        n_w = d * h + h * k
        self.theta, self.grad, self.tmp = (np.empty(n_w + h + k, dt) for _ in range(3))
        self.n_w = n_w

        def views(flat):
            return (flat[: d * h].reshape(d, h), flat[d * h : n_w].reshape(h, k),
                    flat[n_w : n_w + h], flat[n_w + h :])  # fmt: skip

        self.W0, self.W1, self.b0, self.b1 = views(self.theta)
        self.gW0, self.gW1, self.gb0, self.gb1 = views(self.grad)
        factor = 2.0 if self.activation == "logistic" else 6.0
        for W, b in ((self.W0, self.b0), (self.W1, self.b1)):
            bound = np.sqrt(factor / sum(W.shape))
            W[...] = rng.uniform(-bound, bound, W.shape)
            b[...] = rng.uniform(-bound, bound, b.shape)
        self.state = [np.zeros_like(self.theta) for _ in range(2)]
        self.t = 0

    def _activate(self, H, mask):
        if self.activation == "relu":
            np.maximum(H, 0, out=H)
            np.greater(H, 0, out=mask)
        else:
            H *= 0.5
            np.tanh(H, out=H)
            H *= 0.5
            H += 0.5

    def _step(self):
        g, theta, tmp = self.grad, self.theta, self.tmp
        if self.solver == "sgd":
            vel, mu = self.state[0], self.momentum
            g *= self.lr
            vel *= mu
            vel -= g
            theta -= g
            np.multiply(vel, mu, out=tmp)
            theta += tmp
            return
        m, v = self.state
        b1, b2 = self.betas
        self.t += 1
        lr_t = self.lr * np.sqrt(1 - b2**self.t) / (1 - b1**self.t)
        m *= b1
        np.multiply(g, 1 - b1, out=tmp)
        m += tmp
        v *= b2
        np.multiply(g, g, out=tmp)
        tmp *= 1 - b2
        v += tmp
        np.sqrt(v, out=tmp)
        tmp += self.epsilon
        np.divide(m, tmp, out=tmp)
        tmp *= lr_t
        theta -= tmp

    def fit(self, X, codes, n_classes, epochs=1):
        """``codes``: integer labels 0..n_classes-1."""
        rng = np.random.default_rng(self.random_state)
        n, d = X.shape
        k = 1 if n_classes == 2 else n_classes
        dt = X.dtype
        self._layout(d, k, dt, rng)
        bs, h = self.batch_size, self.hidden
        xb, H, dH = np.empty((bs, d), dt), np.empty((bs, h), dt), np.empty((bs, h), dt)
        Z, mask = np.empty((bs, k), dt), np.empty((bs, h), bool)
        y_col = codes.astype(dt)[:, None] if k == 1 else None
        rows = np.arange(bs)
        self.loss_curve_ = []
        for _ in range(epochs):
            epoch_loss = 0.0
            order = rng.permutation(n)
            for start in range(0, n, bs):
                idx = order[start : start + bs]
                m = idx.shape[0]
                x_, H_, dH_, Z_, mask_ = xb[:m], H[:m], dH[:m], Z[:m], mask[:m]
                np.take(X, idx, axis=0, out=x_)
                np.matmul(x_, self.W0, out=H_)
                H_ += self.b0
                self._activate(H_, mask_)
                np.matmul(H_, self.W1, out=Z_)
                Z_ += self.b1
                if k == 1:
                    np.negative(Z_, out=Z_)
                    np.exp(Z_, out=Z_)
                    Z_ += 1
                    np.reciprocal(Z_, out=Z_)
                    Z_ -= y_col[idx]  # P - y; the truth has probability 1 - |P - y|
                    p_true = np.subtract(1, np.abs(Z_))
                else:
                    Z_ -= Z_.max(axis=1, keepdims=True)
                    np.exp(Z_, out=Z_)
                    Z_ /= Z_.sum(axis=1, keepdims=True)
                    true = (rows[:m], codes[idx])
                    p_true = Z_[true]
                    Z_[true] -= 1
                np.maximum(p_true, np.finfo(dt).eps, out=p_true)
                batch_loss = -np.log(p_true, out=p_true).sum() / m
                Z_ *= 1.0 / m
                np.matmul(H_.T, Z_, out=self.gW1)
                np.add.reduce(Z_, axis=0, out=self.gb1)
                np.matmul(Z_, self.W1.T, out=dH_)
                if self.activation == "relu":
                    dH_ *= mask_
                else:
                    dH_ *= H_
                    np.subtract(1, H_, out=H_)
                    dH_ *= H_
                np.matmul(x_.T, dH_, out=self.gW0)
                np.add.reduce(dH_, axis=0, out=self.gb0)
                weights = self.theta[: self.n_w]
                batch_loss += 0.5 * self.alpha / m * float(np.vdot(weights, weights))
                epoch_loss += batch_loss * m
                tmp_w = self.tmp[: self.n_w]
                np.multiply(weights, self.alpha / m, out=tmp_w)
                self.grad[: self.n_w] += tmp_w
                self._step()
            self.loss_curve_.append(epoch_loss / n)
        return self
