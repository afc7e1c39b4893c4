"""Parameter constraints beyond scikit-learn's: ``activation``'s names.

``activation`` takes one hidden activation name, or a tuple or list of names,
one per hidden layer. Whether the count matches the hidden layers is checked
at fit (``BaseToyNet._check_activation_count``), where both are known.
"""

from sklearn.utils._param_validation import Options, StrOptions

from ._activations import HIDDEN_ACTIVATIONS


class ActivationNames(Options):
    """Constraint: a tuple or list of hidden activation names, one per layer.

    A subclass of scikit-learn's ``Options`` only so that its parameter
    validation takes it; the error then lists the names and this form.
    """

    def __init__(self):
        super().__init__(str, set(HIDDEN_ACTIVATIONS))

    def is_satisfied_by(self, val):
        return isinstance(val, (tuple, list)) and all(
            isinstance(name, str) and name in self.options for name in val
        )

    def __str__(self):
        return "a tuple or list of those names, one per hidden layer"


#: The constraints of ``activation``: one name, or one name per hidden layer.
ACTIVATION_CONSTRAINTS = [StrOptions(set(HIDDEN_ACTIVATIONS)), ActivationNames()]
