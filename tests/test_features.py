"""Each training feature does what its name promises."""

import re
import warnings

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.datasets import (
    make_classification,
    make_moons,
    make_multilabel_classification,
)
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import recall_score

from sklearn_toynet import ToyNetClassifier, ToyNetRegressor, _fitting
from sklearn_toynet._optimizers import clip_grad_norm

X_XOR = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
Y_XOR = np.array([0, 1, 1, 0])

X_MOONS, Y_MOONS = make_moons(200, noise=0.2, random_state=0)


def quiet(est, *args, **kwargs):
    """Fit, ignoring the ConvergenceWarning of deliberately short runs."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return est.fit(*args, **kwargs)


# -- solvers ------------------------------------------------------------------------


@pytest.mark.parametrize("activation", ["tanh", "logistic"])
@pytest.mark.parametrize("hidden_layer_sizes", [(4,), (8,)])
def test_lbfgs_solves_xor(hidden_layer_sizes, activation):
    clf = ToyNetClassifier(
        hidden_layer_sizes=hidden_layer_sizes,
        activation=activation,
        solver="lbfgs",
        random_state=1,
    ).fit(X_XOR, Y_XOR)
    assert clf.score(X_XOR, Y_XOR) == 1.0
    assert clf.n_iter_ >= 1
    assert len(clf.loss_curve_) >= 1
    assert clf.loss_ == pytest.approx(clf.loss_curve_[-1])


# -- learning-rate schedules -------------------------------------------------------


def sgd_moons(**params):
    defaults = dict(
        hidden_layer_sizes=(8,),
        solver="sgd",
        learning_rate_init=0.2,
        batch_size=30,
        random_state=0,
    )
    return ToyNetClassifier(**{**defaults, **params})


def test_constant_learning_rate_stays_put():
    clf = quiet(sgd_moons(learning_rate="constant", max_iter=7), X_MOONS, Y_MOONS)
    assert clf.n_iter_ == 7
    assert clf._optimizer.learning_rate == 0.2


@pytest.mark.parametrize("power_t", [0.3, 0.5])
def test_invscaling_learning_rate_follows_samples_seen(power_t):
    clf = quiet(
        sgd_moons(learning_rate="invscaling", power_t=power_t, max_iter=7),
        X_MOONS,
        Y_MOONS,
    )
    assert clf.t_ == 7 * len(X_MOONS)
    expected = 0.2 / (clf.t_ + 1) ** power_t
    assert clf._optimizer.learning_rate == pytest.approx(expected, rel=1e-12)
    assert clf._optimizer.learning_rate < 0.2


def test_adaptive_learning_rate_divides_by_five_on_plateau(capsys):
    # A tolerance no epoch can beat: after the first epoch every epoch is a
    # plateau, so the step shrinks each n_iter_no_change + 1 = 3 epochs (4, 7).
    clf = quiet(
        sgd_moons(
            learning_rate="adaptive",
            tol=10.0,
            n_iter_no_change=2,
            max_iter=9,
            verbose=True,
        ),
        X_MOONS,
        Y_MOONS,
    )
    assert clf.n_iter_ == 9
    assert clf._optimizer.learning_rate == pytest.approx(0.2 / 25)
    out = capsys.readouterr().out
    steps = re.findall(r"Setting learning rate to ([0-9.]+)", out)
    assert [float(s) for s in steps] == pytest.approx([0.04, 0.008])


def test_adaptive_learning_rate_stops_once_tiny():
    # Uninformative features: the loss flattens at once and keeps flattening.
    X = np.zeros((40, 2))
    y = np.tile([0, 1], 20)
    clf = ToyNetClassifier(
        hidden_layer_sizes=(3,),
        solver="sgd",
        learning_rate="adaptive",
        learning_rate_init=0.01,
        n_iter_no_change=2,
        max_iter=500,
        random_state=0,
    ).fit(X, y)
    # 0.01 / 5**k <= 1e-6 first at k = 6; the step is then too small to go on.
    assert clf._optimizer.learning_rate == pytest.approx(0.01 / 5**6)
    assert clf.n_iter_ < 500
    # The constant schedule stops at the first plateau instead.
    constant = clone(clf).set_params(learning_rate="constant").fit(X, y)
    assert constant._optimizer.learning_rate == 0.01
    assert constant.n_iter_ < clf.n_iter_


def test_adaptive_learning_rate_keeps_step_while_improving():
    clf = quiet(
        sgd_moons(
            learning_rate="adaptive",
            tol=0.0,
            max_iter=10,
            batch_size=len(X_MOONS),
            momentum=0.0,
        ),
        X_MOONS,
        Y_MOONS,
    )
    assert np.all(np.diff(clf.loss_curve_) < 0)
    assert clf._optimizer.learning_rate == 0.2


# -- dropout ------------------------------------------------------------------------


def dropout_net(**params):
    defaults = dict(
        hidden_layer_sizes=(32, 16),
        activation="relu",
        dropout=0.5,
        solver="adam",
        learning_rate_init=0.01,
        max_iter=20,
        tol=None,
        random_state=3,
    )
    return ToyNetClassifier(**{**defaults, **params})


def test_dropout_is_reproducible_with_random_state():
    a = dropout_net().fit(X_MOONS, Y_MOONS)
    b = dropout_net().fit(X_MOONS, Y_MOONS)
    for Wa, Wb in zip(a.coefs_ + a.intercepts_, b.coefs_ + b.intercepts_):
        np.testing.assert_array_equal(Wa, Wb)
    # The masks are drawn: without dropout, or with other draws, training differs.
    plain = dropout_net(dropout=0.0).fit(X_MOONS, Y_MOONS)
    assert not np.allclose(a.coefs_[0], plain.coefs_[0])
    # Same initial weights, other masks and shuffles (a RandomState consumed the
    # same way for the weights, then a different stream).
    c = dropout_net(random_state=4).fit(X_MOONS, Y_MOONS)
    assert not np.allclose(a.coefs_[-1], c.coefs_[-1])


def test_dropout_is_off_at_predict():
    clf = dropout_net().fit(X_MOONS, Y_MOONS)
    proba = clf.predict_proba(X_MOONS)
    np.testing.assert_array_equal(proba, clf.predict_proba(X_MOONS))
    # A dropout-free clone carrying the same weights predicts the same.
    twin = dropout_net(dropout=0.0, max_iter=1).fit(X_MOONS, Y_MOONS)
    twin.coefs_ = [W.copy() for W in clf.coefs_]
    twin.intercepts_ = [b.copy() for b in clf.intercepts_]
    np.testing.assert_array_equal(twin.predict_proba(X_MOONS), proba)
    # ... which is the plain forward pass, survivors unscaled.
    A = X_MOONS
    for W, b in zip(clf.coefs_[:-1], clf.intercepts_[:-1]):
        A = np.maximum(A @ W + b, 0)
    p = 1 / (1 + np.exp(-(A @ clf.coefs_[-1] + clf.intercepts_[-1])))
    np.testing.assert_allclose(proba[:, 1], p.ravel(), rtol=1e-12, atol=1e-15)


def test_dropout_rejects_lbfgs():
    with pytest.raises(ValueError, match="dropout"):
        ToyNetClassifier(solver="lbfgs", dropout=0.2).fit(X_MOONS, Y_MOONS)


# -- batch normalization ------------------------------------------------------------


def deep_logistic(batch_norm):
    return ToyNetClassifier(
        hidden_layer_sizes=(16,) * 6,
        activation="logistic",
        batch_norm=batch_norm,
        solver="sgd",
        learning_rate_init=0.1,
        batch_size=32,
        max_iter=30,
        tol=None,
        random_state=0,
    )


def test_batch_norm_trains_a_deep_logistic_stack():
    X, y = make_moons(300, noise=0.2, random_state=0)
    plain = deep_logistic(False).fit(X, y)
    normed = deep_logistic(True).fit(X, y)
    assert plain.n_iter_ == normed.n_iter_ == 30
    assert normed.score(X, y) > 0.9
    assert normed.score(X, y) > plain.score(X, y) + 0.2
    # Learned scales and shifts moved away from their start.
    bn = normed.batch_norm_
    assert len(bn.gammas) == 6
    assert not np.allclose(bn.gammas[0], 1.0)
    assert not np.allclose(bn.running_means[0], 0.0)


def test_batch_norm_predicts_row_by_row():
    clf = deep_logistic(True).set_params(max_iter=5).fit(X_MOONS, Y_MOONS)
    proba = clf.predict_proba(X_MOONS)
    for i in [0, 1, 17, 100, 199]:
        np.testing.assert_allclose(
            clf.predict_proba(X_MOONS[i : i + 1])[0], proba[i], rtol=1e-12
        )
    # A batch of one row, or of another mix of rows, changes nothing.
    order = np.random.RandomState(0).permutation(len(X_MOONS))
    np.testing.assert_allclose(clf.predict_proba(X_MOONS[order]), proba[order])


# -- gradient clipping --------------------------------------------------------------


def reckless(max_grad_norm):
    return ToyNetRegressor(
        hidden_layer_sizes=(16,),
        solver="sgd",
        learning_rate_init=50.0,
        max_grad_norm=max_grad_norm,
        max_iter=50,
        random_state=0,
    )


def test_max_grad_norm_keeps_a_reckless_learning_rate_finite():
    # The divergence error names the culprit and the remedy.
    with pytest.raises(
        ValueError, match=r"learning_rate_init=50(\.0)? is too large.*max_grad_norm"
    ):
        reckless(None).fit(X_MOONS, Y_MOONS)
    reg = quiet(reckless(1.0), X_MOONS, Y_MOONS)
    assert reg.n_iter_ >= 1
    for W in reg.coefs_ + reg.intercepts_:
        assert np.isfinite(W).all()
    assert np.isfinite(reg.loss_curve_).all()
    assert np.isfinite(reg.predict(X_MOONS)).all()


def test_clip_grad_norm_caps_the_global_norm_and_keeps_the_direction():
    rng = np.random.RandomState(0)
    grads = [rng.normal(size=(3, 4)), rng.normal(size=4)]
    norm = np.sqrt(sum((g**2).sum() for g in grads))
    clipped = [g.copy() for g in grads]
    assert clip_grad_norm(clipped, 1.0) == pytest.approx(norm)
    assert np.sqrt(sum((g**2).sum() for g in clipped)) == pytest.approx(1.0)
    for g, c in zip(grads, clipped):
        np.testing.assert_allclose(c, g / norm)
    # Below the cap nothing changes.
    untouched = [g.copy() for g in grads]
    clip_grad_norm(untouched, 2 * norm)
    for g, u in zip(grads, untouched):
        np.testing.assert_array_equal(g, u)


# -- class and sample weights -------------------------------------------------------


def test_balanced_class_weight_raises_minority_recall():
    X, y = make_classification(1000, weights=[0.95, 0.05], flip_y=0, random_state=0)
    params = dict(hidden_layer_sizes=(16,), max_iter=100, random_state=0)
    plain = quiet(ToyNetClassifier(**params), X, y)
    balanced = quiet(ToyNetClassifier(class_weight="balanced", **params), X, y)
    recall_plain = recall_score(y, plain.predict(X))
    recall_balanced = recall_score(y, balanced.predict(X))
    assert recall_balanced > recall_plain + 0.1


@pytest.mark.parametrize("Estimator", [ToyNetClassifier, ToyNetRegressor])
@pytest.mark.parametrize("solver", ["sgd", "adam", "lbfgs"])
def test_integer_sample_weights_equal_repeated_rows(Estimator, solver):
    rng = np.random.RandomState(0)
    X = rng.normal(size=(20, 3))
    if Estimator is ToyNetClassifier:
        y = (X[:, 0] + X[:, 1] > 0).astype(int)
    else:
        y = X @ [1.0, -2.0, 0.5] + rng.normal(scale=0.1, size=20)
    sample_weight = np.arange(20) % 3 + 1
    X_rep, y_rep = np.repeat(X, sample_weight, axis=0), np.repeat(y, sample_weight)
    params = dict(
        hidden_layer_sizes=(5,),
        solver=solver,
        shuffle=False,
        max_iter=30,
        tol=None,
        alpha=0.01,
        random_state=0,
    )
    weighted = Estimator(batch_size=len(X), **params)
    weighted.fit(X, y, sample_weight=sample_weight)
    repeated = Estimator(batch_size=len(X_rep), **params).fit(X_rep, y_rep)
    # Same starting weights; so the same loss, gradient and steps throughout.
    assert weighted.n_iter_ == repeated.n_iter_
    for a, b in zip(
        weighted.coefs_ + weighted.intercepts_, repeated.coefs_ + repeated.intercepts_
    ):
        np.testing.assert_allclose(a, b, rtol=1e-7, atol=1e-9)
    # ... and the weights matter: unweighted training ends elsewhere.
    unweighted = Estimator(batch_size=len(X), **params).fit(X, y)
    assert not np.allclose(unweighted.coefs_[0], weighted.coefs_[0])


@pytest.mark.parametrize("solver", ["adam", "lbfgs"])
def test_class_weight_equals_the_matching_sample_weights(solver):
    X, y = make_classification(120, n_classes=3, n_informative=4, random_state=0)
    params = dict(hidden_layer_sizes=(6,), solver=solver, max_iter=15, random_state=0)
    user_weight = np.arange(len(y)) % 4 + 1.0
    class_weight = {0: 1.0, 1: 3.0, 2: 0.5}
    by_class = quiet(
        ToyNetClassifier(class_weight=class_weight, **params),
        X,
        y,
        sample_weight=user_weight,
    )
    by_row = quiet(
        ToyNetClassifier(**params),
        X,
        y,
        sample_weight=user_weight * np.array([1.0, 3.0, 0.5])[y],
    )
    for a, b in zip(by_class.coefs_, by_row.coefs_):
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-12)
    plain = quiet(ToyNetClassifier(**params), X, y, sample_weight=user_weight)
    assert not np.allclose(plain.coefs_[0], by_class.coefs_[0])


# -- partial_fit ---------------------------------------------------------------------


def test_partial_fit_trains_multilabel_targets():
    X, Y = make_multilabel_classification(100, n_classes=4, random_state=0)
    params = dict(
        hidden_layer_sizes=(20,),
        solver="adam",
        learning_rate_init=0.01,
        random_state=0,
    )
    clf = ToyNetClassifier(**params)
    clf.partial_fit(X, Y, classes=[0, 1, 2, 3])
    first_loss = clf.loss_
    assert clf.out_activation_ == "logistic"
    np.testing.assert_array_equal(clf.classes_, [0, 1, 2, 3])
    for _ in range(29):
        clf.partial_fit(X, Y)
    assert clf.loss_ < first_loss
    assert clf.predict(X).shape == Y.shape
    assert set(np.unique(clf.predict(X))) <= {0, 1}
    assert clf.predict_proba(X).shape == Y.shape
    # Thirty one-epoch calls are thirty epochs of fit.
    full = ToyNetClassifier(max_iter=30, tol=None, **params).fit(X, Y)
    for a, b in zip(full.coefs_, clf.coefs_):
        np.testing.assert_allclose(a, b, rtol=1e-10)


# -- early stopping -----------------------------------------------------------------


@pytest.fixture
def recorded_splits(monkeypatch):
    """Record the arguments and results of the early-stopping split."""
    calls = []
    original = _fitting.train_test_split

    def recording(*arrays, **kwargs):
        parts = original(*arrays, **kwargs)
        calls.append((kwargs, parts))
        return parts

    monkeypatch.setattr(_fitting, "train_test_split", recording)
    return calls


def test_early_stopping_split_is_stratified(recorded_splits):
    X, y = make_classification(200, weights=[0.8, 0.2], random_state=0)
    clf = ToyNetClassifier(early_stopping=True, max_iter=5, random_state=0)
    quiet(clf, X, y)
    ((kwargs, parts),) = recorded_splits
    assert kwargs["stratify"] is not None
    # Both sides keep the class proportions.
    Y_train, Y_val = parts[2], parts[3]
    assert Y_val.mean() == pytest.approx(y.mean(), abs=0.03)
    assert Y_train.mean() == pytest.approx(y.mean(), abs=0.03)
    # One member of a class cannot be stratified: the split says so.
    with pytest.raises(ValueError, match="least populated class"):
        ToyNetClassifier(early_stopping=True).fit(X[:4], [0, 0, 0, 1])


def test_early_stopping_split_is_stratified_for_multiclass(recorded_splits):
    X, y = make_classification(
        300, n_classes=3, n_informative=4, weights=[0.7, 0.2, 0.1], random_state=0
    )
    quiet(ToyNetClassifier(early_stopping=True, max_iter=5, random_state=0), X, y)
    ((kwargs, parts),) = recorded_splits
    assert kwargs["stratify"] is not None
    # Each class keeps its share on the held-out side (one-hot columns).
    proportions = np.bincount(y) / len(y)
    np.testing.assert_allclose(parts[3].mean(axis=0), proportions, atol=0.02)


@pytest.mark.parametrize("batch_norm", [False, True])
def test_early_stopping_restores_the_best_weights(recorded_splits, batch_norm):
    X, y = make_classification(300, n_features=10, flip_y=0.2, random_state=0)
    clf = ToyNetClassifier(
        hidden_layer_sizes=(50,),
        batch_norm=batch_norm,
        early_stopping=True,
        solver="sgd",
        learning_rate_init=0.5,
        n_iter_no_change=5,
        max_iter=200,
        random_state=0,
    ).fit(X, y)
    scores = clf.validation_scores_
    assert len(scores) == clf.n_iter_ < 200
    assert clf.best_loss_ is None
    assert clf.best_validation_score_ == max(scores)
    # The last epoch was worse than the best: restoring matters here.
    assert scores[-1] < clf.best_validation_score_
    ((_, parts),) = recorded_splits
    X_val, Y_val = parts[1], parts[3]
    y_val = clf.classes_[Y_val[:, 0].astype(int)]
    assert clf.score(X_val, y_val) == clf.best_validation_score_


# -- warm start ---------------------------------------------------------------------


@pytest.mark.parametrize("Estimator", [ToyNetClassifier, ToyNetRegressor])
def test_warm_start_continues_training(Estimator):
    X, y = X_MOONS, Y_MOONS
    params = dict(
        hidden_layer_sizes=(8,),
        solver="sgd",
        momentum=0.0,
        learning_rate_init=0.1,
        tol=None,
        random_state=0,
    )
    warm = Estimator(warm_start=True, max_iter=5, **params).fit(X, y)
    first = [W.copy() for W in warm.coefs_]
    warm.fit(X, y)
    straight = Estimator(max_iter=10, **params).fit(X, y)
    # Five epochs, then five more from there, are ten epochs.
    for a, b in zip(
        warm.coefs_ + warm.intercepts_, straight.coefs_ + straight.intercepts_
    ):
        np.testing.assert_allclose(a, b, rtol=1e-10)
    assert len(warm.loss_curve_) == 10
    assert warm.loss_curve_ == pytest.approx(straight.loss_curve_, rel=1e-10)
    assert warm.t_ == straight.t_ == 10 * len(X)
    # As MLPClassifier, n_iter_ counts the epochs of the last call.
    assert warm.n_iter_ == 5
    # Without warm_start a second fit starts over.
    cold = Estimator(max_iter=5, **params).fit(X, y)
    cold.fit(X, y)
    for a, b in zip(cold.coefs_, first):
        np.testing.assert_array_equal(a, b)


# -- dtypes -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "params",
    [
        dict(solver="adam"),
        dict(solver="sgd", dropout=0.2, max_grad_norm=5.0),
        dict(solver="lbfgs"),
        dict(solver="adam", batch_norm=True),
        dict(solver="lbfgs", batch_norm=True, fit_intercept=False),
    ],
    ids=["adam", "sgd-dropout-clip", "lbfgs", "adam-bn", "lbfgs-bn-nobias"],
)
@pytest.mark.parametrize("Estimator", [ToyNetClassifier, ToyNetRegressor])
def test_float32_in_float32_out(Estimator, params):
    X = X_MOONS.astype(np.float32)
    est = quiet(
        Estimator(hidden_layer_sizes=(8, 4), max_iter=20, random_state=0, **params),
        X,
        Y_MOONS,
    )
    for a in est.coefs_ + est.intercepts_:
        assert a.dtype == np.float32
    if est.batch_norm_ is not None:
        bn = est.batch_norm_
        for a in bn.gammas + bn.betas + bn.running_means + bn.running_vars:
            assert a.dtype == np.float32
    if Estimator is ToyNetClassifier:
        assert est.predict_proba(X).dtype == np.float32
    else:
        assert est.predict(X).dtype == np.float32
    assert all(a.dtype == np.float32 for a in est.activations(X))
    # float64 data trains in float64.
    est64 = quiet(clone(est), X_MOONS, Y_MOONS)
    assert est64.coefs_[0].dtype == np.float64


# -- verbose and tol=None -----------------------------------------------------------


@pytest.mark.parametrize("solver", ["sgd", "adam", "lbfgs"])
def test_verbose_prints_mlp_style_iteration_lines(capsys, solver):
    clf = quiet(
        ToyNetClassifier(hidden_layer_sizes=(4,), solver=solver, max_iter=5, verbose=1),
        X_MOONS,
        Y_MOONS,
    )
    lines = capsys.readouterr().out.splitlines()
    iterations = [l for l in lines if l.startswith("Iteration")]
    assert len(iterations) == len(clf.loss_curve_) >= 1
    for i, (line, loss) in enumerate(zip(iterations, clf.loss_curve_), start=1):
        assert re.fullmatch(r"Iteration \d+, loss = \d+\.\d{8}", line)
        assert line == "Iteration %d, loss = %.8f" % (i, loss)
    # Not verbose, not a word.
    quiet(clone(clf).set_params(verbose=0), X_MOONS, Y_MOONS)
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize("solver", ["sgd", "adam"])
@pytest.mark.parametrize("Estimator", [ToyNetClassifier, ToyNetRegressor])
def test_tol_none_runs_exactly_max_iter_epochs(Estimator, solver):
    X, y = X_XOR, Y_XOR
    params = dict(hidden_layer_sizes=(4,), solver=solver, random_state=0, max_iter=300)
    # With a tolerance this converges early ...
    stopped = Estimator(tol=0.1, **params).fit(X, y)
    assert stopped.n_iter_ < 300
    # ... with none it runs every epoch, silently.
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        est = Estimator(tol=None, **params).fit(X, y)
    assert est.n_iter_ == 300
    assert len(est.loss_curve_) == 300
    assert est.t_ == 300 * len(X)


def test_batch_norm_running_statistics_ignore_one_row_batches():
    clf = deep_logistic(True).set_params(max_iter=3, batch_size=50)
    clf.fit(X_MOONS, Y_MOONS).set_params(batch_size="auto")

    def running(est):
        bn = est.batch_norm_
        return [a.copy() for a in bn.running_means + bn.running_vars]

    before = running(clf)
    # One row has no variance and is no mean of the data: nothing to learn from.
    clf.partial_fit(X_MOONS[:1], Y_MOONS[:1])
    for a, b in zip(before, running(clf)):
        np.testing.assert_array_equal(a, b)
    # Two rows are a (poor) batch: the running statistics move.
    clf.partial_fit(X_MOONS[:2], Y_MOONS[:2])
    assert not np.allclose(before[0], running(clf)[0])
    # An epoch ending in a one-row batch: 201 rows in batches of 50 leave the
    # running statistics where the first 200 rows put them.
    X, y = make_moons(201, noise=0.2, random_state=0)
    params = dict(
        hidden_layer_sizes=(16, 16),
        batch_norm=True,
        batch_size=50,
        shuffle=False,
        max_iter=1,
        tol=None,
        random_state=0,
    )
    even = ToyNetClassifier(**params).fit(X[:200], y[:200])
    odd = ToyNetClassifier(**params).fit(X, y)
    for a, b in zip(running(odd), running(even)):
        np.testing.assert_array_equal(a, b)
    # ... while the one-row batch did train the weights.
    assert not np.allclose(odd.coefs_[-1], even.coefs_[-1])
