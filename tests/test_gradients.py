"""The backward pass is the exact gradient of the loss.

Every gradient ``loss_and_gradient`` fills in is compared with central finite
differences of the loss it returns, in float64, for every hidden activation,
every loss/output pairing the estimators use, with and without intercepts, at
several depths, and with each training feature that changes the math (L2, sample
and class weights, dropout, batch normalization).
"""

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.utils.class_weight import compute_sample_weight

from sklearn_toynet import ToyNetClassifier, _training
from sklearn_toynet._network import BatchNormState, Network, init_weights
from sklearn_toynet._training import loss_and_gradient

EPS = 1e-6
RTOL = 1e-5
ATOL = 1e-8

HIDDEN_ACTIVATIONS = ["identity", "logistic", "tanh", "relu"]
DEPTHS = [(), (5,), (4, 3)]

# (loss, output activation, kind of target) as the estimators pair them.
PAIRINGS = {
    "log_loss-logistic-binary": ("log_loss", "logistic", "binary"),
    "log_loss-softmax-multiclass": ("log_loss", "softmax", "onehot"),
    "log_loss-logistic-multilabel": ("log_loss", "logistic", "multilabel"),
    "squared_error-logistic": ("squared_error", "logistic", "unit"),
    "squared_error-softmax": ("squared_error", "softmax", "onehot"),
    "squared_error-identity": ("squared_error", "identity", "real"),
    "poisson-exp": ("poisson", "exp", "counts"),
}

N_SAMPLES = 7
N_FEATURES = 3


def make_targets(kind, n_samples, rng):
    if kind == "binary":
        return rng.randint(0, 2, (n_samples, 1)).astype(float)
    if kind == "onehot":
        return np.eye(3)[rng.randint(0, 3, n_samples)]
    if kind == "multilabel":
        return rng.randint(0, 2, (n_samples, 3)).astype(float)
    if kind == "unit":
        return rng.uniform(0, 1, (n_samples, 2))
    if kind == "real":
        return rng.normal(size=(n_samples, 2))
    if kind == "counts":
        return rng.poisson(2.0, (n_samples, 2)).astype(float)
    raise ValueError(kind)


def make_problem(
    pairing, activation, depth, fit_intercept, *, seed=0, n_samples=N_SAMPLES
):
    """A network straight from ``init_weights`` and data for it."""
    loss, out_activation, kind = PAIRINGS[pairing]
    rng = np.random.RandomState(seed)
    X = rng.normal(size=(n_samples, N_FEATURES))
    Y = make_targets(kind, n_samples, rng)
    units = [N_FEATURES, *depth, Y.shape[1]]
    coefs, intercepts = init_weights(
        units, "uniform", activation, fit_intercept, rng, np.float64
    )
    net = Network(
        coefs,
        intercepts,
        activation=activation,
        out_activation=out_activation,
        fit_intercept=fit_intercept,
    )
    return net, X, Y, loss


def analytic_and_numeric(net, X, Y, sample_weight, loss, alpha=0.0, **forward):
    """``loss_and_gradient``'s gradients and central differences of its loss.

    A callable in ``forward`` is called afresh before every forward pass (a
    freshly seeded rng, so that every evaluation draws the same dropout masks).
    """

    def evaluate(grads):
        fresh = {k: (v() if callable(v) else v) for k, v in forward.items()}
        return loss_and_gradient(
            net, X, Y, sample_weight, grads, loss=loss, alpha=alpha, **fresh
        )

    params = net.params()
    grads = [np.full_like(p, np.nan) for p in params]
    evaluate(grads)
    scratch = [np.empty_like(p) for p in params]
    numeric = []
    for p in params:
        g = np.empty_like(p)
        flat, gflat = p.reshape(-1), g.reshape(-1)
        for j in range(flat.size):
            orig = flat[j]
            flat[j] = orig + EPS
            up = evaluate(scratch)
            flat[j] = orig - EPS
            down = evaluate(scratch)
            flat[j] = orig
            gflat[j] = (up - down) / (2 * EPS)
        numeric.append(g)
    return grads, numeric


def assert_gradients_match(grads, numeric):
    assert len(grads) == len(numeric)
    for k, (g, n) in enumerate(zip(grads, numeric)):
        assert g.shape == n.shape
        np.testing.assert_allclose(
            g, n, rtol=RTOL, atol=ATOL, err_msg=f"parameter array {k}"
        )
    # The comparison means something only if the gradient is not all zeros.
    assert max(np.abs(n).max() for n in numeric) > 1e-3


def assert_away_from_relu_kink(net, X, margin=1e-4):
    """No ReLU sits within ``margin`` of its kink, where a step of EPS matters.

    A row whose input to the layer is all zeros (every unit below it dead) has
    a pre-activation of exactly 0 for any weights: that one cannot cross.
    """
    if net.activation != "relu":
        return
    A = net.forward(X).A
    for i, (W, b) in enumerate(zip(net.coefs[:-1], net.intercepts[:-1])):
        Z = A[i] @ W + (b if net.fit_intercept else 0)
        live = np.any(A[i] != 0, axis=1)
        assert np.abs(Z[live]).min() > margin, "pick another seed: a ReLU sits on 0"


def _cases():
    for depth in DEPTHS:
        # Without a hidden layer the hidden activation plays no part.
        activations = HIDDEN_ACTIVATIONS if depth else ["identity"]
        for activation in activations:
            for pairing in PAIRINGS:
                for fit_intercept in (True, False):
                    yield pytest.param(
                        pairing,
                        activation,
                        depth,
                        fit_intercept,
                        id=f"{pairing}-{activation}-{depth}-bias={fit_intercept}",
                    )


@pytest.mark.parametrize("pairing, activation, depth, fit_intercept", list(_cases()))
def test_backward_matches_finite_differences(pairing, activation, depth, fit_intercept):
    net, X, Y, loss = make_problem(pairing, activation, depth, fit_intercept)
    assert_away_from_relu_kink(net, X)
    grads, numeric = analytic_and_numeric(net, X, Y, None, loss)
    # One gradient array per weight matrix, plus one per intercept vector.
    assert len(grads) == len(depth) + 1 + (len(depth) + 1) * fit_intercept
    assert_gradients_match(grads, numeric)


@pytest.mark.parametrize("activation", HIDDEN_ACTIVATIONS)
@pytest.mark.parametrize(
    "pairing", ["log_loss-softmax-multiclass", "squared_error-identity"]
)
def test_l2_penalty_gradient_matches_finite_differences(pairing, activation):
    net, X, Y, loss = make_problem(pairing, activation, (4, 3), True)
    assert_away_from_relu_kink(net, X)
    grads, numeric = analytic_and_numeric(net, X, Y, None, loss, alpha=0.7)
    assert_gradients_match(grads, numeric)
    # The penalty really is in there: without it the weight gradients differ.
    plain, _ = analytic_and_numeric(net, X, Y, None, loss, alpha=0.0)
    assert not np.allclose(grads[0], plain[0])


@pytest.mark.parametrize("alpha", [0.0, 0.3])
@pytest.mark.parametrize("pairing", list(PAIRINGS))
def test_sample_weighted_gradient_matches_finite_differences(pairing, alpha):
    net, X, Y, loss = make_problem(pairing, "tanh", (5,), True)
    sample_weight = np.random.RandomState(1).uniform(0.1, 3.0, X.shape[0])
    grads, numeric = analytic_and_numeric(net, X, Y, sample_weight, loss, alpha=alpha)
    assert_gradients_match(grads, numeric)
    # Non-uniform weights change the gradient.
    unweighted, _ = analytic_and_numeric(net, X, Y, None, loss, alpha=alpha)
    assert not np.allclose(grads[0], unweighted[0])


@pytest.mark.parametrize("activation", HIDDEN_ACTIVATIONS)
@pytest.mark.parametrize("depth", [(5,), (4, 3)])
@pytest.mark.parametrize(
    "pairing", ["log_loss-logistic-binary", "squared_error-identity"]
)
def test_dropout_gradient_matches_finite_differences(pairing, depth, activation):
    net, X, Y, loss = make_problem(pairing, activation, depth, True, n_samples=10)
    net.dropout = 0.4
    assert_away_from_relu_kink(net, X)
    # A freshly seeded rng for every forward pass: the masks are fixed.
    grads, numeric = analytic_and_numeric(
        net, X, Y, None, loss, alpha=0.1, rng=lambda: np.random.RandomState(0)
    )
    assert_gradients_match(grads, numeric)
    # The masks matter: the dropout network's gradient is not the plain one.
    net.dropout = 0.0
    plain, _ = analytic_and_numeric(net, X, Y, None, loss, alpha=0.1)
    assert not np.allclose(grads[0], plain[0])


@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("activation", HIDDEN_ACTIVATIONS)
@pytest.mark.parametrize("depth", [(5,), (4, 3)])
@pytest.mark.parametrize(
    "pairing",
    ["log_loss-softmax-multiclass", "squared_error-logistic", "poisson-exp"],
)
def test_batch_norm_gradient_matches_finite_differences(
    pairing, depth, activation, fit_intercept
):
    net, X, Y, loss = make_problem(
        pairing, activation, depth, fit_intercept, n_samples=9
    )
    rng = np.random.RandomState(3)
    bn = BatchNormState.fresh(list(depth), np.float64)
    bn.gammas = [rng.uniform(0.5, 1.5, n) for n in depth]
    bn.betas = [rng.uniform(-0.5, 0.5, n) for n in depth]
    net.batch_norm = bn
    if activation == "relu":
        # The kinks sit where the normalized, shifted pre-activation is 0.
        cache = net.forward(X, train=True, bn_momentum=None)
        for H in cache.H[1:]:
            assert np.all((H == 0) | (H > 1e-3))
    running = [a.copy() for a in bn.running_means + bn.running_vars]
    grads, numeric = analytic_and_numeric(
        net, X, Y, None, loss, alpha=0.05, bn_momentum=None
    )
    # W, b (with fit_intercept), then one gamma and one beta per hidden layer.
    n_layers = len(depth) + 1
    assert len(grads) == n_layers * (1 + fit_intercept) + 2 * len(depth)
    assert_gradients_match(grads, numeric)
    gamma_grads = grads[-2 * len(depth) : -len(depth)]
    assert max(np.abs(g).max() for g in gamma_grads) > 1e-4
    # bn_momentum=None leaves the running statistics alone.
    for before, after in zip(running, bn.running_means + bn.running_vars):
        np.testing.assert_array_equal(before, after)


def test_batch_norm_with_dropout_gradient_matches_finite_differences():
    net, X, Y, loss = make_problem(
        "log_loss-logistic-multilabel", "tanh", (5, 4), True, n_samples=12
    )
    net.batch_norm = BatchNormState.fresh([5, 4], np.float64)
    net.dropout = 0.3
    grads, numeric = analytic_and_numeric(
        net,
        X,
        Y,
        None,
        loss,
        bn_momentum=None,
        rng=lambda: np.random.RandomState(5),
    )
    assert_gradients_match(grads, numeric)


@pytest.mark.parametrize(
    "class_weight, y",
    [
        ("balanced", np.array([0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 1])),
        ({0: 1.0, 1: 5.0, 2: 0.5}, np.array([0, 1, 2, 0, 1, 2, 0, 0, 2, 2, 1, 0])),
    ],
    ids=["balanced-binary", "dict-multiclass"],
)
def test_class_weight_gradient_matches_finite_differences(monkeypatch, class_weight, y):
    """The estimator trains on the weighted loss, with its exact gradient."""
    seen = []
    original = _training.loss_and_gradient

    def recording(net, X, Y, sample_weight, grads, **kwargs):
        seen.append(
            (
                [p.copy() for p in net.params()],
                X.copy(),
                Y.copy(),
                None if sample_weight is None else sample_weight.copy(),
                kwargs,
            )
        )
        return original(net, X, Y, sample_weight, grads, **kwargs)

    monkeypatch.setattr(_training, "loss_and_gradient", recording)
    X = np.random.RandomState(0).normal(size=(len(y), 3))
    clf = ToyNetClassifier(
        hidden_layer_sizes=(4,),
        activation="tanh",
        solver="sgd",
        class_weight=class_weight,
        batch_size=len(y),
        shuffle=False,
        max_iter=2,
        tol=None,
        alpha=0.01,
        random_state=0,
    ).fit(X, y)
    assert len(seen) == 2
    params, X_seen, Y_seen, sample_weight, kwargs = seen[-1]
    np.testing.assert_allclose(sample_weight, compute_sample_weight(class_weight, y))

    net = Network(
        [p.copy() for p in params[:2]],
        [p.copy() for p in params[2:]],
        activation="tanh",
        out_activation=clf.out_activation_,
    )
    grads, numeric = analytic_and_numeric(
        net, X_seen, Y_seen, sample_weight, kwargs["loss"], alpha=kwargs["alpha"]
    )
    assert_gradients_match(grads, numeric)
    # The weights change the gradient the estimator follows.
    unweighted, _ = analytic_and_numeric(
        net, X_seen, Y_seen, None, kwargs["loss"], alpha=kwargs["alpha"]
    )
    assert not np.allclose(grads[0], unweighted[0])


@pytest.mark.parametrize("batch_norm", [False, True])
def test_sparse_input_gives_the_dense_gradient(batch_norm):
    net, X, Y, loss = make_problem("log_loss-softmax-multiclass", "tanh", (5,), True)
    X[np.abs(X) < 0.7] = 0.0  # a genuinely sparse matrix
    if batch_norm:
        net.batch_norm = BatchNormState.fresh([5], np.float64)
    dense = [np.empty_like(p) for p in net.params()]
    sparse = [np.empty_like(p) for p in net.params()]
    value = loss_and_gradient(
        net, X, Y, None, dense, loss=loss, alpha=0.1, bn_momentum=None
    )
    sparse_value = loss_and_gradient(
        net, sp.csr_matrix(X), Y, None, sparse, loss=loss, alpha=0.1, bn_momentum=None
    )
    assert sparse_value == pytest.approx(value, rel=1e-12)
    for d, s in zip(dense, sparse):
        np.testing.assert_allclose(s, d, rtol=1e-12, atol=1e-15)
    _, numeric = analytic_and_numeric(
        net, sp.csr_matrix(X), Y, None, loss, alpha=0.1, bn_momentum=None
    )
    assert_gradients_match(sparse, numeric)
