"""Stochastic optimizers: update parameter arrays in place from their gradients.

Same rules and hyperparameters as scikit-learn's MLP solvers ("sgd" with
momentum, Nesterov momentum and learning-rate schedules; "adam"), written to
update in place so an epoch allocates nothing per parameter.
"""

import numpy as np


class SGD:
    """Stochastic gradient descent with (Nesterov) momentum and a schedule.

    ``learning_rate`` is "constant", "invscaling" (``lr_init / (t + 1) **
    power_t`` after each epoch, ``t`` counting samples seen, as MLPClassifier) or
    "adaptive" (divided by 5 each time training stops improving).
    """

    def __init__(
        self,
        params,
        learning_rate_init=0.1,
        lr_schedule="constant",
        momentum=0.9,
        nesterov=True,
        power_t=0.5,
    ):
        self.learning_rate_init = learning_rate_init
        self.learning_rate = float(learning_rate_init)
        self.lr_schedule = lr_schedule
        self.momentum = momentum
        self.nesterov = nesterov
        self.power_t = power_t
        self.velocities = [np.zeros_like(p) for p in params]

    def update(self, params, grads):
        """Step every parameter; ``grads`` are scratch and are overwritten."""
        lr, mu = self.learning_rate, self.momentum
        for param, grad, velocity in zip(params, grads, self.velocities):
            step = np.multiply(grad, lr, out=grad)
            if mu == 0:
                # Plain gradient descent: the blog's ``syn0 += ...``, downhill.
                param -= step
                continue
            velocity *= mu
            velocity -= step
            if self.nesterov:
                # param += mu * velocity - lr * grad, without a temporary.
                param -= step
                step = np.multiply(velocity, mu, out=grad)
            else:
                step = velocity
            param += step

    def iteration_ends(self, time_step):
        if self.lr_schedule == "invscaling":
            self.learning_rate = (
                self.learning_rate_init / (time_step + 1) ** self.power_t
            )

    def trigger_stopping(self, msg, verbose):
        """Return True to stop; "adaptive" first shrinks the step down to 1e-6."""
        if self.lr_schedule != "adaptive":
            if verbose:
                print(msg + " Stopping.")
            return True
        if self.learning_rate <= 1e-6:
            if verbose:
                print(msg + " Learning rate too small. Stopping.")
            return True
        self.learning_rate /= 5.0
        if verbose:
            print(msg + " Setting learning rate to %f" % self.learning_rate)
        return False


class Adam:
    """Adam (Kingma & Ba, 2014) with bias-corrected step size."""

    def __init__(
        self, params, learning_rate_init=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-8
    ):
        self.learning_rate_init = learning_rate_init
        self.learning_rate = float(learning_rate_init)
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.t = 0
        self.first_moments = [np.zeros_like(p) for p in params]
        self.second_moments = [np.zeros_like(p) for p in params]

    def update(self, params, grads):
        """Step every parameter; ``grads`` are scratch and are overwritten."""
        self.t += 1
        b1, b2 = self.beta_1, self.beta_2
        # A Python float, so float32 parameters stay float32.
        self.learning_rate = float(
            self.learning_rate_init * np.sqrt(1 - b2**self.t) / (1 - b1**self.t)
        )
        for param, grad, m, v in zip(
            params, grads, self.first_moments, self.second_moments
        ):
            m *= b1
            m += (1 - b1) * grad
            v *= b2
            np.multiply(grad, grad, out=grad)
            grad *= 1 - b2
            v += grad
            # param -= learning_rate * m / (sqrt(v) + epsilon), in ``grad``.
            step = np.sqrt(v, out=grad)
            step += self.epsilon
            np.divide(m, step, out=step)
            step *= self.learning_rate
            param -= step

    def iteration_ends(self, time_step):
        pass

    def trigger_stopping(self, msg, verbose):
        if verbose:
            print(msg + " Stopping.")
        return True


def clip_grad_norm(grads, max_norm):
    """Scale ``grads`` in place so their global L2 norm is at most ``max_norm``.

    This is the blog's "delta trimming". Returns the norm before clipping.
    Gradients so large that their squares overflow are measured in units of
    their largest entry, so clipping still scales them down instead of
    multiplying them by ``max_norm / inf = 0`` (and ``inf * 0`` into NaN).
    """
    norm = float(np.sqrt(sum(float(np.vdot(g, g)) for g in grads)))
    if not np.isfinite(norm):
        unit = max(float(np.abs(g).max(initial=0)) for g in grads)
        if np.isfinite(unit) and unit > 0:
            norm = unit * float(
                np.sqrt(sum(float(np.vdot(g / unit, g / unit)) for g in grads))
            )
    if norm > max_norm:
        scale = max_norm / norm
        for g in grads:
            g *= scale
    return norm
