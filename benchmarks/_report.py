"""Render results: markdown tables (stdout and RESULTS.md) and a ratio plot."""

import os

CHECK_MARK = {True: "yes", False: "**NO**", None: "n/a"}


def _fmt(value, fmt):
    if value is None:
        return "-"
    if abs(value) >= 1000:
        return f"{value:,.0f}"  # not 1.09e+03
    return fmt.format(value)


def _columns(section):
    """Check columns by name; the header shows a target shared by every row."""
    targets = {}
    for _, check in section.checks():
        targets.setdefault(check.name, set()).add((check.op, check.target))
    headers = {}
    for name, tset in targets.items():
        (op, target), *rest = tset
        headers[name] = (
            f"{name} ({op} {target:g})" if not rest and target is not None else name
        )
    return headers


def _cell(check, shared):
    if check is None or check.value is None:
        return "-"
    if check.kind == "noise":
        return f"±{100 * check.value:.0f}%"
    text = f"{check.value:.2f}"
    if check.target is not None and f"{check.value:.2f}" == f"{check.target:.2f}":
        text = f"{check.value:.4f}"  # so "1.00 (NO)" does not read as a contradiction
    if check.target is None:
        return text
    if shared:
        return f"{text} ({CHECK_MARK[check.met]})"
    return f"{text} ({check.op} {check.target:g}: {CHECK_MARK[check.met]})"


def section_markdown(section):
    headers = _columns(section)
    unit = f" [{section.unit}]" if section.unit else ""
    head = ["case", *(f"{c}{unit}" for c in section.columns), *headers.values()]
    lines = [f"### {section.title}", "", "| " + " | ".join(head) + " |"]
    lines.append("|" + "|".join(["---"] + ["---:"] * (len(head) - 1)) + "|")
    for row in section.rows:
        cells = [row.case] + [
            _fmt(row.values.get(c), section.fmt) for c in section.columns
        ]
        by_name = {c.name: c for c in row.checks}
        for name, header in headers.items():
            cells.append(_cell(by_name.get(name), header != name))
        lines.append("| " + " | ".join(cells) + " |")
    lines.append("")
    lines += [f"- {note}" for note in section.notes]
    return "\n".join(lines) + "\n"


def summary_markdown(sections):
    met = missed = unknown = 0
    misses = []
    for section in sections:
        for row, check in section.checks():
            if check.target is None:
                continue
            if check.met is None:
                unknown += 1
            elif check.met:
                met += 1
            else:
                missed += 1
                misses.append(
                    f"{section.key}: {row.case}: {check.name} = {check.value:.4f} "
                    f"(target {check.op} {check.target:g})"
                )
    lines = [
        f"**Targets met: {met} / {met + missed}**"
        + (f" ({unknown} not measurable)" if unknown else ""),
        "",
    ]
    lines += [f"- missed: {m}" for m in misses]
    return "\n".join(lines) + "\n"


def results_markdown(sections, info, blas, command, elapsed, preface=()):
    lines = [
        "# sklearn-toynet benchmark results",
        "",
        f"Produced by `{command}` in {elapsed:.0f} s. Ratios are taken within one run;",
        "they are not timed tests. A target is a ratio the project aims for.",
        "",
        *preface,
        summary_markdown(sections),
        "## Machine",
        "",
        "| | |",
        "|---|---|",
    ]
    lines += [f"| {k} | {v} |" for k, v in info.items()]
    lines += ["", "BLAS / OpenMP libraries (threadpoolctl):", ""]
    if blas:
        keys = list(blas[0])
        lines += ["| " + " | ".join(keys) + " |", "|" + "---|" * len(keys)]
        lines += ["| " + " | ".join(str(lib[k]) for k in keys) + " |" for lib in blas]
    lines += ["", "## Results", ""]
    lines += [section_markdown(s) for s in sections]
    return "\n".join(lines)


def short_title(section):
    """A section's title up to its first ", ", ":" or " (": "Epoch time"."""
    import re

    return re.split(r", |:| \(", section.title, maxsplit=1)[0].strip()


def plot(sections, path):
    """Horizontal bars of every ratio that has a target, with the target as a tick.

    A bar is green where its ratio met the target, red where it missed it;
    each label names the table (by its title), the case and the ratio.
    """
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        from matplotlib.lines import Line2D
        from matplotlib.patches import Patch
    except ImportError:
        return "matplotlib is not installed: no plot written"
    items = [
        (f"{short_title(s)}: {row.case}, {c.name}", c.value, c.target, c.met)
        for s in sections
        for row, c in s.checks()
        if c.kind == "ratio" and c.value is not None and c.target is not None
    ]
    if not items:
        return "nothing to plot"
    # The docs show the image at the article's width, about 900 px at 1400 px:
    # bars 5 inches wide at 110 dpi, with the labels left of them (about as
    # wide again), make an image of about 1,100 px, so 12-point labels are
    # shown about 15 px tall.
    fontsize = 12
    fig, ax = plt.subplots(figsize=(5, 0.4 * len(items) + 1.8))
    ypos = list(range(len(items)))
    colors = ["tab:green" if met else "tab:red" for *_, met in items]
    ax.barh(ypos, [v for _, v, _, _ in items], color=colors, height=0.6)
    for y, (_, _, t, _) in zip(ypos, items):
        ax.plot([t, t], [y - 0.4, y + 0.4], color="black", linewidth=2)
    ax.set_yticks(ypos, [label for label, *_ in items], fontsize=fontsize)
    ax.tick_params(axis="x", labelsize=fontsize)
    # Room right of the longest bar and the farthest target tick.
    right = max(max(v, t) for _, v, t, _ in items)
    ax.set_xlim(0, 1.08 * right)
    ax.set_ylim(len(items) - 0.5, -0.5)  # first item on top, no empty margins
    ax.set_xlabel(
        "the ratio the label names (lower is better for ToyNet)", fontsize=fontsize
    )
    ax.grid(axis="x", color="0.9")
    ax.set_axisbelow(True)
    # The legend goes above the bars, under the title, where it can cover
    # neither a bar nor a target tick.
    ax.legend(
        handles=[
            Patch(color="tab:green", label="target met"),
            Patch(color="tab:red", label="target missed"),
            Line2D([], [], color="black", linewidth=2, label="target"),
        ],
        loc="lower left",
        bbox_to_anchor=(0, 1.0),
        ncol=3,
        frameon=False,
        fontsize=fontsize,
    )
    ax.set_title(
        "sklearn-toynet: each ratio against its target",
        fontsize=fontsize + 2,
        pad=fontsize * 2.6,
    )
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    # "tight": the figure grows to hold the longest label instead of clipping it.
    fig.savefig(path, dpi=110, bbox_inches="tight")
    plt.close(fig)
    return f"plot written to {path}"
