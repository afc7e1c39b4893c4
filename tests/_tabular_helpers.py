"""Small synthetic tables shared by the ``test_tabular_*.py`` modules.

``table`` is a DataFrame with one column of each kind the tabular pair reads
(numbers, nullable integers, categories, object strings, pandas strings,
booleans), gaps of every spelling (NaN, None, pd.NA) in some rows; its targets
depend on a number and a category, so a short fit learns something.
"""

import warnings

import numpy as np
import pandas as pd
from sklearn.exceptions import ConvergenceWarning

from sklearn_toynet import ToyNetTabularClassifier, ToyNetTabularRegressor

#: The columns the encoder reads as categories from their dtype, and as numbers.
CATEGORICAL = ["colour", "city", "member", "plan"]
NUMERIC = ["size", "count"]

#: A small network trained briefly: what most tests need.
SMALL = dict(hidden_layer_sizes=(8,), max_iter=5, random_state=0)


def table(n=60, seed=0, gaps=True):
    """A mixed DataFrame of ``n`` rows, with gaps in rows 1 to 5 when ``gaps``."""
    assert n > 5 or not gaps, "the gaps are in rows 1 to 5"
    rng = np.random.default_rng(seed)
    X = pd.DataFrame(
        {
            "size": rng.normal(size=n),
            "colour": pd.Categorical(rng.choice(["red", "green", "blue"], n)),
            "city": pd.Series(rng.choice(["Oslo", "Lima"], n), dtype=object),
            "member": rng.random(n) > 0.5,
            "plan": pd.Series(rng.choice(["basic", "pro"], n), dtype="string"),
            "count": pd.array(rng.integers(0, 9, n), dtype="Int64"),
        }
    )
    if gaps:
        X.loc[1, "size"] = np.nan
        X.loc[2, "city"] = None
        X.loc[3, "plan"] = pd.NA
        X.loc[4, "count"] = pd.NA
        X.loc[5, "colour"] = np.nan
    return X


def class_targets(X):
    """0/1 labels from a number and a category of ``table``'s rows."""
    size = X["size"].fillna(0).to_numpy()
    return (size + (X["colour"] == "red").to_numpy() > 0.3).astype(int)


def regression_targets(X):
    """Real targets from a number and a category of ``table``'s rows."""
    size = X["size"].fillna(0).to_numpy()
    return 2.0 * size + (X["city"] == "Oslo").to_numpy()


def estimator_and_targets(kind, X):
    """A small tabular estimator of ``kind`` ("classifier" or "regressor") and y."""
    if kind == "classifier":
        return ToyNetTabularClassifier(**SMALL), class_targets(X)
    return ToyNetTabularRegressor(**SMALL), regression_targets(X)


def outputs(est, X):
    """What ``est`` answers for ``X``: probabilities, or predictions."""
    if hasattr(est, "predict_proba"):
        return est.predict_proba(X)
    return est.predict(X)


def quiet(call, *args, **kwargs):
    """``call(*args, **kwargs)``, without the ConvergenceWarning of short runs."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return call(*args, **kwargs)
