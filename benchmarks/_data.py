"""Synthetic tabular data (no downloads): standardized make_classification."""

import numpy as np
from sklearn.datasets import make_classification


def tabular(n_samples, n_features=100, n_classes=2, random_state=0):
    X, y = make_classification(
        n_samples=n_samples,
        n_features=n_features,
        n_informative=min(20, n_features),
        n_redundant=min(10, n_features // 5),
        n_classes=n_classes,
        n_clusters_per_class=1,
        random_state=random_state,
    )
    X -= X.mean(axis=0)
    X /= X.std(axis=0)
    return np.ascontiguousarray(X), y
