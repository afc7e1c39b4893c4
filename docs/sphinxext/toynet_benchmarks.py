"""benchmarks/RESULTS.md as the docs' benchmarks page: plain Python, no Sphinx.

``readers_results`` rearranges the report for readers (how to read the tables,
results first with rows flagged where noise exceeds a margin, where MLP still
wins, the machine last; run time stated, no issue numbers);
``markdown_to_rst`` converts the subset of markdown the report uses;
``tables`` parses the report's tables, for ``serving_table`` (the Deploying
page's latency table) and for the tests that check every figure the pages
quote against the report.
"""

import re
from dataclasses import dataclass

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


@dataclass
class Table:
    """One pipe table of the report, under its nearest heading."""

    title: str
    head: list
    rows: list

    def column(self, name):
        """The index of the column called ``name`` (see ``column_name``).

        A header that is ``name`` itself comes first: the tabular suite's
        aggregate has a value column and its target's column of one name.
        """
        exact = [j for j, h in enumerate(self.head) if h == name]
        if len(exact) == 1:
            return exact[0]
        found = [j for j, h in enumerate(self.head) if column_name(h) == name]
        if len(found) != 1:
            raise KeyError(f"{self.title!r} has {len(found)} columns named {name!r}")
        return found[0]


def column_name(header):
    """A header without unit or shared target: "ToyNet/MLP (<= 0.5)" -> "ToyNet/MLP"."""
    return re.sub(r"\s*\[[^\]]*\]|\s*\((?:<=|>=)[^)]*\)", "", header).strip()


def tables(text):
    """Every pipe table of a markdown text, with the heading above it."""
    found, title = [], None
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        heading = re.match(r"#+\s+(.*)", lines[i])
        if heading:
            title = heading.group(1).strip()
        if not lines[i].lstrip().startswith("|"):
            i += 1
            continue
        block = []
        while i < len(lines) and lines[i].lstrip().startswith("|"):
            block.append(lines[i])
            i += 1
        if len(block) >= 2:
            found.append(Table(title, _cells(block[0]), [_cells(b) for b in block[2:]]))
    return found


def number(cell):
    """The number a cell starts with ("0.52 (**NO**)", "1,195", "±3%"), or None."""
    match = re.match(r"\s*[±]?([-+]?\d[\d,]*\.?\d*)", cell)
    return float(match.group(1).replace(",", "")) if match else None


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
                    value = number(cell)
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


# -- how to read the tables; rows whose noise exceeds their margin ---------------------

READING_GUIDE = """## How to read the tables

- Times and memory are medians over repeated runs, the contenders taking turns.
  A ratio divides ToyNet's figure by another contender's: below 1, ToyNet takes
  less time (or memory).
- A column header with a target, such as `ToyNet/MLP (<= 0.5)`, states a ratio
  the project aims for, beyond parity with MLP; the **yes** or **NO** after each
  value says whether this run met it. A cell such as `0.10 (<= 0.3: yes)`
  carries a target of its own. Ratios without a target are for information.
- The `noise` column is the largest relative half-range, (max - min) / (2 x
  median), of any contender's repeats in that row: a few percent on a quiet
  machine; tens of percent mean that other work disturbed the row.
- A case marked (noisy) had more noise than the margin between one of its
  ratios and that ratio's target (or 1, for a ToyNet/MLP ratio without a
  target): another run could turn its yes into NO, or the reverse, or change
  which contender is faster. {flagged}
"""

_OWN_TARGET = re.compile(r"\((<=|>=) ([-\d.]+): (?:yes|\*\*NO\*\*)\)")
_SHARED_TARGET = re.compile(r"\((<=|>=) ([-\d.]+)\)$")
_MARK = re.compile(r"\((?:yes|\*\*NO\*\*)\)")


def margins(head, row):
    """Relative margins of a row's ratios to their targets (or to 1 for ToyNet/MLP)."""
    out = []
    for header, cell in zip(head, row):
        value = number(cell)
        if value is None or column_name(header) == "noise":
            continue
        own, shared = _OWN_TARGET.search(cell), _SHARED_TARGET.search(header)
        if own:
            target = float(own[2])
        elif shared and _MARK.search(cell):
            target = float(shared[2])
        elif column_name(header) == "ToyNet/MLP":
            target = 1.0
        else:
            continue
        if target:
            out.append(abs(value - target) / abs(target))
    return out


def noisy(head, row):
    """Whether a row's noise exceeds the smallest margin of its ratios."""
    if "noise" not in head:
        return False
    noise = number(row[head.index("noise")])
    row_margins = margins(head, row)
    return noise is not None and bool(row_margins) and noise / 100 > min(row_margins)


def _flag_noisy(lines):
    """The table rows whose noise exceeds a margin get "(noisy)" after their case."""
    out, head, flagged = [], None, 0
    for line in lines:
        if not line.lstrip().startswith("|"):
            head = None
            out.append(line)
            continue
        cells = _cells(line)
        if head is None:
            head = cells
        elif not all(re.fullmatch(r":?-+:?", c) for c in cells) and noisy(head, cells):
            cells[0] += " (noisy)"
            flagged += 1
            line = "| " + " | ".join(cells) + " |"
        out.append(line)
    return out, flagged


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
    results_lines, flagged = [], 0
    for body in results:
        # Each result subsection becomes a section of the page.
        lines, count = _flag_noisy(body)
        results_lines += [
            line[1:] if line.startswith("### ") else line for line in lines
        ]
        flagged += count
    if results:
        marked = {
            0: "No row of this run is marked.",
            1: "One row of this run is marked.",
        }
        note = marked.get(flagged, f"{flagged} rows of this run are marked.")
        out += READING_GUIDE.format(flagged=note).splitlines() + [""]
    out += results_lines
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


# -- the Deploying page's latency table ---------------------------------------------

_SERVING_ROW = re.compile(r"predict_proba, (\d+) rows?")


def serving_table(text):
    """The small-calls table's ``predict_proba`` rows, as markdown, or None.

    One row per batch size, a column per contender but the numpy floor (ToyNet,
    MLP and each ONNX Runtime contender the run had), and the row's noise.
    """
    small = [t for t in tables(text) if (t.title or "").startswith("Small calls")]
    if not small:
        return None
    table = small[0]
    keep = [
        j
        for j, header in enumerate(table.head)
        if j and "[" in header and not header.startswith("numpy")
    ]
    if "noise" in table.head:
        keep.append(table.head.index("noise"))
    head = ["rows", *(table.head[j] for j in keep)]
    out = ["| " + " | ".join(head) + " |", "|---" + "|---:" * (len(head) - 1) + "|"]
    for row in table.rows:
        match = _SERVING_ROW.fullmatch(row[0])
        if match:
            out.append("| " + " | ".join([match[1], *(row[j] for j in keep)]) + " |")
    return "\n".join(out) + "\n" if len(out) > 2 else None


# -- the Tables page's comparison and ablation -----------------------------------------


def tabular_table(text):
    """The tabular suite's aggregate table (every contender and variant), or None.

    Markdown with the report's own title as a caption line, as written by
    ``benchmarks/suite_tabular.py``: error relative to MLP's, tables better than
    HistGradientBoosting, CPU fit seconds.
    """
    found = [t for t in tables(text) if (t.title or "").startswith("Tables: aggregate")]
    if not found:
        return None
    table = found[0]
    out = [
        f"**{table.title}**",
        "",
        "| " + " | ".join(table.head) + " |",
        "|---" + "|---:" * (len(table.head) - 1) + "|",
    ]
    out += ["| " + " | ".join(row) + " |" for row in table.rows]
    # The report's notes under the table: what each column and variant row is.
    after = text.split(f"### {table.title}", 1)[1].split("\n### ", 1)[0]
    notes = [line for line in after.splitlines() if line.startswith("- ")]
    return "\n".join(out + [""] + notes) + "\n"
