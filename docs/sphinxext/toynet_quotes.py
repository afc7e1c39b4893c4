"""Source lines quoted by content, for ``.. toynet-lines::``: plain Python, no Sphinx.

A quote names texts to find, each on exactly one line of the file, and how many
lines of code to quote after each found line. Comment lines met on the way are
quoted too but not counted, so a comment that grows does not push the code
out of the quote; a quote made of comments only is refused.
"""


def is_code(line):
    """A line with code on it: neither blank nor a comment."""
    stripped = line.strip()
    return bool(stripped) and not stripped.startswith("#")


def quoted_lines(lines, finds, after=0, name="the file"):
    """Indices of the lines to quote, sorted; ValueError when a find is not unique.

    Parameters
    ----------
    lines : list of str
        The file's lines.
    finds : list of str
        Texts, each of which must occur on exactly one line.
    after : int
        Lines of code to quote after each found line (comment lines in
        between are quoted as well, blank lines end the quote).
    name : str
        The file's name, for error messages.
    """
    wanted = set()
    for text in finds:
        found = [i for i, line in enumerate(lines) if text in line]
        if len(found) != 1:
            raise ValueError(
                f"{text!r} is on {len(found)} lines of {name}, not exactly one"
            )
        i = found[0]
        wanted.add(i)
        left = after
        while left and i + 1 < len(lines) and lines[i + 1].strip():
            i += 1
            wanted.add(i)
            left -= is_code(lines[i])
        if left:
            raise ValueError(
                f"fewer than {after} lines of code follow {text!r} in {name}"
            )
    chosen = sorted(wanted)
    if not any(is_code(lines[i]) for i in chosen):
        raise ValueError(f"the quote of {name} at {finds!r} holds comments only")
    return chosen


def quote(lines, chosen):
    """The chosen lines dedented together; ``...`` between lines not adjacent."""
    indent = min(len(lines[i]) - len(lines[i].lstrip()) for i in chosen)
    quoted, previous = [], None
    for i in chosen:
        if previous is not None and i != previous + 1:
            quoted.append("...")
        quoted.append(lines[i][indent:])
        previous = i
    return "\n".join(quoted)
