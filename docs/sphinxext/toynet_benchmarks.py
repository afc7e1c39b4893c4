"""benchmarks/RESULTS.md as the docs' benchmarks page: plain Python, no Sphinx.

``readers_results`` rearranges the report for readers (results first, where
MLP still wins, the machine last; run time stated, no issue numbers);
``markdown_to_rst`` converts the subset of markdown the report uses.
"""

import re

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
