"""Sphinx configuration of the sklearn-toynet documentation.

Build (from the repository root, offline, warnings are errors)::

    python -m sphinx -W --keep-going -b html docs docs/_build/html
"""

import os
import sys
from pathlib import Path

# The gallery's figures are rendered without a display, whatever the machine.
os.environ.setdefault("MPLBACKEND", "Agg")

DOCS = Path(__file__).resolve().parent
sys.path.insert(0, str(DOCS / "sphinxext"))
# Document the checkout being built, even if another copy is installed.
sys.path.insert(0, str(DOCS.parent))

# The examples train many tiny networks: one BLAS thread is the fastest, and
# it keeps the build's time steady when other jobs share the machine.
from threadpoolctl import threadpool_limits  # noqa: E402

import sklearn_toynet  # noqa: E402

threadpool_limits(limits=1, user_api="blas")

project = "sklearn-toynet"
author = "sklearn-toynet developers"
copyright = "sklearn-toynet developers"
release = sklearn_toynet.__version__
version = ".".join(release.split(".")[:2])

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
    "toynet_docs",
    "toynet_prevnext",
    "sphinx_copybutton",
]

templates_path = ["_templates"]
exclude_patterns = ["_build", "_generated", "**.ipynb_checkpoints", "README.md"]
root_doc = "index"
default_role = "literal"
pygments_style = "sphinx"
# Every cross-reference must resolve. References to scikit-learn link to its
# site (toynet_docs.link_sklearn); the build is offline, so there are no
# inventories to link joblib's and dask's objects with: those render as code.
nitpicky = True
nitpick_ignore_regex = [("py:.*", r"(joblib|dask|distributed|dask_ml)(\..*)?")]
# No sphinx.ext.intersphinx: it downloads each project's objects.inv when the
# docs are built, and the CI build is offline (it would fail, or warn, which -W
# turns into a failure). Links to scikit-learn come from toynet_checks.link_sklearn
# instead, which needs no inventory: :class:`sklearn.neural_network.MLPClassifier`
# links to scikit-learn's page of that class.
# "fit", not "ToyNetClassifier.fit", in the "On this page" list of class pages.
toc_object_entries_show_parents = "hide"

# -- autodoc / autosummary / numpydoc ----------------------------------------------
autosummary_generate = True
autodoc_default_options = {}  # members come from _templates/autosummary/class.rst
autodoc_typehints = "none"
autoclass_content = "class"
# Members are listed by our own autosummary template (_templates/autosummary),
# not by numpydoc: numpydoc's tables of inherited members would point at
# scikit-learn pages this site does not have.
numpydoc_show_class_members = False
numpydoc_show_inherited_class_members = False
numpydoc_class_members_toctree = False
numpydoc_attributes_as_param_list = True
numpydoc_xref_param_type = False

# -- sphinx-gallery -------------------------------------------------------------------
sphinx_gallery_conf = {
    "examples_dirs": "../examples",
    "gallery_dirs": "auto_examples",
    "filename_pattern": "/plot_",
    "ignore_pattern": r"__init__\.py",
    "within_subsection_order": "toynet_docs.ExampleOrder",
    "backreferences_dir": "gen_modules/backreferences",
    "doc_module": ("sklearn_toynet",),
    "download_all_examples": False,
    "show_memory": False,
    "remove_config_comments": True,
    "plot_gallery": "True",
    "abort_on_example_error": True,
    "matplotlib_animations": False,
    "image_srcset": ["2x"],
    "min_reported_time": 1,
    # Its summary pages load DataTables from a CDN: the pages must work offline.
    "write_computation_times": False,
}

# -- sphinx-copybutton ---------------------------------------------------------------
# The copy button copies the code of a ">>>" session without its prompts and
# without the output lines; blocks without prompts are copied whole.
copybutton_prompt_text = r">>> |\.\.\. "
copybutton_prompt_is_regexp = True
copybutton_only_copy_prompt_lines = True

# -- HTML ---------------------------------------------------------------------------
html_theme = "pydata_sphinx_theme"
html_title = f"sklearn-toynet {release}"
html_static_path = ["_static"]
html_css_files = ["custom.css"]
html_theme_options = {
    "navigation_with_keys": False,
    # Short toctree titles (index.rst) keep five links and the search button
    # on one row at 1400 px; the other pages are under "More".
    "header_links_before_dropdown": 5,
    "show_toc_level": 2,
    "show_prev_next": True,
    "secondary_sidebar_items": ["page-toc", "sourcelink"],
    "navbar_end": ["theme-switcher"],
    "footer_start": ["copyright"],
    "footer_end": ["sphinx-version"],
}
# Single pages need no section navigation, and the examples' figures need
# the width more than a list of the other examples: no left sidebar there.
html_sidebars = {
    page: []
    for page in [
        "index",
        "getting_started",
        "tables",
        "user_guide",
        "hyperparameters",
        "dropin",
        "callbacks",
        "deploying",
        "distributed",
        "array_api",
        "benchmarks",
        "contributing",
        "architecture",
        "mlflow",
        "auto_examples/plot_*",
    ]
}
html_show_sourcelink = False
html_copy_source = False
