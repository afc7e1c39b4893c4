"""Local Sphinx extension of the sklearn-toynet docs.

* ``ExampleOrder``: the order of the gallery (sphinx-gallery sort key).
* The benchmarks page: ``benchmarks/RESULTS.md``, when it exists, converted to
  reStructuredText in ``docs/_generated/benchmarks.inc`` (with
  ``benchmarks/results.png`` beside it); a note when it does not. Its
  small-calls rows of ``predict_proba`` become the Deploying page's latency
  table, ``docs/_generated/serving.inc``. The environment variable
  ``TOYNET_BENCHMARKS_DIR`` names another folder to take them from.
* The API page: every name of ``sklearn_toynet.__all__`` that ``api.rst`` does
  not list itself is documented from ``docs/_generated/api_more.inc``, so a new
  public name is never silently left out.
  The conversion is in ``toynet_benchmarks.py`` (plain Python, tested).
* From ``toynet_checks.py``: ``.. toynet-lines::`` (source lines quoted by
  content, not by line number), links to scikit-learn's pages built offline,
  and the checks that no example prints a warning or a local path and that
  no page needs math from MathJax or anything else from the network.
* Signatures: ``dtype=np.float32`` and ``UNCHANGED`` as defaults, not their
  reprs (``<class 'numpy.float32'>``, ``'$UNCHANGED$'``).
* Docstrings: attribute names in numpydoc types are quoted, and the
  docstrings that scikit-learn gives our estimators (``score``,
  ``set_fit_request``, ...) lose their references to scikit-learn's own user
  guide and glossary, which this site does not have.
"""

import os
import re
import shutil
from pathlib import Path

from toynet_benchmarks import (
    _escape,
    markdown_to_rst,
    readers_results,
    serving_table,
    tabular_table,
)
from toynet_checks import (
    SourceLines,
    check_example_output,
    link_sklearn,
    refuse_math,
    refuse_remote_assets,
)

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
                "   Every ratio that has a target: the bar is the measured ratio,\n"
                "   green where it met its target and red where it missed it; the\n"
                "   black tick is the target.\n"
            )
        body += _tabular_figure(folder / "tabular.png")
    _write_if_changed(target, body)
    _write_results_table(results, serving_table, "serving.inc", "small-calls")
    _write_results_table(
        results,
        tabular_table,
        "tabular.inc",
        "tabular",
        after=_tabular_figure(folder / "tabular.png"),
    )


def _tabular_figure(plot):
    """The tables suite's error-against-time figure (copied beside the pages), or ''."""
    if not plot.is_file():
        return ""
    shutil.copyfile(plot, GENERATED / "tabular.png")
    return (
        "\n.. figure:: /_generated/tabular.png\n"
        "   :alt: test error against fit time on the development tables\n"
        "   :width: 100%\n\n"
        "   The tables suite: each contender's aggregate error relative to\n"
        "   MLP's against its CPU fit seconds (every table fitted once); lower\n"
        "   left is better.\n"
    )


def _write_results_table(results, make_table, include, what, after=""):
    """Write ``_generated/<include>``: ``make_table``'s table of RESULTS.md.

    The Deploying page's latency table (``serving_table``) and the Tables
    page's comparison (``tabular_table``, followed by ``after``); a note when
    RESULTS.md has no ``what`` results.
    """
    table = (
        make_table(results.read_text(encoding="utf-8")) if results.is_file() else None
    )
    if table is None:
        body = (
            ".. note::\n\n"
            f"   No {what} results were found in ``benchmarks/RESULTS.md``\n"
            "   when these pages were built: run ``python -m benchmarks``.\n"
        )
    else:
        body = markdown_to_rst(table) + after
    _write_if_changed(GENERATED / include, body)


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


# Default values as autodoc writes them, and as a reader would: numpy's types
# by their usual name, scikit-learn's "leave the request unchanged" sentinel by
# the name its docstrings give it.
_SIGNATURE_DEFAULTS = [
    (re.compile(r"<class 'numpy\.(\w+)'>"), r"np.\1"),
    (re.compile(r"'\$UNCHANGED\$'"), "UNCHANGED"),
]


def fix_signature(app, what, name, obj, options, signature, return_annotation):
    """Signatures show ``dtype=np.float32``, not ``<class 'numpy.float32'>``."""
    if signature is None:
        return None
    for pattern, replacement in _SIGNATURE_DEFAULTS:
        signature = pattern.sub(replacement, signature)
    return signature, return_annotation


def setup(app):
    app.add_directive("toynet-lines", SourceLines)
    app.connect("missing-reference", link_sklearn)
    app.connect("doctree-resolved", refuse_math)
    app.connect("source-read", check_example_output)
    app.connect("build-finished", refuse_remote_assets)
    app.connect("builder-inited", write_benchmarks, priority=100)
    app.connect("builder-inited", write_api_more, priority=100)
    app.connect("autodoc-process-docstring", fix_docstring, priority=100)
    app.connect("autodoc-process-signature", fix_signature, priority=100)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
