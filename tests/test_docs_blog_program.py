"""docs/blog_program.py, the blog's program in its own names, prints the blog's numbers.

The user guide quotes that file line by line; running it here keeps what the
page shows true.
"""

import runpy
from pathlib import Path

import numpy as np
import pytest

from sklearn_toynet import blog

PROGRAM = Path(__file__).resolve().parents[1] / "docs" / "blog_program.py"


def _column(lines):
    """The numbers of a printed column vector such as ``[[0.1]\\n [0.2]]``."""
    return [float(line.strip(" []")) for line in lines]


@pytest.mark.slow  # the blog's own loop, 60,000 iterations
def test_blog_program_prints_the_blogs_numbers(capsys):
    names = runpy.run_path(str(PROGRAM), run_name="__main__")
    out = capsys.readouterr().out.splitlines()
    assert out[0] == out[11] == "Output After Training:"
    # Both outputs, to the 8 decimals the blog printed.
    np.testing.assert_array_equal(_column(out[1:5]), blog.PRINTED_COPY)
    np.testing.assert_array_equal(_column(out[12:16]), blog.PRINTED_XOR)
    # The error trace, digit for digit.
    assert out[5:11] == [f"Error:{e:.12g}" for e in blog.PRINTED_ERRORS]
    # The blog's names are all there, at the shapes the user guide describes.
    assert names["syn0"].shape == (3, 4)
    assert names["syn1"].shape == (4, 1)
    for name in ["l0", "l1", "l2", "l1_error", "l1_delta", "l2_error", "l2_delta"]:
        assert names[name].shape[0] == 4
    assert names["nonlin"](0.0) == 0.5
