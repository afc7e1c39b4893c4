"""
=====================================================
Watching and stopping a fit with callbacks
=====================================================

scikit-learn 1.9's callbacks (``sklearn.callback``) see a ToyNet model after
every epoch. Here ``ScoringMonitor`` records the training accuracy epoch by
epoch, a small callback of our own records the accuracy on held-out digits
beside it, and a second one stops the fit as soon as the held-out accuracy
reaches a target. See :doc:`/callbacks` for the interface.
"""

# %%
import matplotlib.pyplot as plt
from sklearn.callback import ScoringMonitor
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

from sklearn_toynet import ToyNetClassifier

X, y = load_digits(return_X_y=True)
X_train, X_val, y_train, y_val = train_test_split(X, y, random_state=0)
scaler = StandardScaler().fit(X_train)
X_train, X_val = scaler.transform(X_train), scaler.transform(X_val)


class HeldOutScores:
    """Record the accuracy on (X, y) after every epoch; never stop the fit."""

    def __init__(self, X, y):
        self.X, self.y = X, y
        self.scores = []

    def setup(self, estimator, context):
        pass

    def teardown(self, estimator, context):
        pass

    def on_fit_task_begin(self, estimator, context):
        pass

    # scikit-learn passes only the arguments a hook names in its signature.
    def on_fit_task_end(self, estimator, context, *, fitted_estimator=None):
        # The end of an epoch (the end of the whole fit has no parent task).
        if context.parent is not None:
            self.scores.append(fitted_estimator.score(self.X, self.y))
        return False


class StopAtAccuracy(HeldOutScores):
    """Like HeldOutScores, and ask the fit to stop once ``target`` is reached."""

    def __init__(self, X, y, target):
        super().__init__(X, y)
        self.target = target

    def on_fit_task_end(self, estimator, context, *, fitted_estimator=None):
        super().on_fit_task_end(estimator, context, fitted_estimator=fitted_estimator)
        return bool(self.scores) and self.scores[-1] >= self.target


# %%
# A fit of 40 epochs (``tol=None``: no early stop), watched by both.
monitor = ScoringMonitor(scoring="accuracy")
held_out = HeldOutScores(X_val, y_val)
clf = ToyNetClassifier(
    hidden_layer_sizes=(32,),
    learning_rate_init=0.01,
    max_iter=40,
    tol=None,
    random_state=0,
)
clf.set_callbacks(monitor, held_out).fit(X_train, y_train)
train_scores = [
    row["accuracy"] for row in monitor.get_logs().data if len(row["task_id_path"]) == 2
]

# %%
# The same fit, stopped by a callback at 96% held-out accuracy.
stopper = StopAtAccuracy(X_val, y_val, target=0.96)
stopped = ToyNetClassifier(
    hidden_layer_sizes=(32,), learning_rate_init=0.01, max_iter=40, random_state=0
)
stopped.set_callbacks(stopper).fit(X_train, y_train)
print(f"stopped after {stopped.n_iter_} of 40 epochs, ", end="")
print(f"held-out accuracy {stopped.score(X_val, y_val):.3f}")

fig, ax = plt.subplots(figsize=(7, 4))
epochs = range(1, len(train_scores) + 1)
ax.plot(epochs, train_scores, label="training data (ScoringMonitor)")
ax.plot(epochs, held_out.scores, label="held-out data (own callback)")
ax.axvline(stopped.n_iter_, color="0.5", linestyle="--")
ax.annotate(
    f"StopAtAccuracy(0.96)\nstops here, epoch {stopped.n_iter_}",
    (stopped.n_iter_, 0.78),
    xytext=(8, 0),
    textcoords="offset points",
    color="0.3",
)
ax.set_xlabel("epoch")
ax.set_ylabel("accuracy")
ax.set_ylim(0.7, 1.005)
ax.legend(loc="lower right")
ax.set_title("Accuracy after every epoch, digits data")
fig.tight_layout()
plt.show()

# %%
# Both curves climb fast in the first epochs; the training accuracy keeps
# rising to 100% after the held-out one has levelled off near 97%: the
# epochs after that point fit the training digits, not digits in general.
# A stopping callback is a rule of your own: ``early_stopping=True`` is the
# built-in one, with a patience and the best weights restored.
