"""
====================================================
A pandas DataFrame through a ColumnTransformer
====================================================

Real tables mix numeric and categorical columns. This example predicts the
diabetes progression score of scikit-learn's diabetes data set from a pandas
DataFrame with two categorical columns, using a
:class:`~sklearn.compose.ColumnTransformer` to standardize the numbers and
one-hot encode the categories before a :class:`~sklearn_toynet.ToyNetRegressor`.
It then swaps in scikit-learn's :class:`~sklearn.neural_network.MLPRegressor`
with the same parameters, to show the drop-in: the pipeline does not change.
"""

# %%
# A DataFrame with categorical columns
# ------------------------------------
# The raw (unscaled) data has ``sex`` coded as 1 and 2, and ``age`` in years.
# We turn ``sex`` into a categorical column with neutral labels (the data set
# does not say which code is which) and replace ``age`` by an age band.
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer, TransformedTargetRegressor
from sklearn.datasets import load_diabetes
from sklearn.model_selection import cross_val_predict, cross_val_score
from sklearn.neural_network import MLPRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from sklearn_toynet import ToyNetRegressor

X, y = load_diabetes(return_X_y=True, as_frame=True, scaled=False)
X["sex"] = X["sex"].map({1.0: "group 1", 2.0: "group 2"}).astype("category")
X["age_band"] = pd.cut(
    X.pop("age"), [0, 35, 50, 65, 120], labels=["under 35", "35-49", "50-64", "65+"]
)
print(X.dtypes)
X.head()

# %%
# The pipeline
# ------------
# ``set_output(transform="pandas")`` keeps the column names through the
# preprocessing, so the network records them in ``feature_names_in_``. The
# target (a score around 150) is standardized too, with
# :class:`~sklearn.compose.TransformedTargetRegressor`: a network's output
# layer starts near zero and learns fastest when the target does as well.
numeric = ["bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6"]
categorical = ["sex", "age_band"]
preprocess = ColumnTransformer(
    [
        ("numeric", StandardScaler(), numeric),
        ("categorical", OneHotEncoder(sparse_output=False), categorical),
    ]
).set_output(transform="pandas")

params = dict(hidden_layer_sizes=(16,), solver="lbfgs", alpha=10.0, max_iter=2000)


def make_model(regressor):
    return make_pipeline(
        preprocess, TransformedTargetRegressor(regressor, transformer=StandardScaler())
    )


toynet = make_model(ToyNetRegressor(**params, random_state=0))
toynet.fit(X, y)
network = toynet[-1].regressor_
print("the network's inputs:", list(network.feature_names_in_))
print("weight matrices:", [W.shape for W in network.coefs_])

# %%
# Cross-validated scores
# ----------------------
# The data set is small (442 rows) and noisy, so a strong L2 penalty
# (``alpha=10``) and a small hidden layer do best. Given the same parameters
# and ``random_state``, MLPRegressor draws the same initial weights and takes
# the same steps, so it reaches the same score.
models = {
    "ToyNetRegressor": toynet,
    "MLPRegressor": make_model(MLPRegressor(**params, random_state=0)),
}
for name, model in models.items():
    scores = cross_val_score(model, X, y, cv=5)
    print(f"{name:16s} R^2 = {scores.mean():.3f} +/- {scores.std():.3f}")

# %%
# Out-of-fold predictions against the measured values; the dashed line is a
# perfect prediction.
predicted = cross_val_predict(toynet, X, y, cv=5)

fig, ax = plt.subplots(figsize=(6, 5.5))
for band, color in zip(
    X["age_band"].cat.categories, plt.cm.viridis([0, 0.35, 0.65, 0.9])
):
    rows = (X["age_band"] == band).to_numpy()
    ax.scatter(y[rows], predicted[rows], s=16, color=color, label=f"age {band}")
limits = np.array([y.min(), y.max()])
ax.plot(limits, limits, "k--", linewidth=1)
ax.set_xlabel("measured progression")
ax.set_ylabel("predicted progression (out of fold)")
ax.set_title("ToyNetRegressor in a ColumnTransformer pipeline")
ax.legend(title="age band")
fig.tight_layout()
plt.show()
