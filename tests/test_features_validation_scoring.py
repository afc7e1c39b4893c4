"""``scoring`` and ``validation_loss_curve_``: what early stopping follows and shows.

None keeps MLP's accuracy / R^2; "loss" follows the validation loss; a scorer
name or callable follows that score. The weights restored at the end are the
best epoch's by that criterion. Metadata routing, pipelines, callbacks and
persistence carry the validation set and the new attributes.
"""

import pickle
import warnings

import numpy as np
import pytest
from sklearn import config_context
from sklearn.datasets import make_classification, make_regression
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import accuracy_score, get_scorer, log_loss, mean_absolute_error
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils._param_validation import InvalidParameterError

from sklearn_toynet import TRUSTED_TYPES, ToyNetClassifier, ToyNetRegressor

from _helpers import quiet_fit
from _state_helpers import assert_same, snapshot

# Few, noisy training rows and a wide network: the validation loss turns up.
X, y = make_classification(
    400, n_features=10, n_informative=3, flip_y=0.2, random_state=1
)
X_TRAIN, Y_TRAIN, X_VAL, Y_VAL = X[:60], y[:60], X[60:], y[60:]


def overfitting(Est=ToyNetClassifier, **params):
    defaults = dict(
        hidden_layer_sizes=(64,),
        early_stopping=True,
        learning_rate_init=0.01,
        max_iter=60,
        tol=None,
        random_state=0,
    )
    return Est(**{**defaults, **params})


# -- which epoch is restored ---------------------------------------------------------


def test_scoring_loss_restores_the_epoch_of_least_validation_loss():
    clf = overfitting(scoring="loss").fit(X_TRAIN, Y_TRAIN, X_val=X_VAL, y_val=Y_VAL)
    curve = clf.validation_loss_curve_
    best = int(np.argmin(curve))
    assert 0 < best < len(curve) - 1  # the loss went down, then up: a real choice
    restored = log_loss(Y_VAL, clf.predict_proba(X_VAL))
    assert restored == pytest.approx(min(curve), rel=1e-10)
    np.testing.assert_allclose(clf.validation_scores_, -np.asarray(curve))
    assert clf.best_validation_score_ == -min(curve)


def test_default_scoring_follows_accuracy_and_still_records_the_loss():
    clf = overfitting().fit(X_TRAIN, Y_TRAIN, X_val=X_VAL, y_val=Y_VAL)
    assert clf.score(X_VAL, Y_VAL) == clf.best_validation_score_
    assert clf.best_validation_score_ == max(clf.validation_scores_)
    # The restored epoch is the first of best accuracy, and its loss is recorded.
    best = int(np.argmax(clf.validation_scores_))
    restored = log_loss(Y_VAL, clf.predict_proba(X_VAL))
    assert restored == pytest.approx(clf.validation_loss_curve_[best], rel=1e-10)


def test_split_validation_also_records_the_loss_curve():
    clf = quiet_fit(overfitting(max_iter=5), X, y)
    assert len(clf.validation_loss_curve_) == len(clf.validation_scores_) == 5
    assert (
        clf.validation_scores_
        == quiet_fit(overfitting(max_iter=5), X, y).validation_scores_
    )
    plain = quiet_fit(overfitting(max_iter=5, early_stopping=False), X, y)
    assert plain.validation_loss_curve_ is None and plain.validation_scores_ is None


@pytest.mark.parametrize("scoring", ["roc_auc", "neg_log_loss"])
def test_scorer_name_is_followed_and_recorded(scoring):
    clf = overfitting(scoring=scoring).fit(X_TRAIN, Y_TRAIN, X_val=X_VAL, y_val=Y_VAL)
    scorer = get_scorer(scoring)
    assert clf.best_validation_score_ == max(clf.validation_scores_)
    assert scorer(clf, X_VAL, Y_VAL) == pytest.approx(clf.best_validation_score_)


def test_callable_scoring_with_sample_weight_val():
    weights = np.random.RandomState(0).uniform(0.5, 2, size=len(Y_VAL))

    def weighted_accuracy(est, X_, y_, sample_weight=None):
        return accuracy_score(y_, est.predict(X_), sample_weight=sample_weight)

    clf = overfitting(scoring=weighted_accuracy).fit(
        X_TRAIN, Y_TRAIN, X_val=X_VAL, y_val=Y_VAL, sample_weight_val=weights
    )
    expected = accuracy_score(Y_VAL, clf.predict(X_VAL), sample_weight=weights)
    assert clf.best_validation_score_ == pytest.approx(expected)


def test_regressor_scoring_by_name_and_loss():
    Xr, yr = make_regression(300, n_features=5, noise=10.0, random_state=0)
    yr = yr / yr.std()
    reg = quiet_fit(overfitting(ToyNetRegressor, scoring="neg_mean_absolute_error"),
                    Xr[:200], yr[:200], X_val=Xr[200:], y_val=yr[200:])  # fmt: skip
    assert -mean_absolute_error(yr[200:], reg.predict(Xr[200:])) == pytest.approx(
        reg.best_validation_score_
    )
    reg = quiet_fit(overfitting(ToyNetRegressor, scoring="loss"),
                    Xr[:200], yr[:200], X_val=Xr[200:], y_val=yr[200:])  # fmt: skip
    half_mse = 0.5 * np.mean((reg.predict(Xr[200:]) - yr[200:]) ** 2)
    assert half_mse == pytest.approx(min(reg.validation_loss_curve_), rel=1e-10)


@pytest.mark.parametrize(
    "loss, params", [("huber", {"huber_delta": 0.5}), ("quantile", {"quantile": 0.8})]
)
def test_validation_loss_uses_the_robust_loss_and_its_parameter(loss, params):
    Xr, yr = make_regression(300, n_features=5, noise=10.0, random_state=0)
    yr = yr / yr.std()
    reg = quiet_fit(overfitting(ToyNetRegressor, scoring="loss", loss=loss, **params),
                    Xr[:200], yr[:200], X_val=Xr[200:], y_val=yr[200:])  # fmt: skip
    error = yr[200:] - reg.predict(Xr[200:])
    if loss == "huber":
        small = np.abs(error) <= 0.5
        per_row = np.where(small, 0.5 * error**2, 0.5 * (np.abs(error) - 0.25))
    else:
        per_row = np.maximum(0.8 * error, (0.8 - 1) * error)
    assert per_row.mean() == pytest.approx(min(reg.validation_loss_curve_), rel=1e-10)


def test_scoring_is_unused_without_early_stopping():
    plain = quiet_fit(overfitting(max_iter=5, early_stopping=False), X, y)
    scored = quiet_fit(
        overfitting(max_iter=5, early_stopping=False, scoring="roc_auc"), X, y
    )
    np.testing.assert_array_equal(plain.coefs_[0], scored.coefs_[0])


def test_scorer_sees_no_feature_name_warning_with_pandas():
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        warnings.simplefilter("ignore", ConvergenceWarning)
        overfitting(max_iter=3, scoring="roc_auc").fit(frame, y)
        overfitting(max_iter=3, scoring="roc_auc").fit(
            frame[:60], Y_TRAIN, X_val=frame[60:], y_val=Y_VAL
        )


# -- bad values --------------------------------------------------------------------


def test_scoring_of_the_wrong_type_is_an_invalid_parameter():
    with pytest.raises(InvalidParameterError, match="'scoring' parameter"):
        overfitting(scoring=3).fit(X, y)


def test_unknown_scorer_name_is_refused_and_changes_nothing():
    clf = quiet_fit(overfitting(max_iter=3, warm_start=True), X, y)
    before = snapshot(clf)
    clf.set_params(scoring="not_a_scorer")
    with pytest.raises(ValueError, match="'not_a_scorer' is not a valid scoring"):
        clf.fit(X, y)
    clf.set_params(scoring=None)
    assert_same(before, vars(clf))


# -- routing, pipelines, callbacks, persistence --------------------------------------


def test_pipeline_transforms_x_val_with_metadata_routing():
    scale = 100.0  # unscaled, the network would see other validation rows
    with config_context(enable_metadata_routing=True):
        net = overfitting(max_iter=5, scoring="loss")
        net.set_fit_request(X_val=True, y_val=True)
        pipe = Pipeline(
            [("scale", StandardScaler()), ("net", net)], transform_input=["X_val"]
        )
        pipe.fit(X_TRAIN * scale, Y_TRAIN, X_val=X_VAL * scale, y_val=Y_VAL)
    scaler = StandardScaler().fit(X_TRAIN * scale)
    direct = overfitting(max_iter=5, scoring="loss").fit(
        scaler.transform(X_TRAIN * scale),
        Y_TRAIN,
        X_val=scaler.transform(X_VAL * scale),
        y_val=Y_VAL,
    )
    np.testing.assert_allclose(
        pipe[-1].validation_loss_curve_, direct.validation_loss_curve_, rtol=1e-12
    )


def test_scoring_monitor_callback_runs_with_a_validation_set():
    sk_callback = pytest.importorskip("sklearn.callback")
    monitor = sk_callback.ScoringMonitor(scoring="neg_log_loss")
    clf = overfitting(max_iter=6, scoring="loss").set_callbacks(monitor)
    clf.fit(X_TRAIN, Y_TRAIN, X_val=X_VAL, y_val=Y_VAL)
    assert len(monitor.get_logs().data) == clf.n_iter_ + 1


@pytest.mark.parametrize("scoring", [None, "loss", "roc_auc"])
def test_fitted_model_round_trips_through_pickle_and_skops(scoring):
    clf = overfitting(max_iter=5, scoring=scoring).fit(
        X_TRAIN, Y_TRAIN, X_val=X_VAL, y_val=Y_VAL
    )
    loaded = pickle.loads(pickle.dumps(clf))
    assert loaded.validation_loss_curve_ == clf.validation_loss_curve_
    np.testing.assert_array_equal(loaded.predict_proba(X), clf.predict_proba(X))
    sio = pytest.importorskip("skops.io")
    loaded = sio.loads(sio.dumps(clf), trusted=TRUSTED_TYPES)
    assert loaded.validation_loss_curve_ == clf.validation_loss_curve_
    np.testing.assert_array_equal(loaded.predict_proba(X), clf.predict_proba(X))
