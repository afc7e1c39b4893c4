"""Data shared by the ``test_features_*.py`` modules.

The two moons: 200 noisy rows of a small problem that every training feature
can be tried on in a fraction of a second.
"""

from sklearn.datasets import make_moons

X_MOONS, Y_MOONS = make_moons(200, noise=0.2, random_state=0)
