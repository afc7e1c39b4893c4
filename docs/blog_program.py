"""The blog post's two networks, written out in the post's own names.

Our own Python 3 rendition of "A Neural Network in 11 lines of Python"
(https://iamtrask.github.io/2015/07/12/basic-python-network/): the same
variables, the same statements in the same order, the same prints. Run it
(``python docs/blog_program.py``) and it prints the numbers the post prints;
the test suite runs it and compares them (tests/test_docs_blog_program.py).
"""

import numpy as np


# The sigmoid, and its slope written in terms of the sigmoid's output.
def nonlin(x, deriv=False):
    if deriv:
        return x * (1 - x)
    return 1 / (1 + np.exp(-x))


# Four examples of three inputs; the third input is always 1.
X = np.array([[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1]])

# -- The 2-layer network: the output copies the first input. ------------------
y = np.array([[0, 0, 1, 1]]).T
np.random.seed(1)
syn0 = 2 * np.random.random((3, 1)) - 1

for iter in range(10000):  # the post's name for the loop counter
    l0 = X
    l1 = nonlin(np.dot(l0, syn0))
    l1_error = y - l1
    l1_delta = l1_error * nonlin(l1, True)
    syn0 += np.dot(l0.T, l1_delta)

print("Output After Training:")
print(l1)

# -- The 3-layer network: the output is XOR of the first two inputs. ----------
y = np.array([[0, 1, 1, 0]]).T
np.random.seed(1)
syn0 = 2 * np.random.random((3, 4)) - 1
syn1 = 2 * np.random.random((4, 1)) - 1

for j in range(60000):
    l0 = X
    l1 = nonlin(np.dot(l0, syn0))
    l2 = nonlin(np.dot(l1, syn1))
    l2_error = y - l2
    if j % 10000 == 0:
        # Python 2's str(float), as the post printed it: 12 significant digits.
        print(f"Error:{np.mean(np.abs(l2_error)):.12g}")
    l2_delta = l2_error * nonlin(l2, deriv=True)
    l1_error = l2_delta.dot(syn1.T)
    l1_delta = l1_error * nonlin(l1, deriv=True)
    syn1 += l1.T.dot(l2_delta)
    syn0 += l0.T.dot(l1_delta)

print("Output After Training:")
print(l2)
