"""Estimator factories for ToyNet and MLPClassifier with matched settings."""

import warnings

from sklearn.neural_network import MLPClassifier

try:  # the package core may not exist yet; the harness still runs without it
    from sklearn_toynet import ToyNetClassifier
except ImportError as exc:  # pragma: no cover - depends on checkout state
    ToyNetClassifier = None
    TOYNET_IMPORT_ERROR = repr(exc)
else:
    TOYNET_IMPORT_ERROR = None

TOYNET = "ToyNet"
MLP = "MLP"
NUMPY = "numpy loop"
TUNED = "tuned loop"


def have_toynet():
    return ToyNetClassifier is not None


def _supported(est_cls, params):
    """Keep only the parameters ``est_cls`` accepts (ToyNet may lack a few)."""
    names = set(est_cls().get_params())
    return {k: v for k, v in params.items() if k in names}


def epoch_params(solver, activation, epochs, batch_size=200, random_state=0):
    """Settings that make an estimator run exactly ``epochs`` full epochs."""
    lr = 0.01 if solver == "sgd" else 1e-3
    return {
        "hidden_layer_sizes": (100,),
        "activation": activation,
        "solver": solver,
        "alpha": 1e-4,
        "batch_size": batch_size,
        "learning_rate_init": lr,
        "learning_rate": "constant",
        "momentum": 0.9,
        "nesterovs_momentum": True,
        "max_iter": epochs,
        "shuffle": True,
        "random_state": random_state,
        "early_stopping": False,
        "n_iter_no_change": 10**9,
    }


def make_mlp(**params):
    params.setdefault("tol", 0.0)
    return MLPClassifier(**_supported(MLPClassifier, params))


def make_toynet(**params):
    params.setdefault("tol", None)
    return ToyNetClassifier(**_supported(ToyNetClassifier, params))


def quiet_fit(est, X, y):
    """Fit with convergence warnings (expected: we stop on max_iter) hidden."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return est.fit(X, y)


def blog_toynet(n_iter):
    """The blog's 3-layer network, as the package itself spells it."""
    from sklearn_toynet import blog

    return blog.classifier((4,), n_iter)


def blog_mlp(n_iter):
    """Closest MLPClassifier: same net (plus biases it cannot drop), full batch."""
    return make_mlp(
        hidden_layer_sizes=(4,),
        activation="logistic",
        solver="sgd",
        momentum=0.0,
        alpha=0.0,
        batch_size=4,
        shuffle=False,
        learning_rate_init=1.0,
        random_state=1,
        max_iter=n_iter,
        n_iter_no_change=10**9,
    )
