"""Dropout, batch normalization and gradient clipping do what their names promise.

Dropout draws reproducible masks in training and is off at predict (and refuses
L-BFGS); batch normalization trains a deep logistic stack, predicts row by row,
and learns its running statistics from real batches only; ``max_grad_norm`` caps
the global gradient norm and keeps a reckless learning rate finite.
"""

import numpy as np
import pytest
from sklearn.datasets import make_moons

from sklearn_toynet import ToyNetClassifier, ToyNetRegressor
from sklearn_toynet._optimizers import clip_grad_norm

from _features_helpers import X_MOONS, Y_MOONS
from _helpers import quiet_fit as quiet

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
