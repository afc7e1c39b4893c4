"""The user guide's quotes of the package's source (``.. toynet-lines::``) show code.

Each quote names texts to find in a source file; the docs build quotes the
lines found and the lines of code after them (docs/sphinxext/toynet_quotes.py).
Here every quote of every page is resolved against the files as they are, so a
source change that breaks a quote, or leaves it showing comments only, fails
the tests and not only the docs build.
"""

import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# The quoting rule lives beside the docs' Sphinx extension, in plain Python.
sys.path.insert(0, str(ROOT / "docs" / "sphinxext"))
from toynet_quotes import is_code, quote, quoted_lines  # noqa: E402

_DIRECTIVE = re.compile(r"^(\s*)\.\. toynet-lines:: (\S+)\s*$")


def page_quotes():
    """(page, line, path, finds, after) of every ``.. toynet-lines::``."""
    for page in sorted((ROOT / "docs").glob("*.rst")):
        lines = page.read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines):
            match = _DIRECTIVE.match(line)
            if match is None:
                continue
            options, i = {}, number + 1
            indent = len(match[1])
            key = None
            while i < len(lines) and (
                not lines[i].strip() or len(lines[i]) - len(lines[i].lstrip()) > indent
            ):
                option = re.match(r"\s*:(\w+):\s*(.*)$", lines[i])
                if option:
                    key = option[1]
                    options[key] = [option[2]] if option[2] else []
                elif key == "find" and lines[i].strip():
                    options["find"].append(lines[i].strip())
                i += 1
            after = int(options.get("after", ["0"])[0])
            yield page.name, number + 1, match[2], options["find"], after


QUOTES = list(page_quotes())


def test_the_user_guide_quotes_are_found():
    assert sum(page == "user_guide.rst" for page, *_ in QUOTES) >= 10


@pytest.mark.parametrize(
    "page, line, path, finds, after",
    QUOTES,
    ids=[f"{page}:{line}" for page, line, *_ in QUOTES],
)
def test_quote_resolves_to_code(page, line, path, finds, after):
    lines = (ROOT / path).read_text(encoding="utf-8").splitlines()
    chosen = quoted_lines(lines, finds, after, path)
    code = [lines[i] for i in chosen if is_code(lines[i])]
    # Each found line, and at least `after` code lines per find, are quoted.
    assert len(code) >= after * len(finds) and code, quote(lines, chosen)


def test_comments_are_quoted_but_not_counted():
    lines = [
        "def f(x):",
        "    # The blog's step,",
        "    # explained.",
        "    x += 1",
        "",
    ]
    assert quoted_lines(lines, ["# The blog's step"], after=1) == [1, 2, 3]
    assert quote(lines, [1, 2, 3]) == "# The blog's step,\n# explained.\nx += 1"


def test_a_quote_of_comments_only_or_too_short_is_refused():
    lines = ["# one", "# two", "", "x = 1"]
    with pytest.raises(ValueError, match="comments only"):
        quoted_lines(lines, ["# one"])
    with pytest.raises(ValueError, match="fewer than 1 lines of code"):
        quoted_lines(lines, ["# one"], after=1)
    with pytest.raises(ValueError, match="on 0 lines"):
        quoted_lines(lines, ["absent"])
