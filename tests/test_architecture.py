"""The architecture page (docs/architecture.rst) says what is built.

Every module of the package is named on it, and the path of one fit it lists,
module by module, is the call stack a real fit has when it reaches each step.
Its "Rules the code keeps" are checked against the source, read with ``ast``:
which modules take an estimator, and which branch on the array library.
"""

import ast
import functools
import re
import sys
from pathlib import Path

import numpy as np

import sklearn_toynet
from sklearn_toynet import ToyNetClassifier, ToyNetRegressor

PAGE = Path(__file__).resolve().parents[1] / "docs" / "architecture.rst"
PACKAGE = Path(sklearn_toynet.__file__).resolve().parent
RESULTS = PAGE.parents[1] / "benchmarks" / "RESULTS.md"


def _page():
    return PAGE.read_text(encoding="utf-8")


def _listed_path():
    """``[(module, qualified name), ...]`` of the page's "path of one fit" block."""
    text = _page().split("The path of one fit", 1)[1]
    block = text.split(".. code-block:: text", 1)[1].split("\n\n", 2)[1]
    path, module = [], None
    for line in block.splitlines():
        module = line[3:17].strip() or module  # the module column, when given
        name = line[17:48].strip()  # blank where a comment goes on
        if name:
            path.append((f"sklearn_toynet.{module}", name))
    return path


def _stacks_during_a_fit(targets):
    """The package's call stack (outer first) when each of ``targets`` is entered."""
    stacks = {}

    def profile(frame, event, arg):
        name = frame.f_code.co_qualname
        if event != "call" or name not in targets or name in stacks:
            return
        stack = []
        while frame is not None:
            module = frame.f_globals.get("__name__", "")
            if module.startswith("sklearn_toynet"):
                stack.append((module, frame.f_code.co_qualname))
            frame = frame.f_back
        stacks[name] = stack[::-1]

    rng = np.random.RandomState(0)
    X, y = rng.normal(size=(20, 3)), np.arange(20) % 2
    sys.setprofile(profile)
    try:
        ToyNetClassifier(hidden_layer_sizes=(4,), max_iter=1, tol=None).fit(X, y)
    finally:
        sys.setprofile(None)
    return stacks


def test_every_package_module_is_named_on_the_page():
    page = _page()
    modules = sorted(p.stem for p in PACKAGE.glob("*.py"))
    missing = [m for m in modules if f"``{m}``" not in page]
    assert not missing, f"modules not described on architecture.rst: {missing}"


def test_the_listed_fit_path_is_the_stack_of_a_real_fit():
    path = _listed_path()
    names = [name for _, name in path]
    step = names.index("loss_and_gradient")
    called_by_step = path[step + 1 : -1]  # forward, the loss, backward
    stacks = _stacks_during_a_fit({name for name in names[step + 1 :]})
    # The optimizer's update is called by train_step, after loss_and_gradient.
    assert stacks[names[-1]] == path[: names.index("train_step") + 1] + [path[-1]]
    for module, name in called_by_step:
        assert stacks[name] == path[: step + 1] + [(module, name)]


def test_the_fit_path_crosses_at_most_six_modules():
    modules = {module for module, _ in _listed_path()}
    assert len(modules) <= 6, sorted(modules)
    words = ["one", "two", "three", "four", "five", "six"]
    assert f"crosses {words[len(modules) - 1]} modules" in _page()


# -- the rules the code keeps -----------------------------------------------------
#: The names the package gives a parameter holding an estimator (``encoder``:
#: the tabular pair's fitted table encoder, a scikit-learn transformer).
ESTIMATOR_ARGUMENTS = {
    "est",
    "estimator",
    "owner",
    "model",
    "fitted_estimator",
    "encoder",
}


@functools.cache
def _sources():
    """``{module name: (source lines, ast)}`` of every module of the package.

    Parsed once per session: every rule's test reads the same files.
    """
    sources = {}
    for path in sorted(PACKAGE.glob("*.py")):
        text = path.read_text(encoding="utf-8")
        sources[path.stem] = (text.splitlines(), ast.parse(text))
    return sources


def _rule(title):
    """The text of the page's rule ``title``, up to the next rule or the end."""
    text = _page().split("Rules the code keeps", 1)[1]
    body = text.split(f"\n{title}\n", 1)[1]
    return re.split(r"\n\S", body, maxsplit=1)[0]


def _modules_named(text):
    return set(re.findall(r"``(_?_?[a-z_]+?_?_?)``", text)) & set(_sources())


def _calls(tree, name):
    """The calls of ``name(...)`` in ``tree``."""
    return [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == name
    ]


def _taking_an_estimator(tree):
    """Names of the functions in ``tree`` with a parameter that holds an estimator."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            args = node.args
            params = args.posonlyargs + args.args + args.kwonlyargs
            if ESTIMATOR_ARGUMENTS & {a.arg for a in params}:
                names.add(node.name)
    return names


def _estimator_rule():
    """``(estimator modules, exceptions)`` as the page names them."""
    text = _rule("Who takes an estimator")
    estimators = _modules_named(text.split("the modules below them")[0])
    items = re.findall(r"^   - (.*?):", text, flags=re.MULTILINE)
    exceptions = set().union(*(_modules_named(item) for item in items))
    return estimators, exceptions


def test_the_page_names_the_estimator_modules_and_the_exceptions():
    estimators, exceptions = _estimator_rule()
    assert {"_base", "_classifier", "_regressor", "_tabular"} <= estimators
    assert exceptions and not estimators & exceptions


def test_only_the_named_modules_take_an_estimator():
    estimators, exceptions = _estimator_rule()
    taking = {
        module: sorted(_taking_an_estimator(tree))
        for module, (_, tree) in _sources().items()
        if _taking_an_estimator(tree)
    }
    unnamed = {m: f for m, f in taking.items() if m not in estimators | exceptions}
    assert not unnamed, f"take an estimator, not named on the page: {unnamed}"
    # Each exception is still needed: the list does not outgrow the code.
    assert exceptions <= set(taking), sorted(exceptions - set(taking))


def test_below_the_estimators_no_module_reads_estimator_attributes_by_name():
    estimators, exceptions = _estimator_rule()
    parameters = set(ToyNetClassifier().get_params()) | set(
        ToyNetRegressor().get_params()
    )
    found = []
    for module, (_, tree) in _sources().items():
        if module in estimators | exceptions:
            continue
        found += [
            (module, node.lineno, "vars")
            for node in _calls(tree, "vars")
            if ast.unparse(node) != "vars(self)"  # an object's own attributes
        ]
        for node in _calls(tree, "getattr"):
            name = node.args[1] if len(node.args) > 1 else None
            if isinstance(name, ast.Constant) and name.value in parameters:
                found.append((module, node.lineno, name.value))
    assert not found, found


def test_the_modules_that_branch_on_the_array_library_are_the_listed_ones():
    listed = _modules_named(
        _rule("Where array libraries branch").split("An ``isinstance")[0]
    )
    branching = {
        module for module, (_, tree) in _sources().items() if _calls(tree, "is_numpy")
    }
    assert branching == listed, (
        f"call is_numpy, not listed: {sorted(branching - listed)}; "
        f"listed, but do not: {sorted(listed - branching)}"
    )


def test_an_inline_numpy_check_names_the_benchmark_row_that_pays_for_it():
    rows = RESULTS.read_text(encoding="utf-8")
    unexplained, checks = [], 0
    sources = _sources()
    # The one test itself: the lines of ``_array_api.is_numpy``.
    (definition,) = [
        node
        for node in ast.walk(sources["_array_api"][1])
        if isinstance(node, ast.FunctionDef) and node.name == "is_numpy"
    ]
    is_numpy_lines = {"_array_api": range(definition.lineno, definition.end_lineno + 1)}
    for module, (lines, tree) in sources.items():
        for node in _calls(tree, "isinstance"):
            if ast.unparse(node.args[1]) != "np.ndarray":
                continue
            checks += 1
            if node.lineno in is_numpy_lines.get(module, ()):
                continue
            start = node.lineno - 1  # the comment lines right above the check
            while start > 0 and lines[start - 1].strip().startswith("#"):
                start -= 1
            above = "\n".join(lines[start : node.lineno - 1])
            named = re.findall(r'"([^"]+)"', above)
            if "benchmarks/" not in above or not any(r in rows for r in named):
                unexplained.append(f"{module}.py:{node.lineno}")
    assert checks >= 2  # is_numpy itself, and at least one measured fast path
    assert not unexplained, unexplained
