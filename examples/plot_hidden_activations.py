"""
===============================================
Looking inside: every layer's activations
===============================================

The blog's network keeps its layers in plain variables, ``l0``, ``l1``,
``l2``, so you can print them and watch them change.
:meth:`~sklearn_toynet.ToyNetClassifier.activations` gives the same view of a
fitted estimator: the list of every layer's values for the rows you pass, from
the input to the output probabilities.

This example trains a network with two hidden layers on the handwritten digits
and projects each layer onto its first two principal components: the raw
pixels overlap, and each layer pulls the ten classes further apart. The last
hidden layer then serves as features for a linear model.
"""

# %%
import matplotlib.pyplot as plt
from sklearn.datasets import load_digits
from sklearn.decomposition import PCA
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split

from sklearn_toynet import ToyNetClassifier

# Pixel intensities run from 0 to 16: dividing by 16 puts them in [0, 1].
X, y = load_digits(return_X_y=True)
X = X / 16
X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)

clf = ToyNetClassifier(
    hidden_layer_sizes=(32, 8),
    activation="tanh",
    alpha=1.0,
    solver="lbfgs",
    max_iter=1000,
    random_state=0,
)
clf.fit(X_train, y_train)
print(f"test accuracy: {clf.score(X_test, y_test):.3f}")

# %%
# One array per layer: the 64 pixels, 32 and 8 hidden units, and the 10
# class probabilities.
layers = clf.activations(X_test)
for name, values in zip(["input", "hidden 1", "hidden 2", "output"], layers):
    print(f"{name:9s} {values.shape}")

# %%
fig, axes = plt.subplots(1, 3, figsize=(12, 4.4), layout="constrained")
titles = ["input: 64 pixels", "hidden layer 1: 32 units", "hidden layer 2: 8 units"]
for ax, values, title in zip(axes, layers[:3], titles):
    projected = PCA(n_components=2).fit_transform(values)
    points = ax.scatter(*projected.T, c=y_test, cmap="tab10", s=10, vmin=-0.5, vmax=9.5)
    ax.set_title(title)
    ax.set_xticks([])
    ax.set_yticks([])
axes[0].set_ylabel("first 2 principal components of each layer")
fig.colorbar(points, ax=axes, ticks=range(10), label="digit", shrink=0.9)
plt.show()

# %%
# Hidden layers as features
# -------------------------
# The 8 units of the last hidden layer are a compact description of a digit.
# A logistic regression on those 8 features does as well as the whole network,
# and clearly better than one on the first 8 principal components of the
# pixels: the network learned which 8 directions matter for the labels.
hidden_train = clf.activations(X_train)[2]
hidden_test = layers[2]
on_hidden = LogisticRegression(max_iter=1000).fit(hidden_train, y_train)
pca = PCA(n_components=8).fit(X_train)
on_pca = LogisticRegression(max_iter=1000).fit(pca.transform(X_train), y_train)
hidden_score = on_hidden.score(hidden_test, y_test)
pca_score = on_pca.score(pca.transform(X_test), y_test)
print(f"logistic regression on 8 hidden units: {hidden_score:.3f}")
print(f"logistic regression on 8 pixel PCs:    {pca_score:.3f}")
