"""The one parameter list shared by every ToyNet estimator, with its docs.

Each estimator's ``__init__`` is generated from this table by
:func:`with_parameters`: it only stores the parameters (scikit-learn's
convention), and its signature is explicit, so ``get_params``, ``clone`` and
``GridSearchCV`` see ordinary keyword arguments. The same table renders the
numpydoc "Parameters" section, so nothing is written twice.
"""

import inspect
import textwrap
from dataclasses import dataclass


@dataclass(frozen=True)
class Param:
    name: str
    default: object
    doc: str  # numpydoc entry: a "name : type, default=..." line, then the text


def _p(name, default, header, text):
    return Param(
        name, default, f"{name} : {header}\n{textwrap.indent(text.strip(), '    ')}"
    )


HIDDEN_LAYER_SIZES = _p(
    "hidden_layer_sizes",
    (100,),
    "int or tuple of int, default=(100,)",
    """
The number of units in each hidden layer. ``()`` means no hidden layer: the
inputs feed the output units directly (the blog's 2-layer network).
""",
)
ACTIVATION = _p(
    "activation",
    "relu",
    "{'logistic', 'tanh', 'relu', 'identity'}, default='relu'",
    """
Activation of the hidden layers. "logistic" is the blog's sigmoid
``1 / (1 + exp(-z))``, computed without overflow. The default is
MLPClassifier's, which trains fastest on standardized tabular data.
""",
)

SHARED = [
    _p(
        "solver",
        "adam",
        "{'sgd', 'adam', 'lbfgs'}, default='adam'",
        """
The weight optimizer. "sgd" is mini-batch gradient descent (with ``momentum``
and a ``learning_rate`` schedule); "adam" adapts each weight's step and is a
robust default; "lbfgs" is scipy's quasi-Newton L-BFGS-B on the full batch, often
best for small data sets. The default is MLPClassifier's.
""",
    ),
    _p(
        "alpha",
        0.0001,
        "float, default=0.0001",
        """
Strength of the L2 penalty ``alpha / 2 * sum(W**2) / n_samples`` on the weights
(not the intercepts). The default is MLPClassifier's.
""",
    ),
    _p(
        "batch_size",
        "auto",
        "int or 'auto', default='auto'",
        """
Rows per mini-batch for "sgd" and "adam"; "auto" means ``min(200, n_samples)``.
A larger batch than the data is clipped with a warning. Ignored by "lbfgs".
""",
    ),
    _p(
        "learning_rate",
        "constant",
        "{'constant', 'invscaling', 'adaptive'}, default='constant'",
        """
Step-size schedule for "sgd": "constant" keeps ``learning_rate_init``;
"invscaling" uses ``learning_rate_init / (t + 1) ** power_t`` after each epoch,
with ``t`` the number of samples seen so far (as MLPClassifier); "adaptive"
divides the step by 5 each time ``n_iter_no_change`` epochs fail to improve by
``tol``, and stops when it falls below 1e-6.
""",
    ),
    _p(
        "learning_rate_init",
        0.001,
        "float, default=0.001",
        """
The initial step size of "sgd" and "adam". The gradient is a mean over the
batch, so the blog's summed step of 1 over its 4 rows is ``learning_rate_init=4``.
""",
    ),
    _p(
        "power_t",
        0.5,
        "float, default=0.5",
        """
Exponent of the "invscaling" schedule.
""",
    ),
    _p(
        "max_iter",
        200,
        "int, default=200",
        """
Maximum number of epochs (passes over the data) for "sgd" and "adam"; maximum
number of iterations for "lbfgs".
""",
    ),
    _p(
        "shuffle",
        True,
        "bool, default=True",
        """
Whether to shuffle the rows before each epoch ("sgd" and "adam").
""",
    ),
    _p(
        "random_state",
        None,
        "int, RandomState instance or None, default=None",
        """
Seeds every random draw of a fit, in this order: the initial weights, the
early-stopping split, then per epoch the shuffle and the dropout masks. An int
gives bit-identical models across runs and processes.
""",
    ),
    _p(
        "tol",
        0.0001,
        "float or None, default=1e-4",
        """
Training stops when the loss (or validation score, with ``early_stopping``) has
not improved by at least ``tol`` for ``n_iter_no_change`` consecutive epochs.
``None`` runs exactly ``max_iter`` epochs with no stopping test and no
``ConvergenceWarning``.
""",
    ),
    _p(
        "verbose",
        False,
        "bool or int, default=False",
        """
Print the loss after every epoch, in MLPClassifier's format.
""",
    ),
    _p(
        "warm_start",
        False,
        "bool, default=False",
        """
Reuse the weights of the previous ``fit`` as the starting point.
""",
    ),
    _p(
        "momentum",
        0.9,
        "float, default=0.9",
        """
Momentum of "sgd", in [0, 1]; ``0`` is the blog's plain gradient step.
""",
    ),
    _p(
        "nesterovs_momentum",
        True,
        "bool, default=True",
        """
Use Nesterov's momentum with "sgd" when ``momentum > 0``.
""",
    ),
    _p(
        "early_stopping",
        False,
        "bool, default=False",
        """
Hold out ``validation_fraction`` of the training rows (stratified by class,
except for multilabel targets), stop when its score stops improving, and keep
the weights of the best epoch. "sgd" and "adam" only: "lbfgs" ignores it.
""",
    ),
    _p(
        "validation_fraction",
        0.1,
        "float, default=0.1",
        """
Fraction of the rows held out by ``early_stopping``, in [0, 1).
""",
    ),
    _p(
        "beta_1",
        0.9,
        "float, default=0.9",
        """
Decay of Adam's first-moment estimate, in [0, 1).
""",
    ),
    _p(
        "beta_2",
        0.999,
        "float, default=0.999",
        """
Decay of Adam's second-moment estimate, in [0, 1).
""",
    ),
    _p(
        "epsilon",
        1e-8,
        "float, default=1e-8",
        """
Adam's numerical-stability term.
""",
    ),
    _p(
        "n_iter_no_change",
        10,
        "int, default=10",
        """
Epochs without an improvement of ``tol`` before stopping (or, with
``learning_rate="adaptive"``, shrinking the step).
""",
    ),
    _p(
        "max_fun",
        15000,
        "int, default=15000",
        """
Maximum number of loss evaluations of "lbfgs".
""",
    ),
    _p(
        "fit_intercept",
        True,
        "bool, default=True",
        """
Give every layer bias units. The blog's network has none (``False``);
MLPClassifier always has them.
""",
    ),
    _p(
        "init",
        "glorot",
        "{'glorot', 'uniform'}, default='glorot'",
        """
Weight initialization. "glorot" is MLPClassifier's scaled uniform draw (good for
any depth); "uniform" is the blog's ``2 * random((n_in, n_out)) - 1``, drawn
layer by layer from ``RandomState(random_state)`` before anything else.
""",
    ),
    _p(
        "dropout",
        0.0,
        "float, default=0.0",
        """
Probability of zeroing each hidden unit during training (inverted dropout:
survivors are scaled by ``1 / (1 - dropout)``, so prediction uses the whole
network unchanged). In [0, 1); try 0.1-0.5 when a wide network overfits.
"sgd" and "adam" only.
""",
    ),
    _p(
        "batch_norm",
        False,
        "bool, default=False",
        """
Normalize each hidden layer's pre-activations over the batch, with a learned
scale and shift. Prediction uses running statistics gathered in training, so a
row's prediction never depends on the other rows. Helps deep logistic or tanh
stacks train.
""",
    ),
    _p(
        "max_grad_norm",
        None,
        "float or None, default=None",
        """
Clip the global L2 norm of the gradient to this value before each update (the
blog's "delta trimming"). Keeps a too-large learning rate from blowing up the
weights; ``None`` never clips. "sgd" and "adam" only: "lbfgs" chooses its own
step lengths and ignores it.
""",
    ),
]


def with_parameters(*params):
    """Class decorator: an ``__init__`` that stores ``params``, and their docs.

    Parameters before a ``"*"`` marker are positional-or-keyword, as in
    MLPClassifier (``hidden_layer_sizes, activation``); the rest keyword-only.
    The class docstring's ``{parameters}`` placeholder receives the rendered
    entries.
    """
    kind = inspect.Parameter.POSITIONAL_OR_KEYWORD
    signature_params = [inspect.Parameter("self", kind)]
    entries = []
    for param in params:
        if param == "*":
            kind = inspect.Parameter.KEYWORD_ONLY
            continue
        signature_params.append(
            inspect.Parameter(param.name, kind, default=param.default)
        )
        entries.append(param.doc)
    signature = inspect.Signature(signature_params)

    def __init__(self, *args, **kwargs):
        bound = signature.bind(self, *args, **kwargs)
        bound.apply_defaults()
        for name, value in list(bound.arguments.items())[1:]:
            setattr(self, name, value)

    __init__.__signature__ = signature

    def decorate(cls):
        __init__.__qualname__ = f"{cls.__name__}.__init__"
        cls.__init__ = __init__
        rendered = textwrap.indent("\n\n".join(entries), "    ").lstrip()
        cls.__doc__ = cls.__doc__.replace("{parameters}", rendered)
        return cls

    return decorate
