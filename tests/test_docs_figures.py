"""Every benchmark figure the README and the docs quote is the one RESULTS.md holds.

RESULTS.md, written by ``python -m benchmarks``, is the one source of the
project's ratios and timings. The Benchmarks page and the Deploying page's
latency table are generated from it when the docs are built; the figures
written into prose are listed in ``FIGURES`` with the table, row and column
they come from, and checked here at the precision the page quotes them. When
RESULTS.md is regenerated, a failure names each page figure that went stale.
``test_no_figure_is_left_unchecked`` finds every ratio ("0.33x"), duration
("29.8 us") and core count on the pages, so a new figure cannot be written
without an entry here.
"""

import re
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# The report's parser lives beside the docs' Sphinx extension, in plain Python.
sys.path.insert(0, str(ROOT / "docs" / "sphinxext"))
from toynet_benchmarks import column_name, noisy, number, tables  # noqa: E402

RESULTS = ROOT / "benchmarks" / "RESULTS.md"
AVX2 = "avx2/RESULTS.md"  # the same CPU, numpy's and OpenBLAS's AVX-512 code off
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.rst"))]


@dataclass
class Figure:
    """A figure on a page and the cells of RESULTS.md it quotes.

    ``text`` is a regular expression matching the figure in its sentence,
    with one group per number (two for a range "low-high"); ``table``, ``row``
    and ``column`` are prefixes of a table's title, a row's case and a
    column's name (without unit or target). ``row=None`` means every row of
    the column: the page quotes their range. ``over`` names a second column:
    the page quotes the ratio of the two (RESULTS.md holds both timings, not
    their quotient). ``steady`` asks for a row the Benchmarks page does not
    mark as noisy (its noise smaller than its margins): a headline figure.
    ``source`` is the report under ``benchmarks/`` the figure comes from:
    RESULTS.md, or another run's (the same CPU with AVX-512 turned off).
    """

    page: str
    text: str
    table: str
    column: str
    row: str | None = None
    over: str | None = None
    steady: bool = False
    source: str = "RESULTS.md"

    def __str__(self):
        return f"{self.page}: {self.text!r}"


FIGURES = [
    Figure(
        "tables.rst",
        r"RealMLP-TD's error is (\S+) of MLP's",
        "Tables: aggregate",
        "error / MLP",
        "RealMLP-TD",
    ),
    Figure(
        "tables.rst",
        r"LightGBM's\s+(\S+); the tabular",
        "Tables: aggregate",
        "error / MLP",
        "LightGBM",
    ),
    Figure(
        "tables.rst",
        r"pair's error is (\S+) of RealMLP-TD's",
        "Tables: aggregate",
        "vs RealMLP-TD",
        "ToyNetTabular",
    ),
    Figure(
        "tables.rst",
        r"RealMLP-TD's, in (\S+) of its fit\s+time",
        "Tables: aggregate",
        "time vs RealMLP-TD",
        "ToyNetTabular",
    ),
    Figure(
        "tables.rst",
        r"RealMLP-TD took (\S+) CPU seconds",
        "Tables: aggregate",
        "fit s",
        "RealMLP-TD",
    ),
    Figure(
        "tables.rst",
        r"\(``bins16`` in the ablation\) the\s+aggregate error is (\S+) of MLP's",
        "Tables: aggregate",
        "error / MLP",
        "bins16",
    ),
    Figure(
        "tables.rst",
        r"above the (\S+) of no bins at all",
        "Tables: aggregate",
        "error / MLP",
        "no_bins",
    ),
    Figure(
        "tables.rst",
        r"tabular pair's error is (\S+) of MLP's and HistGradientBoosting's",
        "Larger tables: aggregate",
        "error / MLP",
        "ToyNetTabular",
    ),
    Figure(
        "tables.rst",
        r"MLP's and HistGradientBoosting's (\S+), the",
        "Larger tables: aggregate",
        "error / MLP",
        "HGB",
    ),
    Figure(
        "tables.rst",
        r"the\s+pair better on (\d+) of the 8",
        "Larger tables: aggregate",
        "tables better than HGB",
        "ToyNetTabular",
    ),
    Figure(
        "README.md",
        r"their error is (\S+)x MLP's",
        "Tables: aggregate",
        "error / MLP",
        "ToyNetTabular",
    ),
    Figure(
        "README.md",
        r"HistGradientBoosting's (\S+)x\)",
        "Tables: aggregate",
        "error / MLP",
        "HGB",
    ),
    Figure(
        "README.md",
        r"better than HistGradientBoosting on (\d+) of them",
        "Tables: aggregate",
        "tables better than HGB",
        "ToyNetTabular",
    ),
    Figure(
        "README.md",
        r"all 18 fitted in (\S+) CPU seconds",
        "Tables: aggregate",
        "fit s",
        "ToyNetTabular",
    ),
    Figure(
        "README.md",
        r"`benchmarks/RESULTS.md`, on an? [^,]+ CPU, (\d+) cores",
        "Machine",
        "CPUs",
    ),
    Figure(
        "README.md",
        r"the gallery's grid search \(L-BFGS on digits\) in (\S+)x MLP's time",
        "Grid search of the gallery example",
        "ToyNet/MLP",
        "digits, 48 fits",
        steady=True,
    ),
    Figure(
        "README.md",
        r"an L-BFGS fit on breast_cancer in (\S+)x",
        "Small data",
        "ToyNet/MLP",
        "breast_cancer 569 x 30, lbfgs",
        steady=True,
    ),
    Figure(
        "README.md",
        r"`predict_proba` of one row in (\S+)x",
        "Small calls",
        "ToyNet/MLP",
        "predict_proba, 1 row",
    ),
    Figure(
        "README.md",
        r"`predict` in (\S+)x",
        "Small calls",
        "ToyNet/MLP",
        "predict, 1 row",
    ),
    Figure(
        "README.md",
        r"`partial_fit` of 10 rows in (\S+)x",
        "Small calls",
        "ToyNet/MLP",
        "partial_fit, 10 rows",
    ),
    Figure(
        "README.md",
        r"ONNX Runtime serves one row of the exported model in (\S+)x",
        "Small calls",
        "ONNX Runtime/MLP",
        "predict_proba, 1 row",
    ),
    Figure(
        "README.md",
        r"On 50,000-row epochs ([\d.]+)-([\d.]+)x MLP's time",
        "Epoch time",
        "ToyNet/MLP",
    ),
    Figure(
        "README.md",
        r"\(([\d.]+)-([\d.]+)x a bare numpy loop",
        "Epoch time",
        "ToyNet/numpy",
    ),
    Figure(
        "README.md",
        r"`predict_proba` of 200,000 rows ([\d.]+)-([\d.]+)x, peak",
        "predict_proba on 200,000",
        "ToyNet/MLP",
    ),
    Figure(
        "README.md",
        r"peak fit memory ([\d.]+)-([\d.]+)x",
        "Peak traced memory",
        "ToyNet/MLP",
    ),
    Figure(
        "README.md",
        r"total fit time at defaults (\S+)x",
        "Defaults in a StandardScaler pipeline",
        "fit ToyNet/MLP",
        "total fit time",
    ),
    Figure(
        "README.md",
        r"the blog's network at (\S+)x the raw 11-line loop",
        "Blog network",
        "ToyNet/raw",
        "XOR",
    ),
    Figure(
        "README.md",
        r"the raw 11-line loop \(MLP: (\S+)x\)",
        "Blog network",
        "MLP/raw",
        "XOR",
    ),
    # The AVX2 run: the same CPU with its AVX-512 code paths turned off.
    Figure(
        "README.md",
        r"there epochs take ([\d.]+)-([\d.]+)x MLP's time",
        "Epoch time",
        "ToyNet/MLP",
        source=AVX2,
    ),
    Figure(
        "README.md",
        r"`predict_proba` of 200,000 rows ([\d.]+)-([\d.]+)x and of one row",
        "predict_proba on 200,000",
        "ToyNet/MLP",
        source=AVX2,
    ),
    Figure(
        "README.md",
        r"and of one row (\S+)x, and the",
        "Small calls",
        "ToyNet/MLP",
        "predict_proba, 1 row",
        source=AVX2,
    ),
    Figure(
        "README.md",
        r"blog's network runs at (\S+)x the raw loop",
        "Blog network",
        "ToyNet/raw",
        "XOR",
        source=AVX2,
    ),
]

# A ratio ("0.33x", "0.36-0.60x"), a duration ("29.8 us", "251 s") or a count
# of cores: the kinds of figure that come from a benchmark run.
FIGURE_LIKE = re.compile(
    r"\b\d+(?:\.\d+)?(?:-\d+(?:\.\d+)?)?x\b"
    r"|\b\d[\d,.]*\s?(?:us|µs|ms|s|seconds|min|minutes|MiB|GiB)\b"
    r"|\b\d+ (?:CPU )?cores?\b"
)


def page_text(name):
    """A page's text with its line breaks and runs of spaces as single spaces."""
    path = ROOT / name if name == "README.md" else ROOT / "docs" / name
    return re.sub(r"\s+", " ", path.read_text(encoding="utf-8"))


def results_cells(figure, results):
    """The cells of RESULTS.md that ``figure`` quotes: one, or a column's."""
    found = [t for t in results if (t.title or "").startswith(figure.table)]
    if figure.table == "Machine":  # not the BLAS libraries' table below it
        found = [t for t in found if t.head == ["", ""]]
    assert len(found) == 1, f"{figure}: {len(found)} tables titled {figure.table!r}"
    table = found[0]
    if figure.table == "Machine":  # a key-value table: | CPUs ... | 2 / 2 |
        rows = [r for r in table.rows if r[0].startswith(figure.column)]
        assert len(rows) == 1, f"{figure}: no machine entry {figure.column!r}"
        return [rows[0][1]]
    j = table.column(figure.column)
    rows = [r for r in table.rows if figure.row is None or r[0].startswith(figure.row)]
    assert rows and (figure.row is None or len(rows) == 1), (
        f"{figure}: {len(rows)} rows of {table.title!r} start with {figure.row!r}"
    )
    if figure.over is not None:
        k = table.column(figure.over)
        return [
            f"{number(r[j]) / number(r[k])}"
            for r in rows
            if number(r[j]) is not None and number(r[k])
        ]
    return [r[j] for r in rows if number(r[j]) is not None]


def as_quoted(value, quoted):
    """``value`` written with as many decimals as the page's ``quoted`` has."""
    decimals = len(quoted.split(".")[1]) if "." in quoted else 0
    return f"{value:,.{decimals}f}" if "," in quoted else f"{value:.{decimals}f}"


@pytest.fixture(scope="module")
def results():
    return tables(RESULTS.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def reports():
    """Each report a figure comes from, parsed once: ``source`` -> its tables."""
    sources = {figure.source for figure in FIGURES}
    return {
        source: tables((RESULTS.parent / source).read_text(encoding="utf-8"))
        for source in sources
    }


@pytest.mark.parametrize("figure", FIGURES, ids=str)
def test_quoted_figure_is_the_one_in_results(figure, reports):
    matches = list(re.finditer(figure.text, page_text(figure.page)))
    assert len(matches) == 1, f"{figure} is on the page {len(matches)} times"
    quoted = matches[0].groups()
    values = [number(cell) for cell in results_cells(figure, reports[figure.source])]
    expected = [min(values), max(values)] if len(quoted) == 2 else values
    assert len(expected) == len(quoted), (figure, values)
    written = [as_quoted(v, q) for v, q in zip(expected, quoted)]
    assert list(quoted) == written, (
        f"{figure}: the page says {'-'.join(quoted)}, {figure.source} says "
        f"{'-'.join(written)} ({figure.table} / {figure.row or 'every row'} / "
        f"{figure.column}): quote the figure RESULTS.md holds"
    )


@pytest.mark.parametrize("figure", [f for f in FIGURES if f.steady], ids=str)
def test_headline_figure_comes_from_a_row_not_marked_noisy(figure, reports):
    report = reports[figure.source]
    (table,) = [t for t in report if (t.title or "").startswith(figure.table)]
    (row,) = [r for r in table.rows if r[0].startswith(figure.row)]
    assert not noisy(table.head, row), (
        f"{figure}: the Benchmarks page marks {figure.row!r} as noisy; "
        "quote a steadier row"
    )


def test_a_quoted_ratio_of_two_columns_is_their_quotient():
    results = tables(
        "### Small data\n\n| case | ToyNet [ms] | MLP 1 thread [ms] |\n"
        "|---|---:|---:|\n| wine | 3 | 4 |\n"
    )
    figure = Figure(
        "README.md", r"(\S+)x", "Small data", "ToyNet", "wine", "MLP 1 thread"
    )
    (cell,) = results_cells(figure, results)
    assert as_quoted(number(cell), "0.00") == "0.75"


def test_no_figure_is_left_unchecked():
    unchecked = []
    for path in PAGES:
        text = page_text(path.name)
        covered = [
            m.span()
            for figure in FIGURES
            if figure.page == path.name
            for m in re.finditer(figure.text, text)
        ]
        for match in FIGURE_LIKE.finditer(text):
            if not any(a <= match.start() and match.end() <= b for a, b in covered):
                context = text[max(0, match.start() - 40) : match.end() + 20]
                unchecked.append(f"{path.name}: {match.group()!r} in ...{context}...")
    assert not unchecked, "figures without an entry in FIGURES:\n" + "\n".join(
        unchecked
    )


def test_readme_names_the_cpu_its_figures_come_from(results):
    (machine,) = [t for t in results if t.title == "Machine" and t.head == ["", ""]]
    (cpu,) = [value for key, value, *_ in machine.rows if key == "CPU"]
    quoted = re.search(
        r"`benchmarks/RESULTS.md`, on an? (.+?) CPU,", page_text("README.md")
    )
    assert quoted, "README.md does not say which CPU its figures come from"
    assert quoted.group(1) == cpu, (
        f"README.md says its figures come from {quoted.group(1)!r}; "
        f"RESULTS.md was measured on {cpu!r}"
    )


def test_a_stale_figure_is_named():
    stale = Figure("README.md", r"(\d+) cores", "Machine", "CPUs")
    results = tables(
        "## Machine\n\n| | |\n|---|---|\n| CPUs (usable / total) | 4 / 4 |\n"
    )
    (cell,) = results_cells(stale, results)
    assert as_quoted(number(cell), "2") == "4"


def test_the_column_names_drop_units_and_targets():
    assert column_name("ToyNet/MLP (<= 0.5)") == "ToyNet/MLP"
    assert column_name("ToyNet [us/call]") == "ToyNet"
    assert column_name("ToyNet-MLP acc pts (>= -1)") == "ToyNet-MLP acc pts"
    assert number("0.52 (**NO**)") == 0.52 and number("1,195") == 1195
