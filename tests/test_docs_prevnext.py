"""The footer's previous/next links follow the index's toctree, not generated pages.

``toynet_prevnext`` replaces Sphinx's depth-first neighbours on the narrative
pages; tested here on a stand-in for Sphinx's environment, without a build.
"""

import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "docs" / "sphinxext"))
from toynet_prevnext import narrative_pages, neighbours  # noqa: E402


def _env():
    # The MLflow page has generated children; the index's toctree does not list them.
    includes = {
        "index": ["getting_started", "mlflow", "benchmarks"],
        "mlflow": ["generated/sklearn_toynet.mlflow.log_model"],
    }
    return SimpleNamespace(
        config=SimpleNamespace(root_doc="index"), toctree_includes=includes
    )


def test_the_reading_order_is_the_index_then_its_toctree():
    assert narrative_pages(_env()) == [
        "index",
        "getting_started",
        "mlflow",
        "benchmarks",
    ]


def test_a_page_after_one_with_generated_children_links_back_to_that_page():
    pages = narrative_pages(_env())
    assert neighbours(pages, "benchmarks") == ("mlflow", None)
    assert neighbours(pages, "mlflow") == ("getting_started", "benchmarks")
    assert neighbours(pages, "index") == (None, "getting_started")


def test_a_page_outside_the_reading_order_is_refused():
    pages = narrative_pages(_env())
    with pytest.raises(ValueError, match="generated"):
        neighbours(pages, "generated/sklearn_toynet.mlflow.log_model")
