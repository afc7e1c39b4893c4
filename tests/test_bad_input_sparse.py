"""Sparse input is accepted, as MLPClassifier accepts it, and fits the dense model.

CSR and CSC matrices (other formats are converted) train the same weights as
the dense array with every solver, and a model predicts and continues training
on sparse and dense input alike. NumPy's path only: sparse matrices are SciPy's,
and no other array library the suite has (``_bad_input_helpers.LIBRARIES``)
holds them.
"""

import numpy as np
import pytest
import scipy.sparse as sp

from sklearn_toynet import ToyNetClassifier

from _bad_input_helpers import ESTIMATORS, X, Y, small, target
from _helpers import quiet_fit

# -- sparse input ---------------------------------------------------------------------

SPARSE_FORMATS = [sp.csr_matrix, sp.csc_matrix, sp.csr_array, sp.coo_matrix]


@pytest.mark.parametrize("solver", ["lbfgs", "sgd", "adam"])
@pytest.mark.parametrize("fmt", SPARSE_FORMATS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("Est", ESTIMATORS)
def test_sparse_input_fits_the_same_model_as_dense(Est, fmt, solver):
    X_sparse_values = np.where(np.abs(X) < 0.5, 0.0, X)  # some real zeros
    params = dict(solver=solver, batch_norm=solver == "sgd", max_iter=5)
    dense = quiet_fit(small(Est, **params), X_sparse_values, target(Est))
    sparse = quiet_fit(small(Est, **params), fmt(X_sparse_values), target(Est))
    for W_dense, W_sparse in zip(dense.coefs_, sparse.coefs_):
        np.testing.assert_allclose(W_sparse, W_dense, rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(
        sparse.predict(fmt(X_sparse_values)),
        dense.predict(X_sparse_values),
        rtol=1e-6,
        atol=1e-9,
    )


def test_sparse_predict_on_a_dense_fitted_model_and_partial_fit():
    clf = small(ToyNetClassifier).partial_fit(sp.csr_matrix(X), Y, classes=[0, 1, 2])
    clf.partial_fit(sp.csc_matrix(X), Y)
    clf.partial_fit(X, Y)
    proba = clf.predict_proba(sp.csr_matrix(X))
    np.testing.assert_allclose(proba, clf.predict_proba(X), rtol=1e-12)
    np.testing.assert_allclose(proba.sum(axis=1), 1)
    assert len(clf.activations(sp.csr_matrix(X))) == 3
