"""Learning-rate schedules over a fit's epochs: a factor of ``learning_rate_init``.

A schedule is a pure function of the fit's progress, the fraction of its
``max_iter`` epochs done before the current one, in ``[0, 1)``. The loop
(``_training.fit_stochastic``) sets each epoch's step size from it; the
optimizers' own rules (MLP's "invscaling" and "adaptive", Adam's bias
correction) apply on top, unchanged.
"""

import math


def constant(progress):
    """The same step for every epoch: MLP's schedule for "adam"."""
    return 1.0


def cosine(progress):
    """Half a cosine from 1 down towards 0: ``(1 + cos(pi * progress)) / 2``.

    Large steps first, to move far from the initial weights, then ever smaller
    ones that settle into a minimum (Loshchilov & Hutter's SGDR, without
    restarts). The last epoch still steps, by ``(1 - cos(pi / max_iter)) / 2``.
    """
    return 0.5 * (1.0 + math.cos(math.pi * progress))


#: The schedules the loop applies itself, by ``learning_rate`` name. MLP's
#: "constant", "invscaling" and "adaptive" stay the optimizer's rules.
SCHEDULES = {"cosine": cosine}


def step_factor(learning_rate, epoch, max_iter):
    """The factor of ``learning_rate_init`` for 0-based ``epoch`` of ``max_iter``."""
    schedule = SCHEDULES.get(learning_rate, constant)
    return schedule(epoch / max_iter)
