"""
=========================================
Robust and quantile regression
=========================================

The squared error, MLPRegressor's only loss for real-valued targets, predicts
the conditional *mean*: a few wild targets pull it wherever they lie.
:class:`~sklearn_toynet.ToyNetRegressor` also takes ``loss="absolute_error"``
(the conditional median), ``loss="huber"`` (squared near the fit, absolute far
from it) and ``loss="quantile"`` (any conditional quantile).

This example fits all of them to one noisy curve whose noise grows from left
to right, with one target in ten thrown far upwards: the outliers drag the
squared-error fit, the robust ones follow the curve, and two quantile models
draw a band that holds about 80% of the targets.
"""

# %%
import matplotlib.pyplot as plt
import numpy as np

from sklearn_toynet import ToyNetRegressor

rng = np.random.RandomState(0)
X = np.sort(rng.uniform(0, 6, 400)).reshape(-1, 1)
curve = np.sin(X[:, 0]) + 0.3 * X[:, 0]
y = curve + (0.1 + 0.1 * X[:, 0]) * rng.normal(size=400)
outlier = rng.rand(400) < 0.1
y_outliers = y.copy()
y_outliers[outlier] += rng.uniform(4, 8, outlier.sum())

# L-BFGS for a small data set; ``tol=None`` gives every model the same fixed
# budget of 300 iterations (the squared error, chasing the outliers, would
# otherwise keep improving by tiny steps for thousands).
params = dict(hidden_layer_sizes=(32,), activation="tanh", solver="lbfgs")
params.update(max_iter=300, tol=None, random_state=0)

# %%
# Robust fits
# -----------
# Trained on the targets with outliers. ``huber_delta`` is in the units of
# ``y``: errors beyond 0.5 count linearly.
fits = {
    "squared_error": ToyNetRegressor("squared_error", **params),
    "absolute_error": ToyNetRegressor("absolute_error", **params),
    "huber": ToyNetRegressor("huber", huber_delta=0.5, **params),
}
for name, reg in fits.items():
    reg.fit(X, y_outliers)
    gap = np.abs(reg.predict(X) - curve).mean()
    print(f"{name:15s} mean distance to the clean curve: {gap:.3f}")

# %%
# A prediction band
# -----------------
# Two quantile models, trained on the targets without outliers, bound the
# middle 80% of the noise; the band widens where the noise does.
low = ToyNetRegressor("quantile", quantile=0.1, **params).fit(X, y)
high = ToyNetRegressor("quantile", quantile=0.9, **params).fit(X, y)
y_low, y_high = low.predict(X), high.predict(X)
inside = np.mean((y_low <= y) & (y <= y_high))
print(f"targets inside the 10%-90% band: {inside:.0%}")

# %%
fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2), layout="constrained")
left.scatter(X, y_outliers, s=6, c="0.6", label="targets (10% outliers)")
left.plot(X, curve, "k--", lw=1, label="clean curve")
for name, reg in fits.items():
    left.plot(X, reg.predict(X), lw=2, label=name)
left.set_title("Fits to targets with outliers")
left.legend(fontsize=8, loc="upper left")

right.scatter(X, y, s=6, c="0.6", label="targets")
right.fill_between(X[:, 0], y_low, y_high, alpha=0.3, label="10%-90% quantiles")
right.plot(X, y_low, "C0", lw=1)
right.plot(X, y_high, "C0", lw=1)
right.set_title(f"Quantile band: {inside:.0%} of targets inside")
right.legend(fontsize=8, loc="upper left")
plt.show()
