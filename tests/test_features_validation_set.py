"""fit(X_val=, y_val=, ...): early stopping on a validation set of its own.

The given set replaces the ``validation_fraction`` split (every training row
trains); it is validated as ``X``/``y`` are, and misuse is refused by name, as
HistGradientBoosting refuses it. A refused call changes nothing.
"""

import inspect

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.datasets import make_classification, make_regression
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import log_loss

from sklearn_toynet import ToyNetClassifier, ToyNetRegressor, _validation

from _helpers import quiet_fit
from _state_helpers import assert_same, snapshot

X, y = make_classification(300, n_features=6, random_state=0)
X_TRAIN, Y_TRAIN, X_VAL, Y_VAL = X[:200], y[:200], X[200:], y[200:]
X_REG, Y_REG = make_regression(300, n_features=6, noise=5.0, random_state=0)
Y_REG = Y_REG / Y_REG.std()


def early(Est=ToyNetClassifier, **params):
    defaults = dict(hidden_layer_sizes=(8,), early_stopping=True, max_iter=8)
    return Est(**{**defaults, "random_state": 0, **params})


# -- the given set replaces the split ------------------------------------------------


def test_given_validation_set_replaces_the_split(monkeypatch):
    def no_split(*args, **kwargs):
        raise AssertionError("the validation_fraction split ran")

    monkeypatch.setattr(_validation, "train_test_split", no_split)
    clf = quiet_fit(early(tol=None), X_TRAIN, Y_TRAIN, X_val=X_VAL, y_val=Y_VAL)
    # Every training row trains: t_ counts all of them each epoch.
    assert clf.t_ == clf.n_iter_ * len(X_TRAIN)
    assert len(clf.validation_scores_) == len(clf.validation_loss_curve_) == 8
    # The scores are those of the given rows: the restored model's accuracy is the best.
    assert clf.score(X_VAL, Y_VAL) == clf.best_validation_score_


@pytest.mark.parametrize("Est", [ToyNetClassifier, ToyNetRegressor])
def test_validation_loss_curve_is_the_loss_on_the_given_rows(Est):
    X_, y_ = (X, y) if Est is ToyNetClassifier else (X_REG, Y_REG)
    # tol=None, max_iter=1: the one epoch is the restored one.
    est = quiet_fit(early(Est, max_iter=1, tol=None), X_[:200], y_[:200],
                    X_val=X_[200:], y_val=y_[200:])  # fmt: skip
    if Est is ToyNetClassifier:
        expected = log_loss(y_[200:], est.predict_proba(X_[200:]))
    else:  # half the squared error, as the training loss (no L2 term)
        expected = 0.5 * np.mean((est.predict(X_[200:]) - y_[200:]) ** 2)
    assert est.validation_loss_curve_[0] == pytest.approx(expected, rel=1e-10)


def test_sample_weight_val_weighs_the_validation_loss():
    weights = np.random.RandomState(0).uniform(0, 2, size=len(Y_VAL))
    clf = quiet_fit(early(max_iter=1, tol=None), X_TRAIN, Y_TRAIN,
                    X_val=X_VAL, y_val=Y_VAL, sample_weight_val=weights)  # fmt: skip
    P = clf.predict_proba(X_VAL)
    assert clf.validation_loss_curve_[0] == pytest.approx(
        log_loss(Y_VAL, P, sample_weight=weights), rel=1e-10
    )
    assert clf.validation_loss_curve_[0] != pytest.approx(log_loss(Y_VAL, P))


def test_class_weight_weighs_the_given_validation_rows_too():
    class_weight = {0: 1.0, 1: 3.0}
    clf = quiet_fit(early(max_iter=1, tol=None, class_weight=class_weight),
                    X_TRAIN, Y_TRAIN, X_val=X_VAL, y_val=Y_VAL)  # fmt: skip
    weights = np.where(Y_VAL == 1, 3.0, 1.0)
    assert clf.validation_loss_curve_[0] == pytest.approx(
        log_loss(Y_VAL, clf.predict_proba(X_VAL), sample_weight=weights), rel=1e-10
    )


def test_balanced_class_weight_weighs_validation_rows_by_the_training_counts():
    # As the validation_fraction split does: the validation loss is the
    # training loss (class weights included) on other rows.
    rows = np.r_[np.flatnonzero(Y_VAL == 0)[:20], np.flatnonzero(Y_VAL == 1)[:40]]
    clf = quiet_fit(early(max_iter=1, tol=None, class_weight="balanced"),
                    X_TRAIN, Y_TRAIN, X_val=X_VAL[rows], y_val=Y_VAL[rows])  # fmt: skip
    counts = np.bincount(Y_TRAIN)
    weights = (len(Y_TRAIN) / (2 * counts))[Y_VAL[rows]]
    assert counts[0] != counts[1]  # the training counts decide, not the 20 / 40
    P = clf.predict_proba(X_VAL[rows])
    assert clf.validation_loss_curve_[0] == pytest.approx(
        log_loss(Y_VAL[rows], P, sample_weight=weights), rel=1e-10
    )


def test_validation_set_takes_float32_sparse_and_label_strings():
    labels = np.array(["no", "yes"])
    X32 = X_TRAIN.astype(np.float32)
    clf = quiet_fit(early(), X32, labels[Y_TRAIN],
                    X_val=sp.csr_matrix(X_VAL), y_val=labels[Y_VAL])  # fmt: skip
    assert clf.coefs_[0].dtype == np.float32
    assert all(np.isfinite(clf.validation_loss_curve_))
    assert isinstance(clf.validation_loss_curve_[0], float)


def test_multilabel_and_multioutput_validation_sets():
    Y = np.column_stack([Y_TRAIN, 1 - Y_TRAIN, X_TRAIN[:, 0] > 0]).astype(int)
    Yv = np.column_stack([Y_VAL, 1 - Y_VAL, X_VAL[:, 0] > 0]).astype(int)
    clf = quiet_fit(early(), X_TRAIN, Y, X_val=X_VAL, y_val=Yv)
    assert len(clf.validation_loss_curve_) == clf.n_iter_
    Yr = np.column_stack([Y_REG, -Y_REG])
    reg = quiet_fit(early(ToyNetRegressor), X_REG[:200], Yr[:200],
                    X_val=X_REG[200:], y_val=Yr[200:])  # fmt: skip
    assert len(reg.validation_loss_curve_) == reg.n_iter_


def test_pandas_validation_set_keeps_feature_names():
    pd = pytest.importorskip("pandas")
    columns = [f"f{i}" for i in range(6)]
    frame, frame_val = (
        pd.DataFrame(X_TRAIN, columns=columns),
        pd.DataFrame(X_VAL, columns=columns),
    )
    clf = quiet_fit(early(), frame, Y_TRAIN, X_val=frame_val, y_val=Y_VAL)
    assert list(clf.feature_names_in_) == columns
    with pytest.raises(ValueError, match="X_val: The feature names should match"):
        early().fit(frame, Y_TRAIN, X_val=frame_val[columns[::-1]], y_val=Y_VAL)


# -- refused calls -------------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(X_val=X_VAL), "X_val is provided, but y_val was not provided"),
        (dict(y_val=Y_VAL), "y_val is provided, but X_val was not provided"),
        (dict(sample_weight_val=np.ones(100)), "sample_weight_val is provided"),
        (dict(X_val=X_VAL[:, :4], y_val=Y_VAL), "X_val: X has 4 features"),
        (dict(X_val=X_VAL[:50], y_val=Y_VAL), "inconsistent numbers of samples"),
        (dict(X_val=X_VAL[:1], y_val=Y_VAL[:1]), "X_val has 1 sample"),
        (dict(X_val=X_VAL, y_val=Y_VAL + 5), r"y_val has classes not seen"),
        (dict(X_val=X_VAL, y_val=np.c_[Y_VAL, Y_VAL]), "y_val has shape"),
        (dict(X_val=np.full_like(X_VAL, np.nan), y_val=Y_VAL), "X_val: Input X"),
        (
            dict(X_val=X_VAL, y_val=Y_VAL, sample_weight_val=-np.ones(100)),
            "sample_weight_val: Negative values",
        ),
        (
            dict(X_val=X_VAL, y_val=Y_VAL, sample_weight_val=np.zeros(100)),
            "sample_weight_val: Sample weights must contain at least one non-zero",
        ),
    ],
)
def test_bad_validation_set_is_refused_by_name_and_changes_nothing(kwargs, match):
    clf = quiet_fit(early(warm_start=True), X_TRAIN, Y_TRAIN)
    before = snapshot(clf)
    with pytest.raises(ValueError, match=match):
        clf.fit(X_TRAIN, Y_TRAIN, **kwargs)
    assert_same(before, vars(clf))


def test_validation_set_without_early_stopping_is_refused_as_in_hgbt():
    with pytest.raises(ValueError, match="early_stopping is False"):
        ToyNetClassifier().fit(X_TRAIN, Y_TRAIN, X_val=X_VAL, y_val=Y_VAL)
    with pytest.raises(ValueError, match="early_stopping is False"):
        ToyNetRegressor().fit(X_REG, Y_REG, X_val=X_REG, y_val=Y_REG)


def test_regressor_validation_targets_are_checked():
    with pytest.raises(ValueError, match="non-negative y_val"):
        early(ToyNetRegressor, loss="poisson").fit(
            X_REG, np.abs(Y_REG), X_val=X_REG, y_val=Y_REG
        )
    with pytest.raises(ValueError, match="y_val has 2 output"):
        early(ToyNetRegressor).fit(X_REG, Y_REG, X_val=X_REG, y_val=np.c_[Y_REG, Y_REG])


# -- solvers and continued fits ----------------------------------------------------


def test_lbfgs_ignores_the_validation_set_as_it_ignores_early_stopping():
    clf = quiet_fit(early(solver="lbfgs"), X_TRAIN, Y_TRAIN, X_val=X_VAL, y_val=Y_VAL)
    assert clf.validation_scores_ is None and clf.validation_loss_curve_ is None
    reference = quiet_fit(early(solver="lbfgs"), X_TRAIN, Y_TRAIN)
    np.testing.assert_array_equal(clf.coefs_[0], reference.coefs_[0])
    # Still validated, and still refused without early_stopping.
    with pytest.raises(ValueError, match="X_val: X has 4 features"):
        early(solver="lbfgs").fit(X_TRAIN, Y_TRAIN, X_val=X_VAL[:, :4], y_val=Y_VAL)
    with pytest.raises(ValueError, match="early_stopping is False"):
        early(solver="lbfgs", early_stopping=False).fit(
            X_TRAIN, Y_TRAIN, X_val=X_VAL, y_val=Y_VAL
        )


def test_partial_fit_takes_no_validation_set():
    clf = ToyNetClassifier()
    with pytest.raises(TypeError, match="X_val"):
        clf.partial_fit(X_TRAIN, Y_TRAIN, classes=[0, 1], X_val=X_VAL)
    clf.partial_fit(X_TRAIN, Y_TRAIN, classes=[0, 1])
    assert clf.validation_loss_curve_ is None


def test_warm_start_continues_the_validation_curves():
    clf = quiet_fit(early(warm_start=True), X_TRAIN, Y_TRAIN, X_val=X_VAL, y_val=Y_VAL)
    n = len(clf.validation_loss_curve_)
    quiet_fit(clf, X_TRAIN, Y_TRAIN, X_val=X_VAL, y_val=Y_VAL)
    assert len(clf.validation_loss_curve_) == len(clf.validation_scores_) > n


def test_warm_start_can_turn_early_stopping_on():
    # MLPClassifier raises AttributeError here (its validation_scores_ is None).
    clf = quiet_fit(early(early_stopping=False, warm_start=True), X_TRAIN, Y_TRAIN)
    assert clf.validation_loss_curve_ is None
    clf.set_params(early_stopping=True)
    quiet_fit(clf, X_TRAIN, Y_TRAIN, X_val=X_VAL, y_val=Y_VAL)
    assert len(clf.validation_scores_) == len(clf.validation_loss_curve_) == 8
    assert clf.best_validation_score_ == max(clf.validation_scores_)


@pytest.mark.parametrize("Est", [ToyNetClassifier, ToyNetRegressor])
def test_fit_signature_is_hist_gradient_boostings(Est):
    ours = inspect.signature(Est.fit).parameters
    hgbt = inspect.signature(HistGradientBoostingClassifier.fit).parameters
    assert [(p.name, p.kind, p.default) for p in ours.values()] == [
        (p.name, p.kind, p.default) for p in hgbt.values()
    ]


@pytest.mark.parametrize("how", ["partial_fit", "warm_start"])
def test_continuing_without_early_stopping_after_a_fit_with_it(how):
    # MLP raises TypeError (None - float) here; the loss rule starts afresh.
    clf = quiet_fit(early(max_iter=5), X_TRAIN, Y_TRAIN)
    assert clf.best_loss_ is None
    clf.set_params(early_stopping=False, warm_start=how == "warm_start")
    if how == "partial_fit":
        clf.partial_fit(X_TRAIN, Y_TRAIN)
    else:
        quiet_fit(clf, X_TRAIN, Y_TRAIN)
    assert clf.best_loss_ == min(clf.loss_curve_[-clf.n_iter_ :])
