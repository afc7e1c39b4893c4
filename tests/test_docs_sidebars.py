"""A page without pages under it shows no left sidebar (it would be empty).

pydata-sphinx-theme's left sidebar lists the pages under the current one. For a
narrative page, which has none, it is an empty column (350 px at 1400 px wide):
``html_sidebars`` in docs/conf.py must give such a page no sidebar. Read from
the sources, without running Sphinx.
"""

import ast
import re
from pathlib import Path

DOCS = Path(__file__).resolve().parents[1] / "docs"


def sidebar_free_pages():
    """The page names ``html_sidebars`` maps to no sidebar, from conf.py's text."""
    tree = ast.parse((DOCS / "conf.py").read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and any(
            getattr(target, "id", None) == "html_sidebars" for target in node.targets
        ):
            assert isinstance(node.value, ast.DictComp), "a {page: [] for ...} dict"
            (generator,) = node.value.generators
            return set(ast.literal_eval(generator.iter))
    raise AssertionError("docs/conf.py sets no html_sidebars")


def toctree_pages():
    """The pages of the index's toctree (``Title <name>`` or ``name`` entries)."""
    text = (DOCS / "index.rst").read_text(encoding="utf-8")
    tree = text.split(".. toctree::", 1)[1]
    entries = re.findall(r"^   (?!:)(.+)$", tree, re.M)
    return [re.sub(r"^.*<(.+)>$", r"\1", entry.strip()) for entry in entries]


def has_pages_under_it(name):
    source = DOCS / f"{name}.rst"
    if not source.is_file():  # generated (the gallery's index): it lists pages
        return True
    text = source.read_text(encoding="utf-8")
    return ".. toctree::" in text or ":toctree:" in text


def test_pages_without_subpages_have_no_left_sidebar():
    pages = toctree_pages()
    assert "array_api" in pages and "user_guide" in pages, pages
    missing = [
        name
        for name in pages
        if not has_pages_under_it(name) and name not in sidebar_free_pages()
    ]
    assert not missing, f"add {missing} to html_sidebars in docs/conf.py"
