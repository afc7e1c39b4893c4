"""Every code block a reader would paste from README.md and docs/*.rst runs as written.

Which blocks run
    README.md: the fenced blocks opened by ```python. docs/*.rst: the
    ``.. code-block:: python`` directives (``.. code::`` and ``.. sourcecode::``
    too). A page has no bare ``::`` literal blocks, whose language a reader
    would have to guess: every block names its language, so no Python escapes
    this rule (``test_every_literal_block_names_its_language``). Not run here:
    ``.. literalinclude::`` of docs/blog_program.py (test_docs_blog_program.py
    runs that file) and ``.. toynet-lines::``, quotes of the package's source
    (test_docs_source_quotes.py).

How they run
    A page's blocks run in page order in one namespace, as a reader pasting
    them into one session would, in a fresh temporary working directory, with
    ``__name__ == "__main__"``, and scikit-learn's global configuration
    restored afterwards. Every warning a reader would see fails the block
    that raised it (``visible_warnings``: all of them, but a
    DeprecationWarning that a library raises inside its own dependencies,
    which Python's default filters hide).

    - A block of ``>>>`` examples runs as doctest examples (doctest's parser
      and output checker, with ELLIPSIS as pytest's doctests) in that namespace.
    - Any other block runs as a script, whole. Its comments ``# prints: TEXT``
      (on a line of their own, or after a statement) say, in order, what it
      writes to stdout, a line each; ``# prints:`` alone on a line takes the
      comment lines below it as lines of output. Whitespace differences are
      ignored, and ``...`` in the expected text matches anything. A block
      without ``# prints`` must print nothing.
    - Every network a block trains with a stopping rule (``tol`` set:
      ToyNet's and MLP's ``fit``, also inside searches and pipelines run in
      this process) stops within ``MARGIN`` of its ``max_iter``
      (``converged_with_margin``). How many iterations a fit takes changes
      with the CPU's rounding: an example that only just converges here
      raises a ConvergenceWarning on another machine. ``tol=None`` runs
      exactly ``max_iter`` epochs by design and is not checked.
    - A block whose first line is ``# not run in the tests as written: REASON``
      cannot run here (it needs your cluster); it must have a stand-in in
      ``STAND_INS``, which runs the block's own text with what it needs
      supplied locally (a local cluster's address for the remote scheduler's).
"""

import contextlib
import doctest
import functools
import io
import os
import re
import subprocess
import sys
import warnings
from dataclasses import dataclass
from pathlib import Path

import pytest
import sklearn

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.rst"))]

# Pages whose blocks start worker processes (a dask LocalCluster) or write an
# MLflow store: slow.
SLOW_PAGES = {"distributed.rst", "mlflow.rst"}

# Pages known to fail, each with its reason; strict, so that the fix shows.
KNOWN_FAILURES = {
    "mlflow.rst": (
        "MLflow 3.18's autolog computes its training log loss with "
        "sklearn.metrics.log_loss(y_pred=...), and scikit-learn 1.9 answers "
        "with a FutureWarning (y_pred renamed to y_proba): a reader of the "
        "Autologging example sees it"
    ),
}

NOT_RUN = re.compile(r"#\s*not run in the tests as written:\s*(?P<reason>.*\S)")
PRINTS = re.compile(r"^(?P<code>.*?)#\s*prints:(?P<text>.*)$")
CHECK_FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


@dataclass
class Block:
    page: str
    line: int  # of the block's first code line, 1-based
    language: str
    code: str

    @property
    def where(self):
        return f"{self.page}, line {self.line}"

    @property
    def not_run_reason(self):
        first = self.code.lstrip().splitlines()[0] if self.code.strip() else ""
        match = NOT_RUN.fullmatch(first.strip())
        return match and match["reason"]


# -- extracting the blocks ----------------------------------------------------------

_FENCE = re.compile(r"^```(?P<lang>[\w+-]*)\s*$")
_DIRECTIVE = re.compile(
    r"^(?P<indent>\s*)\.\. (?:code-block|code|sourcecode)::\s*(?P<lang>\S*)\s*$"
)


def markdown_blocks(path):
    blocks, lines = [], path.read_text(encoding="utf-8").splitlines()
    i = 0
    while i < len(lines):
        match = _FENCE.match(lines[i])
        if match is None:
            i += 1
            continue
        start, i = i + 1, i + 1
        while i < len(lines) and not lines[i].startswith("```"):
            i += 1
        code = "\n".join(lines[start:i]) + "\n"
        blocks.append(Block(path.name, start + 1, match["lang"], code))
        i += 1
    return blocks


def _indent(line):
    return len(line) - len(line.lstrip())


def rst_blocks(path):
    """``.. code-block::`` directives: language and dedented body."""
    blocks, lines = [], path.read_text(encoding="utf-8").splitlines()
    i = 0
    while i < len(lines):
        match = _DIRECTIVE.match(lines[i])
        if match is None:
            i += 1
            continue
        indent = len(match["indent"])
        i += 1
        # Options (":caption: ...") come first, then a blank line, then the body.
        while i < len(lines) and lines[i].strip().startswith(":"):
            i += 1
        body_start = i
        while i < len(lines) and (not lines[i].strip() or _indent(lines[i]) > indent):
            i += 1
        body = lines[body_start:i]
        while body and not body[-1].strip():
            body.pop()
        first = next(j for j, line in enumerate(body) if line.strip())
        depth = min(_indent(line) for line in body if line.strip())
        code = "\n".join(line[depth:] for line in body[first:]) + "\n"
        blocks.append(Block(path.name, body_start + first + 1, match["lang"], code))
    return blocks


def page_blocks(path):
    blocks = markdown_blocks(path) if path.suffix == ".md" else rst_blocks(path)
    return [block for block in blocks if block.language == "python"]


def bare_literal_blocks(path):
    """Lines that open a ``::`` literal block (not a directive), outside code."""
    inside, found = None, []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if inside is not None:
            if line.strip() and _indent(line) <= inside:
                inside = None
            else:
                continue
        if line.lstrip().startswith(".. "):
            if line.rstrip().endswith("::") or "::" in line:
                inside = _indent(line)
            continue
        if line.rstrip().endswith("::"):
            found.append(f"{path.name}, line {number}: {line.strip()}")
    return found


# -- running them ------------------------------------------------------------------


def expected_output(code):
    """What a script block's ``# prints`` comments say it prints, in order."""
    expected, lines, i = [], code.splitlines(), 0
    while i < len(lines):
        match = PRINTS.match(lines[i])
        i += 1
        if match is None:
            continue
        if match["text"].strip():  # "# prints: TEXT"
            expected.append(match["text"].strip())
            continue
        # "# prints:" alone: the comment lines below it, one per line of output.
        while i < len(lines) and lines[i].lstrip().startswith("#"):
            text = lines[i].lstrip()[1:]
            expected.append(text[1:] if text.startswith(" ") else text)
            i += 1
    return "".join(line + "\n" for line in expected)


def run_script(block, namespace, source=None):
    """Run a script block; a mismatch between its output and the page, or None."""
    stdout = io.StringIO()
    with contextlib.redirect_stdout(stdout):
        exec(compile(source or block.code, f"<{block.where}>", "exec"), namespace)
    got, expected = stdout.getvalue(), expected_output(block.code)
    if expected:
        ok = doctest.OutputChecker().check_output(expected, got, CHECK_FLAGS)
    else:
        ok = got == ""
    if ok:
        return []
    return [
        f"{block.where}: the page says it prints\n{expected or '(nothing)'}\n"
        f"but it printed\n{got or '(nothing)'}"
    ]


def run_doctest(block, namespace):
    test = doctest.DocTestParser().get_doctest(
        block.code, namespace, block.where, block.page, block.line
    )
    report = []
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    runner.run(test, out=report.append, clear_globs=False)
    namespace.update(test.globs)  # the DocTest ran on a copy
    return ["".join(report)] if runner.failures else []


# -- every fit converges with room to spare ------------------------------------------

# The share of ``max_iter`` a documented fit may use before it stops: on another
# CPU the same fit may take more iterations (an L-BFGS fit at 193 of 200 here
# took over 200 on an AVX2 machine).
MARGIN = 0.6


@dataclass
class Fit:
    estimator: str
    solver: str
    n_iter: int
    max_iter: int


def converged_with_margin(fit):
    """A problem with ``fit`` (too close to ``max_iter``), or None."""
    if fit.n_iter <= MARGIN * fit.max_iter:
        return None
    return (
        f"a {fit.estimator}(solver={fit.solver!r}) fit stopped after {fit.n_iter} "
        f"of its max_iter={fit.max_iter} iterations (more than {MARGIN:.0%}): on "
        "another CPU it may not converge; scale the features, or raise max_iter"
    )


@contextlib.contextmanager
def recorded_fits(monkeypatch):
    """Record every ToyNet and MLP ``fit`` with a stopping rule in this process."""
    from sklearn.neural_network import MLPClassifier, MLPRegressor

    from sklearn_toynet import ToyNetClassifier, ToyNetRegressor

    fits = []

    def recording(fit_method):
        @functools.wraps(fit_method)
        def fit(self, *args, **kwargs):
            fitted = fit_method(self, *args, **kwargs)
            if self.tol is not None:
                name = type(self).__name__
                fits.append(Fit(name, self.solver, self.n_iter_, self.max_iter))
            return fitted

        return fit

    with monkeypatch.context() as patch:
        for cls in (ToyNetClassifier, ToyNetRegressor, MLPClassifier, MLPRegressor):
            patch.setattr(cls, "fit", recording(cls.fit))
        yield fits


# -- stand-ins for the blocks that cannot run here ----------------------------------


REMOTE = "tcp://scheduler-host:8786"


@contextlib.contextmanager
def local_cluster():
    """A local dask cluster of one worker process, in place of a remote one."""
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=1,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
        scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
    ) as cluster:
        yield cluster


def on_local_cluster(block, namespace, cluster):
    """A remote cluster's block, with the local cluster's address for its own."""
    source = block.code.replace(REMOTE, cluster.scheduler_address)
    if REMOTE in block.code:  # the block connects its own Client
        return run_script(block, namespace, source)
    # A block that uses the session's ``client``: one connected to the cluster.
    distributed = pytest.importorskip("distributed")
    with distributed.Client(cluster.scheduler_address) as client:
        namespace["client"] = client
        return run_script(block, namespace, source)


GPU_ROWS = "n_samples=200_000"


@contextlib.contextmanager
def pytorch_on_the_cpu():
    """PyTorch, for the GPU page's blocks, run on the CPU; skipped without it."""
    yield pytest.importorskip("torch", reason="PyTorch is not installed")


def on_the_cpu(block, namespace, torch):
    """A CUDA block of array_api.rst, on CPU tensors, with fewer rows."""
    source = block.code.replace('device="cuda"', 'device="cpu"')
    if "make_classification(" in block.code:  # a GPU-sized data set: shrink it
        assert GPU_ROWS in block.code, f"{block.where}: the stand-in expects {GPU_ROWS}"
        source = source.replace(GPU_ROWS, "n_samples=300")
    with sklearn.config_context(array_api_dispatch=True):  # as the block's own
        return run_script(block, namespace, source)


# (page, a text of the block) -> (context manager of a resource, runner).
STAND_INS = {
    ("array_api.rst", 'device="cuda"'): (pytorch_on_the_cpu, on_the_cpu),
    ("array_api.rst", "move_estimator_to(model"): (pytorch_on_the_cpu, on_the_cpu),
    ("distributed.rst", REMOTE): (local_cluster, on_local_cluster),
    ("distributed.rst", "client.run("): (local_cluster, on_local_cluster),
}


def stand_in(block):
    keys = [key for key in STAND_INS if key[0] == block.page and key[1] in block.code]
    return STAND_INS[keys[0]] if len(keys) == 1 else None


# -- the tests ---------------------------------------------------------------------


def _page_params():
    for path in PAGES:
        if not page_blocks(path):
            continue
        marks = [pytest.mark.slow] if path.name in SLOW_PAGES else []
        if path.name in KNOWN_FAILURES:
            marks.append(
                pytest.mark.xfail(reason=KNOWN_FAILURES[path.name], strict=True)
            )
        yield pytest.param(path, id=path.name, marks=marks)


@contextlib.contextmanager
def visible_warnings():
    """Record every warning a reader running the page would see.

    Every warning is recorded ("always"), as Python would show it, but for
    what Python's default filters hide: a DeprecationWarning that a library
    raises inside its own dependencies (not from the page's code, ``__main__``,
    or this package). A library that silences warnings on purpose (MLflow
    replaces ``warnings.showwarning`` while it imports its optional schemas)
    keeps them silent here too, as for a reader. Recording rather than raising
    also reports every warning of a block, not only the first.
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for category in (DeprecationWarning, PendingDeprecationWarning):
            warnings.filterwarnings("ignore", category=category)
            warnings.filterwarnings(
                "always", category=category, module=r"(__main__|sklearn_toynet)\b"
            )
        # On a machine shared with other dask clusters (parallel test runs),
        # the scheduler's HTTP port 8787 may be taken: distributed then warns
        # and takes another. A reader's one cluster meets no such warning.
        warnings.filterwarnings("ignore", "Port 8787 is already in use", UserWarning)
        yield caught


@pytest.mark.parametrize("path", list(_page_params()))
def test_page_blocks_run_and_print_what_the_page_says(path, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    namespace = {"__name__": "__main__"}
    problems = []
    with (
        sklearn.config_context(),
        visible_warnings() as caught,
        recorded_fits(monkeypatch) as fits,
        contextlib.ExitStack() as resources,
    ):
        opened = {}
        for block in page_blocks(path):
            seen, fitted = len(caught), len(fits)
            if block.not_run_reason:
                make, run = stand_in(block)
                if make not in opened:
                    opened[make] = resources.enter_context(make())
                problems += run(block, namespace, opened[make])
            elif block.code.lstrip().startswith(">>>"):
                problems += run_doctest(block, namespace)
            else:
                problems += run_script(block, namespace)
            problems += [
                f"{block.where}: {w.category.__name__}: {w.message} "
                f"({w.filename}, line {w.lineno})"
                for w in caught[seen:]
            ]
            margins = filter(None, map(converged_with_margin, fits[fitted:]))
            problems += [f"{block.where}: {problem}" for problem in margins]
    assert not problems, "\n\n".join(problems)


@pytest.mark.slow  # a fresh interpreter
def test_gpu_page_examples_run_pasted_into_a_fresh_python(tmp_path):
    # The ``>>>`` examples of array_api.rst (the page test above runs them too,
    # in this process, where tests/conftest.py has set SCIPY_ARRAY_API):
    # a reader's fresh Python has only what the page's own lines set.
    page = ROOT / "docs" / "array_api.rst"
    assert ">>> " in page.read_text(encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "SCIPY_ARRAY_API"}
    env["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(ROOT), env.get("PYTHONPATH")])
    )
    run_page = (
        "import doctest, sys; "
        f"result = doctest.testfile({str(page)!r}, module_relative=False, "
        "optionflags=doctest.ELLIPSIS); "
        "sys.exit(1 if result.failed or not result.attempted else 0)"
    )
    done = subprocess.run(
        [sys.executable, "-c", run_page],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_a_fit_close_to_max_iter_is_reported():
    edge = Fit("ToyNetClassifier", "lbfgs", n_iter=193, max_iter=200)
    assert "193 of its max_iter=200" in converged_with_margin(edge)
    assert converged_with_margin(Fit("ToyNetClassifier", "lbfgs", 120, 200)) is None


def test_fits_are_recorded_inside_searches(monkeypatch):
    from sklearn.datasets import load_iris
    from sklearn.model_selection import GridSearchCV

    from sklearn_toynet import ToyNetClassifier

    X, y = load_iris(return_X_y=True)
    net = ToyNetClassifier(solver="lbfgs", max_iter=5, random_state=0)
    unpatched = ToyNetClassifier.fit
    with recorded_fits(monkeypatch) as fits, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # 5 iterations: a ConvergenceWarning
        GridSearchCV(net, {"alpha": [1e-4]}, cv=2).fit(X, y)
        ToyNetClassifier(max_iter=3, tol=None).fit(X, y)  # a fixed budget
    assert [(fit.n_iter, fit.max_iter) for fit in fits] == [(5, 5)] * 3
    assert all(converged_with_margin(fit) for fit in fits)
    assert ToyNetClassifier.fit is unpatched  # the recording ends with the block


def test_a_warning_fails_its_block():
    block = Block("page.rst", 1, "python", "import warnings\nwarnings.warn('hm')\n")
    with visible_warnings() as caught:
        run_script(block, {"__name__": "__main__"})
    assert [str(w.message) for w in caught] == ["hm"]


def test_blocks_that_cannot_run_here_say_why_and_have_a_stand_in():
    skipped = [b for path in PAGES for b in page_blocks(path) if b.not_run_reason]
    assert skipped, "the remote-cluster blocks of distributed.rst are marked"
    for block in skipped:
        assert stand_in(block) is not None, f"{block.where} has no stand-in"
    # Every stand-in serves a block that is still on its page.
    for page, text in STAND_INS:
        assert any(b.page == page and text in b.code for b in skipped), (page, text)


def test_every_literal_block_names_its_language():
    bare = [
        line
        for path in PAGES
        if path.suffix == ".rst"
        for line in bare_literal_blocks(path)
    ]
    assert not bare, "use '.. code-block:: LANGUAGE' instead of '::':\n" + "\n".join(
        bare
    )


def test_every_page_with_python_is_seen():
    # The extraction finds the blocks the pages are known to have: a change of
    # markup that hid them from this module would fail here.
    names = {path.name for path in PAGES if page_blocks(path)}
    assert {"README.md", "index.rst", "deploying.rst", "distributed.rst"} <= names


def test_prints_comments_give_the_output_in_order():
    code = (
        "x = 2\nprint(x)  # prints: 2\nif x:\n    print(x)\n    print(x + 1)\n"
        "    # prints:\n    # 2\n    #   3\ny = x\n"
    )
    assert expected_output(code) == "2\n2\n  3\n"
    assert run_script(Block("page.rst", 1, "python", code), {}) == []


def test_a_wrong_prints_comment_is_reported():
    block = Block("page.rst", 1, "python", "print(1 + 1)  # prints: 3\n")
    (problem,) = run_script(block, {})
    assert "says it prints\n3\n" in problem and "printed\n2\n" in problem
    unannounced = Block("page.rst", 1, "python", "print('hello')\n")
    assert run_script(unannounced, {})
