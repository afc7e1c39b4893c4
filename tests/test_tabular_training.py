"""The tabular pair's training: weights, validation, early stopping, continuing.

Small tables and short fits; where two fits should agree, the test compares
their answers within rounding (or bit for bit where nothing differs but the
call), with ``early_stopping=False`` where a held-out split would differ.
"""

import numpy as np
import pytest
from sklearn.metrics import log_loss, r2_score

from sklearn_toynet import ToyNetTabularClassifier, ToyNetTabularRegressor

from _tabular_helpers import (
    SMALL,
    class_targets,
    estimator_and_targets,
    outputs,
    quiet,
    regression_targets,
    table,
)

KINDS = ["classifier", "regressor"]


# -- sample_weight and class_weight ------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_a_zero_weight_is_a_row_left_out(kind):
    X = table()
    est, y = estimator_and_targets(kind, X)
    est.set_params(early_stopping=False, max_iter=10)
    weights = np.ones(len(X))
    weights[10:20] = 0.0
    weighted = quiet(est.fit, X, y, sample_weight=weights)
    P_weighted = outputs(weighted, X)
    kept = weights > 0
    without = quiet(est.fit, X[kept], y[kept])
    np.testing.assert_allclose(P_weighted, outputs(without, X), rtol=1e-9, atol=1e-9)


@pytest.mark.parametrize("kind", KINDS)
def test_an_integer_weight_is_a_row_repeated(kind):
    X = table()
    est, y = estimator_and_targets(kind, X)
    est.set_params(early_stopping=False, max_iter=10)
    weights = np.random.default_rng(1).integers(1, 4, len(X))
    weighted = quiet(est.fit, X, y, sample_weight=weights)
    P_weighted = outputs(weighted, X)
    rows = np.repeat(np.arange(len(X)), weights)
    repeated = quiet(est.fit, X.iloc[rows], y[rows])
    np.testing.assert_allclose(P_weighted, outputs(repeated, X), rtol=1e-9, atol=1e-9)


def test_class_weight_makes_the_class_weighted_up_likelier():
    X = table(gaps=False)
    y = class_targets(X)
    params = {**SMALL, "early_stopping": False, "max_iter": 10}
    by_class = ToyNetTabularClassifier(**params, class_weight={0: 1.0, 1: 4.0})
    quiet(by_class.fit, X, y)
    plain = quiet(ToyNetTabularClassifier(**params).fit, X, y)
    # The class weighted up is predicted more often (likelier) than unweighted.
    assert by_class.predict_proba(X)[:, 1].mean() > plain.predict_proba(X)[:, 1].mean()


# -- a given validation set, and early_stopping="auto" --------------------------------


def test_a_given_validation_table_is_scored_through_the_fitted_encoder():
    X, X_val = table(100), table(30, seed=3)
    X_val["colour"] = X_val["colour"].cat.add_categories("violet")
    X_val.loc[0, "colour"] = "violet"  # a category the encoder never saw
    y, y_val = class_targets(X), class_targets(X_val)
    est = ToyNetTabularClassifier(**{**SMALL, "max_iter": 1}, scoring="loss")
    est.fit(X, y, X_val=X_val, y_val=y_val)
    alone = ToyNetTabularClassifier(**{**SMALL, "max_iter": 1}).fit(X, y)
    assert est.encoder_.plan() == alone.encoder_.plan()  # fitted on X alone
    expected = log_loss(y_val, est.predict_proba(X_val))
    assert est.validation_loss_curve_ == [pytest.approx(expected, rel=1e-12)]


@pytest.mark.parametrize(
    "n_rows, early_stopping, holds_out",
    [(150, "auto", True), (30, "auto", False), (150, False, False), (60, True, True)],
)
@pytest.mark.parametrize("kind", KINDS)
def test_early_stopping_auto_holds_out_only_enough_rows(
    kind, n_rows, early_stopping, holds_out
):
    X = table(n_rows)
    est, y = estimator_and_targets(kind, X)
    quiet(est.set_params(early_stopping=early_stopping).fit, X, y)
    if holds_out:
        assert len(est.validation_scores_) == est.n_iter_
    else:
        assert est.validation_scores_ is None


def test_early_stopping_auto_does_not_split_a_class_too_rare_to_stratify():
    X = table(150)
    y = np.zeros(len(X), dtype=int)
    y[0] = 1  # one member: no stratified split keeps it on both sides
    est = quiet(ToyNetTabularClassifier(**SMALL).fit, X, y)
    assert est.validation_scores_ is None


# -- continuing: partial_fit and warm_start ------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_partial_fit_with_the_defaults_trains_one_epoch_and_continues(kind):
    X = table(150)  # enough rows that a fit would hold some out
    est, y = estimator_and_targets(kind, X)
    kwargs = {"classes": [0, 1]} if kind == "classifier" else {}
    est.partial_fit(X, y, **kwargs)
    assert est.n_iter_ == 1 and est.t_ == len(X)
    assert est.validation_scores_ is None
    first = [W.copy() for W in est.coefs_]
    est.partial_fit(X.iloc[:40], y[:40])
    assert est.t_ == len(X) + 40
    assert not np.array_equal(first[0], est.coefs_[0])
    assert np.all(np.isfinite(outputs(est, X)))


def test_warm_start_keeps_the_first_encoder_and_continues_from_its_weights():
    X = table(gaps=False)
    y = class_targets(X)
    est = ToyNetTabularClassifier(**SMALL, early_stopping=False, warm_start=True)
    quiet(est.fit, X, y)
    encoder, first = est.encoder_, [W.copy() for W in est.coefs_]
    more = table(seed=2)  # gaps and categories in other rows: no refit
    # A step too small to move the weights: a continued fit keeps them.
    est.set_params(max_iter=1, learning_rate_init=1e-12)
    quiet(est.fit, more, class_targets(more))
    assert est.encoder_ is encoder
    for W_first, W in zip(first, est.coefs_):
        np.testing.assert_allclose(W, W_first, rtol=0, atol=1e-9)
    assert np.all(np.isfinite(est.predict_proba(more)))


# -- random_state ---------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_the_same_random_state_gives_bit_identical_models(kind):
    X = table(150)  # with the default early stopping's split
    answers = []
    for _ in range(2):
        est, y = estimator_and_targets(kind, X)
        quiet(est.fit, X, y)
        assert est.validation_scores_ is not None
        answers.append(outputs(est, X))
    np.testing.assert_array_equal(*answers)
    other, _ = estimator_and_targets(kind, X)
    quiet(other.set_params(random_state=1).fit, X, y)
    assert not np.array_equal(answers[0], outputs(other, X))


# -- regression targets -------------------------------------------------------------


def test_regression_predicts_in_the_units_of_large_offset_targets():
    X = table(200, gaps=False)
    y = 1e4 * regression_targets(X) + 1e6
    est = ToyNetTabularRegressor(
        hidden_layer_sizes=(16,), max_iter=60, batch_size=20, random_state=0
    )
    quiet(est.fit, X, y)
    assert est.loss_curve_[-1] < 1.0  # the network's loss, on standardized targets
    coding = est._target_coding
    np.testing.assert_allclose(coding.center, [y.mean()])
    np.testing.assert_allclose(coding.scale, [y.std()])
    assert r2_score(y, est.predict(X)) > 0.9


def test_poisson_regression_learns_counts_unstandardized():
    X = table(200, gaps=False)
    rate = np.exp(0.5 * regression_targets(X))
    y = np.random.default_rng(0).poisson(rate)
    est = ToyNetTabularRegressor(
        hidden_layer_sizes=(16,), max_iter=60, batch_size=20, random_state=0,
        loss="poisson",
    )  # fmt: skip
    quiet(est.fit, X, y)
    assert est._target_coding.center is None
    P = est.predict(X)
    assert np.all(P > 0)
    assert P.mean() == pytest.approx(y.mean(), rel=0.1)
    assert r2_score(rate, P) > 0.7
