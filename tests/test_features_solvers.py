"""Each solver, and what steers it, does what its name promises.

L-BFGS solves XOR; SGD's learning-rate schedules (constant, invscaling,
adaptive) move the step as their names say; ``verbose`` prints MLP's iteration
lines for every solver; and ``tol=None`` runs exactly ``max_iter`` epochs.
"""

import re
import warnings

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.exceptions import ConvergenceWarning

from sklearn_toynet import ToyNetClassifier, ToyNetRegressor

from _features_helpers import X_MOONS, Y_MOONS
from _helpers import quiet_fit as quiet

X_XOR = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
Y_XOR = np.array([0, 1, 1, 0])


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
