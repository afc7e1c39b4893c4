"""The blog post's two networks, rebuilt from public hyperparameters alone.

"A Neural Network in 11 lines of Python" trains a 2-layer network (no hidden
layer) for 10,000 iterations and a 3-layer one (4 hidden units) for 60,000, with
sigmoid units, no biases, weights drawn as ``2 * random(shape) - 1`` after
``np.random.seed(1)``, and the full-batch update ``syn += l.T.dot(l_delta)``.
That is half the squared error, averaged over the 4 rows, times a step of 4.
"""

import warnings

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning

from sklearn_toynet import ToyNetClassifier

X = np.array([[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1]])
Y_2LAYER = np.array([0, 0, 1, 1])
Y_3LAYER = np.array([0, 1, 1, 0])

# The outputs the blog post prints after training.
BLOG_2LAYER = [0.00966449, 0.00786506, 0.99358898, 0.99211957]
BLOG_3LAYER = [0.00260572, 0.99672209, 0.99701711, 0.00386759]


def blog_network(hidden_layer_sizes, max_iter, **overrides):
    params = dict(
        hidden_layer_sizes=hidden_layer_sizes,
        max_iter=max_iter,
        activation="logistic",
        loss="squared_error",
        solver="sgd",
        momentum=0.0,
        alpha=0.0,
        fit_intercept=False,
        init="uniform",
        shuffle=False,
        tol=None,
        learning_rate_init=4.0,
        random_state=1,
    )
    params.update(overrides)
    return ToyNetClassifier(**params)


def nonlin(x, deriv=False):
    """The blog's sigmoid, and its derivative from the sigmoid's output."""
    if deriv:
        return x * (1 - x)
    return 1 / (1 + np.exp(-x))


def blog_loop(hidden, y, iterations):
    """The blog's raw numpy training loop; returns the weights ``syn0, syn1...``."""
    rng = np.random.RandomState(1)  # the blog's np.random.seed(1)
    units = [X.shape[1], *hidden, 1]
    syns = [2 * rng.random_sample((a, b)) - 1 for a, b in zip(units[:-1], units[1:])]
    y = y.reshape(-1, 1)
    for _ in range(iterations):
        layers = [X]
        for syn in syns:
            layers.append(nonlin(np.dot(layers[-1], syn)))
        delta = (y - layers[-1]) * nonlin(layers[-1], deriv=True)
        for i in range(len(syns) - 1, -1, -1):
            error = delta.dot(syns[i].T)
            syns[i] += layers[i].T.dot(delta)
            delta = error * nonlin(layers[i], deriv=True)
    return syns


def test_two_layer_blog_network_reproduces_published_output():
    clf = blog_network((), 10000).fit(X, Y_2LAYER)
    assert clf.n_iter_ == 10000
    assert len(clf.coefs_) == 1
    np.testing.assert_allclose(clf.predict_proba(X)[:, 1], BLOG_2LAYER, atol=1e-5)
    np.testing.assert_array_equal(clf.predict(X), Y_2LAYER)


@pytest.mark.slow  # 60,000 full-batch epochs
def test_three_layer_blog_network_reproduces_published_output():
    clf = blog_network((4,), 60000).fit(X, Y_3LAYER)
    assert clf.n_iter_ == 60000
    assert [W.shape for W in clf.coefs_] == [(3, 4), (4, 1)]
    np.testing.assert_allclose(clf.predict_proba(X)[:, 1], BLOG_3LAYER, atol=1e-5)
    np.testing.assert_array_equal(clf.predict(X), Y_3LAYER)


def test_tol_none_runs_every_iteration_without_convergence_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        clf = blog_network((4,), 50).fit(X, Y_3LAYER)
    assert clf.n_iter_ == 50
    assert len(clf.loss_curve_) == 50
    # The same short fit with a tolerance does warn: the check above can fail.
    with pytest.warns(ConvergenceWarning):
        blog_network((4,), 50, tol=0.0).fit(X, Y_3LAYER)


@pytest.mark.parametrize(
    "hidden, y", [((), Y_2LAYER), ((4,), Y_3LAYER)], ids=["2-layer", "3-layer"]
)
@pytest.mark.parametrize("iterations", [1, 100])
def test_coefs_equal_blog_loop_weights(hidden, y, iterations):
    clf = blog_network(hidden, iterations).fit(X, y)
    syns = blog_loop(hidden, y, iterations)
    assert len(clf.coefs_) == len(syns)
    for W, syn in zip(clf.coefs_, syns):
        np.testing.assert_allclose(W, syn, rtol=0, atol=1e-10)
    for b in clf.intercepts_:
        np.testing.assert_array_equal(b, 0)


def test_initial_weights_are_the_blogs_draws():
    # One epoch of a zero step leaves the weights where the blog draws them.
    clf = blog_network((4,), 1, learning_rate_init=1e-300).fit(X, Y_3LAYER)
    rng = np.random.RandomState(1)
    syn0 = 2 * rng.random_sample((3, 4)) - 1
    syn1 = 2 * rng.random_sample((4, 1)) - 1
    np.testing.assert_array_equal(clf.coefs_[0], syn0)
    np.testing.assert_array_equal(clf.coefs_[1], syn1)


def test_activations_are_the_blogs_layers():
    clf = blog_network((4,), 100).fit(X, Y_3LAYER)
    syn0, syn1 = blog_loop((4,), Y_3LAYER, 100)
    l1 = nonlin(np.dot(X, syn0))
    l2 = nonlin(np.dot(l1, syn1))
    layers = clf.activations(X)
    assert len(layers) == 3
    np.testing.assert_array_equal(layers[0], X)
    np.testing.assert_allclose(layers[1], l1, rtol=0, atol=1e-10)
    np.testing.assert_allclose(layers[2], l2, rtol=0, atol=1e-10)
    np.testing.assert_allclose(clf.predict_proba(X)[:, 1], l2.ravel(), atol=1e-12)


@pytest.mark.slow  # both blog networks, 70,000 epochs in all
def test_blog_module_replays_the_published_error_trace(capsys):
    pytest.importorskip("sklearn.callback")
    from sklearn_toynet import blog

    trace = blog.ErrorTrace(blog.Y_XOR)
    net = blog.classifier((4,), max_iter=60_000).set_callbacks(trace)
    net.fit(blog.X, blog.Y_XOR)
    published = [0.496410031903, 0.00858452565325, 0.00578945986251]
    published += [0.00462917677677, 0.00395876528027, 0.00351012256786]
    np.testing.assert_allclose(trace.errors, published, rtol=1e-11)
    assert capsys.readouterr().out.splitlines()[0] == "Error:0.496410031903"
