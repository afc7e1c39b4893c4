"""
=====================================================
Training and validation loss, with a validation set
=====================================================

``loss_curve_`` shows the loss a network minimizes on its training rows; it
keeps falling as long as the network can fit more, noise included. Given a
validation set of its own (``fit(X, y, X_val=..., y_val=...)``) and
``early_stopping=True``, :class:`~sklearn_toynet.ToyNetClassifier` also records
``validation_loss_curve_``: the loss on rows it never trains on, after every
epoch. Where that curve turns up, the network has begun to overfit. With
``scoring="loss"``, early stopping follows the validation loss and the weights
kept at the end are those of its lowest point.
"""

# %%
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_digits
from sklearn.metrics import log_loss
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

from sklearn_toynet import ToyNetClassifier

# A small training set and a wide network: room to overfit.
X, y = load_digits(return_X_y=True)
X_train, X_rest, y_train, y_rest = train_test_split(
    X, y, train_size=200, stratify=y, random_state=0
)
X_val, X_test, y_val, y_test = train_test_split(
    X_rest, y_rest, train_size=500, stratify=y_rest, random_state=0
)
scaler = StandardScaler().fit(X_train)
X_train, X_val, X_test = (scaler.transform(a) for a in (X_train, X_val, X_test))

# %%
# ``tol=None`` runs all ``max_iter`` epochs, so the whole curve is drawn; early
# stopping still restores the best epoch's weights at the end.
clf = ToyNetClassifier(
    hidden_layer_sizes=(256,),
    alpha=0.0,
    learning_rate_init=0.01,
    early_stopping=True,
    scoring="loss",
    max_iter=50,
    tol=None,
    random_state=0,
).fit(X_train, y_train, X_val=X_val, y_val=y_val)

best = int(np.argmin(clf.validation_loss_curve_))
print(
    f"lowest validation loss {min(clf.validation_loss_curve_):.4f} at epoch {best + 1}"
)
print(
    f"restored model's validation loss {log_loss(y_val, clf.predict_proba(X_val)):.4f}"
)
print(f"test accuracy {clf.score(X_test, y_test):.3f}")

# %%
epochs = np.arange(1, clf.n_iter_ + 1)
fig, ax = plt.subplots(figsize=(8, 5))
ax.semilogy(epochs, clf.loss_curve_, label="training loss (loss_curve_)")
ax.semilogy(
    epochs, clf.validation_loss_curve_, label="validation loss (validation_loss_curve_)"
)
ax.axvline(best + 1, color="gray", linestyle=":", label="restored epoch")
ax.set_xlabel("epoch")
ax.set_ylabel("log-loss")
ax.set_title("The training loss keeps falling; the validation loss turns up")
ax.legend()
plt.show()
