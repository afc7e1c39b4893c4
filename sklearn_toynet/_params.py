"""The one parameter list shared by every ToyNet estimator, with its docs.

The tables below are written once, as the numpydoc sections they render to;
each entry's ``default=`` is read back as the parameter's default value.
:func:`with_parameters` turns them into an estimator's ``__init__`` (which only
stores the parameters, scikit-learn's convention, behind an explicit signature
that ``get_params``, ``clone`` and ``GridSearchCV`` read) and into the
"Parameters" and "Attributes" sections of its docstring.
"""

import ast
import inspect
import re
import textwrap
from dataclasses import dataclass


@dataclass(frozen=True)
class Entry:
    """One numpydoc entry: ``name : type, default=value`` and its indented text."""

    name: str
    doc: str

    @property
    def default(self):
        header = self.doc.splitlines()[0]
        return ast.literal_eval(header.rsplit("default=", 1)[1])


def entries(numpydoc_text):
    """Split numpydoc "name : description" entries into ``{name: Entry}``."""
    blocks = re.split(r"\n(?=\S)", textwrap.dedent(numpydoc_text).strip())
    named = (block.strip() for block in blocks)
    return {
        block.split(" :", 1)[0]: Entry(block.split(" :", 1)[0], block)
        for block in named
    }


PARAMETERS = entries(
    """
hidden_layer_sizes : int or tuple of int, default=(100,)
    The number of units in each hidden layer. ``()`` means no hidden layer: the
    inputs feed the output units directly (the blog's 2-layer network).

activation : {'logistic', 'tanh', 'relu', 'identity', 'leaky_relu', 'elu', \
'gelu', 'silu', 'softplus'} or tuple of str, default='relu'
    Activation of the hidden layers: one name for all, or a tuple (or list) of
    one name per hidden layer, as long as ``hidden_layer_sizes``. "logistic" is
    the blog's sigmoid ``1 / (1 + exp(-z))``, computed without overflow. The
    default is {mlp}'s, which trains fastest on standardized tabular
    data. Beyond MLP's four: "leaky_relu" is ``max(z, 0.01 z)``; "elu" is ``z``
    for ``z > 0``, else ``exp(z) - 1``; "gelu" is the exact
    ``0.5 z (1 + erf(z / sqrt(2)))``; "silu" (swish) is ``z / (1 + exp(-z))``;
    "softplus" is ``log(1 + exp(z))``, a smooth relu.

solver : {'sgd', 'adam', 'lbfgs'}, default='adam'
    The weight optimizer. "sgd" is mini-batch gradient descent (with ``momentum``
    and a ``learning_rate`` schedule); "adam" adapts each weight's step and is a
    robust default; "lbfgs" is scipy's quasi-Newton L-BFGS-B on the full batch, often
    best for small data sets. The default is {mlp}'s.

alpha : float, default=0.0001
    Strength of the L2 penalty ``alpha / 2 * sum(W**2) / n_samples`` on the weights
    (not the intercepts). The default is {mlp}'s.

batch_size : int or 'auto', default='auto'
    Rows per mini-batch for "sgd" and "adam"; "auto" means ``min(200, n_samples)``.
    A larger batch than the data is clipped with a warning. Ignored by "lbfgs".

learning_rate : {'constant', 'invscaling', 'adaptive', 'cosine'}, default='constant'
    Step-size schedule: "constant" keeps ``learning_rate_init``;
    "invscaling" uses ``learning_rate_init / (t + 1) ** power_t`` after each epoch,
    with ``t`` the number of samples seen so far (as {mlp}); "adaptive"
    divides the step by 5 each time ``n_iter_no_change`` epochs fail to improve by
    ``tol``, and stops when it falls below 1e-6. These three are {mlp}'s, for
    "sgd" only. "cosine" (beyond {mlp}, for "sgd" and "adam") multiplies the
    step of epoch ``e`` (from 0) by ``(1 + cos(pi * e / max_iter)) / 2``: large
    steps first, ever smaller ones towards ``max_iter``; pair it with ``tol=None``
    (or ``early_stopping``) so that the fit runs the whole schedule. A
    ``partial_fit`` call keeps ``learning_rate_init``.

learning_rate_init : float, default=0.001
    The initial step size of "sgd" and "adam". The gradient is a mean over the
    batch, so the blog's summed step of 1 over its 4 rows is ``learning_rate_init=4``.

power_t : float, default=0.5
    Exponent of the "invscaling" schedule.

max_iter : int, default=200
    Maximum number of epochs (passes over the data) for "sgd" and "adam"; maximum
    number of iterations for "lbfgs".

shuffle : bool, default=True
    Whether to shuffle the rows before each epoch ("sgd" and "adam").

random_state : int, RandomState instance or None, default=None
    Seeds every random draw of a fit, in this order: the initial weights, the
    early-stopping split, then per epoch the shuffle and the dropout masks. An int
    gives bit-identical models across runs and processes.

tol : float or None, default=1e-4
    Training stops when the loss (or validation score, with ``early_stopping``) has
    not improved by at least ``tol`` for ``n_iter_no_change`` consecutive epochs.
    ``None`` runs exactly ``max_iter`` epochs with no stopping test and no
    ``ConvergenceWarning``.

verbose : bool or int, default=False
    Print the loss after every epoch, in {mlp}'s format.

warm_start : bool, default=False
    Reuse the weights of the previous ``fit`` as the starting point.

momentum : float, default=0.9
    Momentum of "sgd", in [0, 1]; ``0`` is the blog's plain gradient step.

nesterovs_momentum : bool, default=True
    Use Nesterov's momentum with "sgd" when ``momentum > 0``.

early_stopping : bool, default=False
    Hold out ``validation_fraction`` of the training rows (stratified by class,
    except for multilabel targets), stop when its score stops improving, and keep
    the weights of the best epoch. "sgd" and "adam" only: "lbfgs" ignores it.

validation_fraction : float, default=0.1
    Fraction of the rows held out by ``early_stopping``, in [0, 1).

beta_1 : float, default=0.9
    Decay of Adam's first-moment estimate, in [0, 1).

beta_2 : float, default=0.999
    Decay of Adam's second-moment estimate, in [0, 1).

epsilon : float, default=1e-8
    Adam's numerical-stability term.

n_iter_no_change : int, default=10
    Epochs without an improvement of ``tol`` before stopping (or, with
    ``learning_rate="adaptive"``, shrinking the step).

max_fun : int, default=15000
    Maximum number of loss evaluations of "lbfgs".

fit_intercept : bool, default=True
    Give every layer bias units. The blog's network has none (``False``);
    {mlp} always has them.

init : {'glorot', 'uniform'}, default='glorot'
    Weight initialization. "glorot" is {mlp}'s scaled uniform draw (Glorot and
    Bengio's: a range that shrinks as the layer's inputs and outputs grow, so
    signals keep their scale through the layers; good for any depth); "uniform" is
    the blog's ``2 * random((n_in, n_out)) - 1``, drawn layer by layer from
    ``RandomState(random_state)`` before anything else.

dropout : float, default=0.0
    Probability of zeroing each hidden unit during training (inverted dropout:
    survivors are scaled by ``1 / (1 - dropout)``, so prediction uses the whole
    network unchanged). In [0, 1); try 0.1-0.5 when a wide network overfits.
    "sgd" and "adam" only.

batch_norm : bool, default=False
    Normalize each hidden layer's pre-activations over the batch, with a learned
    scale and shift. Prediction uses running statistics gathered in training, so a
    row's prediction never depends on the other rows. Helps deep logistic or tanh
    stacks train. The batch statistics are weighted by ``sample_weight``, as
    repeated rows would count.

max_grad_norm : float or None, default=None
    Clip the global L2 norm of the gradient to this value before each update (the
    blog's "delta trimming", a future-work item it names without detail: here,
    bounding the size of the backpropagated deltas). Keeps a too-large learning rate
    from blowing up the weights; ``None`` never clips. "sgd" and "adam" only:
    "lbfgs" chooses its own step lengths and ignores it.

weight_decay : float, default=0.0
    Decoupled weight decay (AdamW's): after each "sgd" or "adam" step the
    weights (not the intercepts) shrink by the factor ``1 - step * weight_decay``,
    ``step`` being the scheduled step size (``learning_rate_init`` times the
    "cosine" factor; for "sgd", its current rate). Unlike ``alpha``'s L2 penalty
    it is not rescaled by Adam's per-weight steps. ``0`` (the default) is
    {mlp}'s training; try 1e-5 to 1e-2 with ``alpha=0``.

scoring : str, callable or None, default=None
    What ``early_stopping`` follows on the validation rows (HistGradientBoosting's
    name). None: {mlp}'s choice, {score}. "loss":
    the validation loss (``validation_scores_`` holds its negation, so that higher
    is better). Any other string names a scikit-learn scorer ("roc_auc",
    "neg_log_loss", ...); a callable ``scorer(estimator, X, y)`` is one. The
    weights restored at the end are those of the best epoch by this criterion.
    Unused without ``early_stopping``.
"""
)

# Every parameter after ``hidden_layer_sizes, activation`` (and ``loss``, which
# each estimator documents for its own targets), in MLPClassifier's order.
SHARED_PARAMETERS = [
    name for name in PARAMETERS if name not in ("hidden_layer_sizes", "activation")
]

ATTRIBUTES = entries(
    """
coefs_ : list of ndarray
    ``coefs_[i]`` is the weight matrix from layer ``i`` to layer ``i + 1``, of
    shape ``(units_i, units_i+1)`` (the blog's ``syn0``, ``syn1``).
    ``partial_fit`` and a warm ``fit`` replace these arrays instead of updating
    them in place, and may reuse the arrays they replaced two calls before:
    copy an array to keep it.

intercepts_ : list of ndarray
    ``intercepts_[i]`` is the bias vector of layer ``i + 1`` (zeros when
    ``fit_intercept=False``). Replaced and reused as ``coefs_`` are.

batch_norm_ : BatchNormState or None
    Learned scales and shifts and running statistics of each hidden layer when
    ``batch_norm=True``.

n_iter_ : int
    Epochs ("sgd", "adam") or iterations ("lbfgs") run by the last call to
    ``fit`` (1 after ``partial_fit``), as {mlp}.

t_ : int
    Training samples seen by the stochastic solvers, over all calls.

loss_ : float
    The loss, L2 penalty included, at the end of the last epoch, as MLP reports
    it: with several outputs, the squared error averaged over them (the
    log-losses and the Poisson deviance summed).

best_loss_ : float or None
    The lowest training loss reached; None with ``early_stopping``.

loss_curve_ : list of float
    The loss after each epoch (or L-BFGS iteration), on the scale of ``loss_``.

validation_scores_ : list of float or None
    The score (accuracy, or R^2 for regression, or as ``scoring`` says) on the
    validation rows (``X_val`` or the held-out split) after each epoch with
    ``early_stopping``; else None.

validation_loss_curve_ : list of float or None
    The loss on the validation rows after each epoch with ``early_stopping``
    (without the L2 penalty; ``sample_weight_val`` applied); else None.

best_validation_score_ : float or None
    The best of ``validation_scores_``; None without ``early_stopping``.

n_features_in_ : int
    Number of features seen during fit.

feature_names_in_ : ndarray of shape (`n_features_in_`,)
    Names of features seen during fit, when ``X`` had string column names.

n_layers_ : int
    Number of layers, input and output included.

n_outputs_ : int
    Number of output units.

out_activation_ : str
    The output activation: "logistic" (binary, multilabel), "softmax"
    (multiclass), "identity" (regression) or "exp" (Poisson regression).
"""
)


def _render(items):
    return textwrap.indent("\n\n".join(item.doc for item in items), "    ").lstrip()


def with_parameters(*params, attributes=()):
    """Class decorator: an ``__init__`` storing ``params``, and the class's docs.

    ``params`` are parameter names (looked up in ``PARAMETERS``) or ``Entry``
    objects of the class's own; those before a ``"*"`` are positional-or-
    keyword, as in MLPClassifier, the rest keyword-only. The docstring's
    ``{parameters}`` and ``{attributes}`` placeholders receive the rendered
    entries; ``attributes`` (Entries) go before the shared ``ATTRIBUTES``. In
    the entries, ``{mlp}`` names the scikit-learn estimator the class drops in
    for (ToyNetRegressor: MLPRegressor) and ``{score}`` its default score.
    """
    kind = inspect.Parameter.POSITIONAL_OR_KEYWORD
    signature_params = [inspect.Parameter("self", kind)]
    docs = []
    for param in params:
        if param == "*":
            kind = inspect.Parameter.KEYWORD_ONLY
            continue
        entry = PARAMETERS[param] if isinstance(param, str) else param
        signature_params.append(
            inspect.Parameter(entry.name, kind, default=entry.default)
        )
        docs.append(entry)
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
        doc = cls.__doc__.replace("{parameters}", _render(docs)).replace(
            "{attributes}", _render([*attributes, *ATTRIBUTES.values()])
        )
        classifier = cls.__name__.endswith("Classifier")
        fields = {
            # The tabular pair's MLP is the drop-in's: MLPClassifier, MLPRegressor.
            "{mlp}": cls.__name__.replace("Tabular", "").replace("ToyNet", "MLP"),
            "{score}": "accuracy" if classifier else "R^2",
        }
        for field, value in fields.items():
            doc = doc.replace(field, value)
        cls.__doc__ = doc
        return cls

    return decorate


def with_default(name, default, reason):
    """``PARAMETERS[name]`` with another default, and the reason for it.

    The entry's header takes ``default``; a sentence of the shared text that
    calls the default {mlp}'s goes, and ``reason`` follows the text.
    """
    header, *body = PARAMETERS[name].doc.splitlines()
    header = f"{header.rsplit('default=', 1)[0]}default={default!r}"
    text = re.sub(r"\s*The default is \{mlp\}'s[^.]*\.", "", "\n".join(body))
    reason = textwrap.fill(
        reason, width=84, initial_indent="    ", subsequent_indent="    "
    )
    return Entry(name, f"{header}\n{text}\n{reason}")
