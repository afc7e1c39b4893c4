"""The architecture page (docs/architecture.rst) says what is built.

Every module of the package is named on it, and the path of one fit it lists,
module by module, is the call stack a real fit has when it reaches each step.
"""

import sys
from pathlib import Path

import numpy as np

import sklearn_toynet
from sklearn_toynet import ToyNetClassifier

PAGE = Path(__file__).resolve().parents[1] / "docs" / "architecture.rst"
PACKAGE = Path(sklearn_toynet.__file__).resolve().parent


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
