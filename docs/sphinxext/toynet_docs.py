"""Local Sphinx extension of the sklearn-toynet docs.

* ``ExampleOrder``: the order of the gallery (sphinx-gallery sort key).
* The benchmarks page: ``benchmarks/RESULTS.md``, when it exists, converted to
  reStructuredText in ``docs/_generated/benchmarks.inc`` (with
  ``benchmarks/results.png`` beside it); a note when it does not. The
  environment variable ``TOYNET_BENCHMARKS_DIR`` names another folder to
  take them from.
* The API page: every name of ``sklearn_toynet.__all__`` that ``api.rst`` does
  not list itself is documented from ``docs/_generated/api_more.inc``, so a new
  public name is never silently left out.
* ``.. toynet-lines::``: the lines of a source file that contain given
  texts, found by content (not by line number), so a page can quote the one
  or two lines a sentence is about and still be right after the file changes.
* References to scikit-learn's objects link to scikit-learn's online pages,
  without downloading its inventory; the build stays offline.
* Math markup is refused (it would need MathJax from the network), and so is
  any page that loads a script or a style sheet from the network.
* Docstrings: attribute names in numpydoc types are quoted, and the
  docstrings that scikit-learn gives our estimators (``score``,
  ``set_fit_request``, ...) lose their references to scikit-learn's own user
  guide and glossary, which this site does not have.
"""

import os
import re
import shutil
from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

logger = logging.getLogger(__name__)

DOCS = Path(__file__).resolve().parents[1]
ROOT = DOCS.parent
GENERATED = DOCS / "_generated"

# -- gallery order -----------------------------------------------------------------

GALLERY_ORDER = [
    "plot_blog_replay.py",
    "plot_decision_boundaries.py",
    "plot_solvers.py",
    "plot_regularization_extras.py",
    "plot_hidden_activations.py",
    "plot_grid_search.py",
    "plot_dataframe_pipeline.py",
    "plot_callbacks.py",
]


class ExampleOrder:
    """Sort the gallery by ``GALLERY_ORDER``; examples not listed come last, by name."""

    def __init__(self, src_dir):
        self.src_dir = src_dir

    def __call__(self, filename):
        if filename in GALLERY_ORDER:
            return (0, GALLERY_ORDER.index(filename), filename)
        return (1, 0, filename)

    def __repr__(self):
        return f"<{type(self).__name__}>"


# -- markdown (the subset benchmarks/_report.py writes) to reStructuredText ------------

_INLINE = re.compile(r"(`[^`]+`|\*\*[^*]+\*\*|\[[^\]]+\]\([^)]+\))")
# "-" too: a cell "-" would start a bullet list, and "--" would become an en dash.
_SPECIAL = re.compile(r"([\\`*_|<>\[\]:-])")
_HEADING_CHARS = {1: "=", 2: "-", 3: "~", 4: "^"}


def _escape(text):
    return _SPECIAL.sub(r"\\\1", text)


def _inline(text):
    """Markdown inline code, bold and links to rst; everything else literal."""
    parts = _INLINE.split(text)
    out = []
    for i, part in enumerate(parts):
        if i % 2 == 0:
            out.append(_escape(part))
            continue
        if part.startswith("`"):
            markup = f"``{part[1:-1]}``"
        elif part.startswith("**"):
            markup = f"**{_escape(part[2:-2])}**"
        else:
            label, url = re.fullmatch(r"\[([^\]]+)\]\(([^)]+)\)", part).groups()
            markup = f"`{_escape(label)} <{url}>`__"
        # rst inline markup must be set off from adjacent word characters;
        # an escaped space separates it without showing.
        before, after = parts[i - 1], parts[i + 1]
        if before and re.match(r"[\w)\]]", before[-1]):
            markup = "\\ " + markup
        if after and re.match(r"[\w(\[]", after[0]):
            markup += "\\ "
        out.append(markup)
    return "".join(out)


def _cells(line):
    line = line.strip()
    if line.startswith("|"):
        line = line[1:]
    if line.endswith("|"):
        line = line[:-1]
    return [cell.strip() for cell in re.split(r"(?<!\\)\|", line)]


def _table(lines):
    header, rule, *body = lines
    head = _cells(header)
    aligns = _cells(rule)
    if not all(re.fullmatch(r":?-+:?", a) for a in aligns):
        raise ValueError(f"not a markdown table rule: {rule!r}")
    width = len(head)
    rows = [_cells(line) for line in body]
    rows = [(row + [""] * width)[:width] for row in rows]
    has_header = any(head)
    # Tables with right-aligned (numeric) columns in markdown keep them so.
    numeric = any(a.endswith(":") for a in aligns[1:])
    classes = "toynet-bench-table" + (" toynet-bench-numeric" if numeric else "")
    out = [".. list-table::", f"   :class: {classes}"]
    if has_header:
        out.append("   :header-rows: 1")
    out.append("")
    for row in ([head] if has_header else []) + rows:
        for j, cell in enumerate(row):
            bullet = "   * - " if j == 0 else "     - "
            out.append(bullet + (_inline(cell) if cell else ""))
    return out + [""]


def markdown_to_rst(text, *, top_level=2):
    """Convert headings, paragraphs, bullet lists and pipe tables.

    A first ``#`` heading is dropped (the including page has a title); the
    others are shifted so that ``##`` becomes level ``top_level`` of the page.
    Raises ValueError on anything else that would need guessing.
    """
    out = []
    lines = text.splitlines()
    i = 0
    # The page has its own title: skip the document's first "# " heading.
    while i < len(lines) and not lines[i].strip():
        i += 1
    if i < len(lines) and re.match(r"#\s", lines[i]):
        i += 1
    while i < len(lines):
        line = lines[i].rstrip()
        heading = re.match(r"(#+)\s+(.*)", line)
        if not line:
            out.append("")
            i += 1
        elif heading:
            level = len(heading.group(1)) + top_level - 2
            title = _inline(heading.group(2))
            out += ["", title, _HEADING_CHARS[min(level, 4)] * len(title), ""]
            i += 1
        elif line.lstrip().startswith("|"):
            block = []
            while i < len(lines) and lines[i].lstrip().startswith("|"):
                block.append(lines[i])
                i += 1
            out += [""] + _table(block)
        elif line.startswith("```"):
            raise ValueError("code fences are not converted")
        elif re.match(r"[-*]\s+", line):
            out.append("- " + _inline(line[2:].strip()))
            i += 1
        else:
            out.append(_inline(line))
            i += 1
    return "\n".join(out) + "\n"


# -- benchmarks/RESULTS.md, rearranged for readers --------------------------------

_ISSUE = re.compile(r"[^.]*\bissues?\s+#?\d+[^.]*\.\s*", re.I)
_RUN_TIME = re.compile(r"Produced by (`[^`]+`) in ([\d,.]+) s\.")
_MISSED = re.compile(
    r"missed: (?P<area>[^:]+): (?P<case>.+): (?P<ratio>[^=:]+?) = "
    r"(?P<value>[-\d.]+) \(target (?P<target>[^)]+)\)"
)


def _sections(lines):
    """Split markdown lines at ``## `` headings: [(title or None, lines)]."""
    sections = [(None, [])]
    for line in lines:
        if line.startswith("## "):
            sections.append((line[3:].strip(), []))
        else:
            sections[-1][1].append(line)
    return sections


def _run_time(match):
    seconds = float(match.group(2).replace(",", ""))
    minutes = f" (about {seconds / 60:.0f} minutes)" if seconds >= 90 else ""
    return (
        f"Measured by one run of {match.group(1)}, which took {seconds:g} s"
        f"{minutes} on the machine described at the end of this page."
    )


def _number(cell):
    match = re.match(r"\s*([-+]?\d[\d,]*\.?\d*)", cell)
    return float(match.group(1).replace(",", "")) if match else None


# Result columns that compare ToyNet with MLP: a ratio (above 1, MLP wins) or a
# difference in accuracy points (below 0, MLP wins).
_RATIO_COLUMN = re.compile(r"^(?:\w+ )?ToyNet/MLP\b")
_POINTS_COLUMN = re.compile(r"^ToyNet-MLP acc")


def _mlp_wins(bodies):
    """Bullets for the result rows where MLP beats ToyNet."""
    wins = []
    for lines in bodies:
        title, block = "", []
        for line in lines + [""]:
            if line.startswith("### "):
                title = line[4:].split(" (")[0].split(",")[0].strip()
            if line.lstrip().startswith("|"):
                block.append(line)
                continue
            head = _cells(block[0]) if len(block) > 2 else []
            for row in (_cells(b) for b in block[2:]):
                for name, cell in zip(head, row):
                    value = _number(cell)
                    if value is None:
                        continue
                    if _RATIO_COLUMN.match(name) and value > 1:
                        wins.append(f"- {title}, {row[0]}: ToyNet/MLP = {value:g}")
                    elif _POINTS_COLUMN.match(name) and value < 0:
                        wins.append(
                            f"- {title}, {row[0]}: MLP is {-value:g} points "
                            "more accurate"
                        )
            block = []
    return wins


def _missed_note(missed):
    """The missed targets, one bullet per kind of ratio, ranges of values."""
    groups, raw = {}, []
    for line in missed:
        match = _MISSED.fullmatch(line)
        if match is None:
            raw.append(line.removeprefix("missed: "))
            continue
        key = (match["area"], match["ratio"].strip(), match["target"])
        groups.setdefault(key, []).append(float(match["value"]))
    out = []
    for (area, ratio, target), values in groups.items():
        low, high = min(values), max(values)
        measured = f"{low:.2f}" if low == high else f"{low:.2f} to {high:.2f}"
        cases = "1 case" if len(values) == 1 else f"{len(values)} cases"
        out.append(f"- {area}, {ratio}: {measured} ({cases}; target {target})")
    return out + [f"- {line}" for line in raw]


def readers_results(text):
    """RESULTS.md rearranged: results first, then what missed, then the machine.

    Works on any ``## `` sections the report grows: the ``## Results`` section
    comes first with its subsections, then a note on where MLP still wins and
    which targets were missed, then every other section in its order.
    """
    lines = text.splitlines()
    sections = _sections(lines)
    preamble = sections[0][1]
    heading = [line for line in preamble if line.startswith("# ")][:1]
    intro, missed, score = [], [], []
    for line in preamble:
        if line in heading:
            continue
        if line.startswith("- missed:"):
            missed.append(line[2:])
        elif line.startswith("**Targets met"):
            score.append(line)
        else:
            intro.append(line)
    intro_text = _ISSUE.sub("", _RUN_TIME.sub(_run_time, "\n".join(intro)))
    results = [body for title, body in sections[1:] if title == "Results"]
    others = [(title, body) for title, body in sections[1:] if title != "Results"]
    out = heading + [intro_text.strip(), ""]
    for body in results:
        # Each result subsection becomes a section of the page.
        out += [line[1:] if line.startswith("### ") else line for line in body]
    wins = _mlp_wins(results)
    if wins or missed:
        out += ["", "## Where MLP still wins", ""]
        if wins:
            out += [
                "The cases where MLPClassifier is faster, smaller or more accurate "
                "(a ratio above 1 means ToyNet takes more):",
                "",
                *wins,
            ]
        else:
            out.append(
                "Nowhere in this run: ToyNet was at least as fast, small "
                "and accurate as MLPClassifier in every case measured."
            )
        if missed:
            met = re.search(r"(\d+) / (\d+)", score[0]) if score else None
            count = f": {met[1]} of {met[2]} were met" if met else ""
            out += [
                "",
                f"The project also holds itself to targets beyond parity{count}. "
                "These were missed:",
                "",
                *_missed_note(missed),
            ]
    for title, body in others:
        out += ["", f"## {title}", *body]
    return "\n".join(out) + "\n"


def write_benchmarks(app=None):
    """Write ``_generated/benchmarks.inc`` for ``benchmarks.rst`` to include."""
    GENERATED.mkdir(exist_ok=True)
    # TOYNET_BENCHMARKS_DIR points elsewhere, e.g. at the --quick run's output.
    folder = Path(os.environ.get("TOYNET_BENCHMARKS_DIR", ROOT / "benchmarks"))
    results = folder / "RESULTS.md"
    plot = folder / "results.png"
    target = GENERATED / "benchmarks.inc"
    if not results.is_file():
        body = (
            ".. note::\n\n"
            "   No benchmark results were found when these pages were built:\n"
            "   ``benchmarks/RESULTS.md`` does not exist. Run\n"
            "   ``python -m benchmarks`` from the repository root, then\n"
            "   rebuild the documentation.\n"
        )
    else:
        text = results.read_text(encoding="utf-8")
        try:
            body = markdown_to_rst(readers_results(text))
        except ValueError as exc:
            body = (
                f".. note::\n\n   Shown as written: {_escape(str(exc))}.\n\n"
                ".. code-block:: markdown\n\n"
                + "".join(f"   {line}\n" for line in text.splitlines())
            )
        if plot.is_file():
            shutil.copyfile(plot, GENERATED / "results.png")
            body += (
                "\n.. figure:: /_generated/results.png\n"
                "   :alt: every benchmark ratio against its target\n"
                "   :width: 100%\n\n"
                "   Every measured ratio (bar) with its target (tick).\n"
            )
    _write_if_changed(target, body)


# -- API coverage -------------------------------------------------------------------


def write_api_more(app=None):
    """Document the public names that ``api.rst`` does not list itself."""
    import inspect

    import sklearn_toynet

    GENERATED.mkdir(exist_ok=True)
    text = (DOCS / "api.rst").read_text(encoding="utf-8")
    listed = set(re.findall(r"^\s+(\w+)\s*$", text, re.M))
    directive = r"^\.\. (?:auto\w+|data|class|function):: (?:sklearn_toynet\.)?(\w+)"
    listed |= set(re.findall(directive, text, re.M))
    extra = [
        name
        for name in sklearn_toynet.__all__
        if name not in listed and not name.startswith("__")
    ]
    lines = ["Other public names", "==================", ""] if extra else []
    for name in extra:
        obj = getattr(sklearn_toynet, name)
        if inspect.isclass(obj):
            lines += [f".. autoclass:: {name}", "   :members:", ""]
        elif inspect.isfunction(obj):
            lines += [f".. autofunction:: {name}", ""]
        else:
            lines += [f".. autodata:: {name}", "   :no-value:", ""]
    _write_if_changed(GENERATED / "api_more.inc", "\n".join(lines) + "\n")


def _write_if_changed(path, text):
    # Rewriting an unchanged include would make Sphinx re-read its page.
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


# -- docstrings -------------------------------------------------------------------

_REF = re.compile(r":(?:ref|term):`([^`<]*?)\s*<[^`>]*>`|:(?:ref|term):`([^`]*)`")
# Inline math of scikit-learn's docstrings: shown as code, no MathJax needed.
_MATH = re.compile(r":math:`([^`]*)`")
# A "name : type" line of a numpydoc section.
_PARAM_LINE = re.compile(r"^(\s*\w+ : )(.*)$")
# A bare identifier with a trailing underscore (``n_features_in_``): plain rst
# reads it as a hyperlink reference to a target that does not exist.
_UNDERSCORED = re.compile(r"(?<![`\w])([A-Za-z]\w*)_(?![`\w])")


def _plain(match):
    text = match.group(1) or match.group(2)
    # "see the User Guide" would point at this site's user guide.
    return "scikit-learn's User Guide" if text == "User Guide" else text


def fix_docstring(app, what, name, obj, options, lines):
    """Make docstrings render on a site without scikit-learn's pages.

    * Types such as ``ndarray of shape (n_features_in_,)``: the trailing
      underscore of the attribute name is escaped.
    * ``:ref:`` and ``:term:`` roles of docstrings written in scikit-learn
      (inherited methods) point at scikit-learn's user guide and glossary:
      they become plain text, and their ``:math:`` roles become code.
    """
    module = getattr(obj, "__module__", None) or ""
    ours = module.startswith("sklearn_toynet")
    for i, line in enumerate(lines):
        match = _PARAM_LINE.match(line)
        if match:
            head, spec = match.groups()
            line = head + _UNDERSCORED.sub(r"\1\\_", spec)
        if not ours:
            line = _REF.sub(_plain, line)
            line = _MATH.sub(r"``\1``", line)
        lines[i] = line


# -- source lines found by content ----------------------------------------------


class SourceLines(SphinxDirective):
    """Quote the lines of a source file that contain the given texts.

    ``.. toynet-lines:: sklearn_toynet/_network.py`` (a path from the
    repository root) with ``:find:``, one text per line, each of which must
    occur on exactly one line of the file; ``:after:`` quotes that many more
    lines after each found line. The quote's caption gives the file and line
    numbers; lines that are not adjacent are separated by ``...``.
    """

    required_arguments = 1
    option_spec = {"find": directives.unchanged_required, "after": int}

    def run(self):
        relative = self.arguments[0]
        path = ROOT / relative
        self.env.note_dependency(str(path))
        lines = path.read_text(encoding="utf-8").splitlines()
        wanted = set()
        for text in filter(None, map(str.strip, self.options["find"].splitlines())):
            found = [i for i, line in enumerate(lines) if text in line]
            if len(found) != 1:
                raise self.error(
                    f"{text!r} is on {len(found)} lines of {relative}, not exactly one"
                )
            wanted.update(range(found[0], found[0] + 1 + self.options.get("after", 0)))
        chosen = sorted(wanted)
        indent = min(len(lines[i]) - len(lines[i].lstrip()) for i in chosen)
        quoted, previous = [], None
        for i in chosen:
            if previous is not None and i != previous + 1:
                quoted.append("...")
            quoted.append(lines[i][indent:])
            previous = i
        block = nodes.literal_block("\n".join(quoted), "\n".join(quoted))
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


def setup(app):
    app.add_directive("toynet-lines", SourceLines)
    app.connect("missing-reference", link_sklearn)
    app.connect("doctree-resolved", refuse_math)
    app.connect("source-read", check_example_output)
    app.connect("build-finished", refuse_remote_assets)
    app.connect("builder-inited", write_benchmarks, priority=100)
    app.connect("builder-inited", write_api_more, priority=100)
    app.connect("autodoc-process-docstring", fix_docstring, priority=100)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
