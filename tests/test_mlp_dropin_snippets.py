"""Usage snippets written for MLPClassifier/MLPRegressor run unchanged on ToyNet.

Grid search in a pipeline, cross-validation, clone and pickle, probabilities,
mini-batch ``partial_fit``, the loss curve, ``set_params`` and refit, sparse
input and feature names: each snippet runs on scikit-learn's MLP estimator as
well as ours, so one that fails only for ToyNet is a drop-in incompatibility.
"""

import pickle
import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.base import clone
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import GridSearchCV, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from _helpers import quiet_fit
from _mlp_helpers import ESTIMATORS, X_iris, data_for, y_iris

# -- usage snippets -----------------------------------------------------------------


def snippet_pipeline_grid_search(Estimator):
    X, y = data_for(Estimator)
    search = GridSearchCV(
        make_pipeline(StandardScaler(), Estimator(max_iter=30, random_state=0)),
        {f"{Estimator.__name__.lower()}__hidden_layer_sizes": [(4,), (8,)]},
        cv=2,
    )
    quiet_fit(search, X, y)
    assert search.best_params_
    assert search.predict(X).shape == y.shape


def snippet_cross_val_score(Estimator):
    X, y = data_for(Estimator)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        scores = cross_val_score(
            Estimator(hidden_layer_sizes=(8,), solver="lbfgs", random_state=0),
            X,
            y,
            cv=3,
        )
    assert scores.shape == (3,)


def snippet_clone_pickle_and_predict(Estimator):
    X, y = data_for(Estimator)
    est = quiet_fit(Estimator(hidden_layer_sizes=(5,), random_state=0), X, y)
    copy = pickle.loads(pickle.dumps(est))
    np.testing.assert_array_equal(copy.predict(X), est.predict(X))
    unfitted = clone(est)
    assert not hasattr(unfitted, "coefs_")
    assert unfitted.get_params() == est.get_params()


def snippet_predict_proba(Estimator):
    if not hasattr(Estimator, "predict_proba"):
        return
    clf = quiet_fit(Estimator(random_state=0, max_iter=50), X_iris, y_iris)
    proba = clf.predict_proba(X_iris)
    assert proba.shape == (len(X_iris), 3)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    np.testing.assert_allclose(clf.predict_log_proba(X_iris), np.log(proba))
    np.testing.assert_array_equal(clf.classes_[proba.argmax(1)], clf.predict(X_iris))


def snippet_mini_batch_partial_fit(Estimator):
    X, y = data_for(Estimator)
    est = Estimator(hidden_layer_sizes=(8,), random_state=0)
    kwargs = {"classes": np.unique(y)} if hasattr(Estimator, "predict_proba") else {}
    for _epoch in range(3):
        for rows in np.array_split(np.arange(len(X)), 5):
            est.partial_fit(X[rows], y[rows], **kwargs)
            kwargs = {}
    assert est.t_ == 3 * len(X)
    assert est.predict(X).shape == y.shape


def snippet_loss_curve_and_score(Estimator):
    X, y = data_for(Estimator)
    est = quiet_fit(Estimator(solver="sgd", max_iter=20, random_state=0), X, y)
    assert len(est.loss_curve_) == est.n_iter_
    assert est.loss_ == est.loss_curve_[-1]
    assert est.best_loss_ == min(est.loss_curve_)
    assert isinstance(est.score(X, y), float)


def snippet_set_params_and_refit(Estimator):
    X, y = data_for(Estimator)
    est = quiet_fit(Estimator(hidden_layer_sizes=(3,), max_iter=5), X, y)
    est.set_params(hidden_layer_sizes=(7, 2))
    quiet_fit(est, X, y)
    assert [W.shape[1] for W in est.coefs_] == [7, 2, est.n_outputs_]


def snippet_sparse_input(Estimator):
    X, y = data_for(Estimator)
    est = quiet_fit(
        Estimator(solver="lbfgs", hidden_layer_sizes=(5,), random_state=0),
        sp.csr_matrix(X),
        y,
    )
    assert est.predict(sp.csr_matrix(X)).shape == y.shape


def snippet_feature_names(Estimator):
    pd = pytest.importorskip("pandas")
    X, y = data_for(Estimator)
    frame = pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])])
    est = quiet_fit(Estimator(max_iter=5), frame, y)
    np.testing.assert_array_equal(est.feature_names_in_, frame.columns)
    with pytest.warns(UserWarning, match="feature names"):
        est.predict(X)


SNIPPETS = [
    snippet_pipeline_grid_search,
    snippet_cross_val_score,
    snippet_clone_pickle_and_predict,
    snippet_predict_proba,
    snippet_mini_batch_partial_fit,
    snippet_loss_curve_and_score,
    snippet_set_params_and_refit,
    snippet_sparse_input,
    snippet_feature_names,
]


@pytest.mark.parametrize("snippet", SNIPPETS, ids=lambda f: f.__name__[8:])
@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_mlp_usage_snippet_runs_unchanged(Estimator, snippet):
    snippet(Estimator)
