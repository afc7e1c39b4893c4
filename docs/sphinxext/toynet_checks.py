"""Checks and helpers of the docs build that need Sphinx.

* ``.. toynet-lines::``: quote source lines found by content.
* ``link_sklearn``: references to scikit-learn's objects link to its site.
* ``check_example_output``, ``refuse_math``, ``refuse_remote_assets``: warn
  (an error under ``-W``) when an example prints a warning or a local path,
  when a page has math markup, or when a page loads anything from the network.
"""

import re
from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective
from toynet_quotes import quote, quoted_lines

logger = logging.getLogger(__name__)
ROOT = Path(__file__).resolve().parents[2]

# -- source lines found by content ----------------------------------------------


class SourceLines(SphinxDirective):
    """Quote the lines of a source file that contain the given texts.

    ``.. toynet-lines:: sklearn_toynet/_network.py`` (a path from the
    repository root) with ``:find:``, one text per line, each of which must
    occur on exactly one line of the file; ``:after:`` quotes that many more
    lines of code after each found line (with the comments between them; see
    ``toynet_quotes``). The quote's caption gives the file and line numbers;
    lines that are not adjacent are separated by ``...``.
    """

    required_arguments = 1
    option_spec = {"find": directives.unchanged_required, "after": int}

    def run(self):
        relative = self.arguments[0]
        path = ROOT / relative
        self.env.note_dependency(str(path))
        lines = path.read_text(encoding="utf-8").splitlines()
        finds = list(filter(None, map(str.strip, self.options["find"].splitlines())))
        try:
            chosen = quoted_lines(lines, finds, self.options.get("after", 0), relative)
        except ValueError as exc:
            raise self.error(str(exc)) from None
        text = quote(lines, chosen)
        block = nodes.literal_block(text, text)
        block["language"] = "python"
        numbers = [str(i + 1) for i in chosen]
        label = "line" if len(numbers) == 1 else "lines"
        caption_text = f"{relative}, {label} {', '.join(numbers)}"
        caption = nodes.caption(caption_text, caption_text)
        container = nodes.container("", caption, block, literal_block=True)
        return [container]


# -- references to scikit-learn --------------------------------------------------

SKLEARN_API = "https://scikit-learn.org/stable/"


def link_sklearn(app, env, node, contnode):
    """Link ``sklearn.*`` references to scikit-learn's pages, built offline."""
    target = node.get("reftarget", "")
    if node.get("refdomain") != "py" or not re.fullmatch(r"sklearn(\.\w+)+", target):
        return None
    if node["reftype"] == "mod":
        url = f"{SKLEARN_API}api/{target}.html"
    else:
        url = f"{SKLEARN_API}modules/generated/{target}.html"
    reference = nodes.reference("", "", internal=False, refuri=url)
    reference.append(contnode)
    return reference


# -- clean example output ------------------------------------------------------

_OUTPUT_START = ".. rst-class:: sphx-glr-script-out"


def check_example_output(app, docname, source):
    """Warn when an example's printed output shows a warning or a local path."""
    if not docname.startswith("auto_examples/"):
        return
    lines = source[0].splitlines()
    for start, line in enumerate(lines):
        if line.strip() != _OUTPUT_START:
            continue
        block = []
        for later in lines[start + 1 :]:
            if later.strip() and not later.startswith(" "):
                break
            block.append(later)
        text = "\n".join(block)
        for bad in ("Warning", str(ROOT), "site-packages"):
            if bad in text:
                logger.warning(
                    "the output of %s shows %r: examples print neither warnings "
                    "nor local paths",
                    docname,
                    bad,
                )


# -- no math ---------------------------------------------------------------------


def refuse_math(app, doctree, docname):
    """Warn about math: rendering it would load MathJax from the network."""
    math = (nodes.math, nodes.math_block)
    for node in doctree.findall(lambda n: isinstance(n, math)):
        logger.warning(
            "math markup needs MathJax from the network; write the formula in "
            "plain text",
            location=node,
        )


_REMOTE_ASSET = re.compile(r'<(?:script|link)\b[^>]*(?:src|href)="(https?:)?//[^"]*"')


def refuse_remote_assets(app, exception):
    """Warn about pages that load scripts or styles from the network."""
    if exception is not None or app.builder.format != "html":
        return
    for page in sorted(Path(app.outdir).rglob("*.html")):
        match = _REMOTE_ASSET.search(page.read_text(encoding="utf-8"))
        if match:
            logger.warning(
                "%s loads %s: the pages must work offline",
                page.relative_to(app.outdir),
                match.group(0),
            )
