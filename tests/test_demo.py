"""The demo, ``python -m sklearn_toynet``, as a new user sees it.

Through a pipe (a CI log) and in an 80-column terminal: one screen of output,
no warning, the blog's numbers printed beside the blog's own, a grid search.
"""

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # each test runs the demo in a subprocess

ROOT = Path(__file__).resolve().parents[1]
SCREEN_LINES = 60
COLUMNS = 80
# Control sequences a terminal interprets (colors, cursor moves, line erase).
_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def _env():
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(ROOT), env.get("PYTHONPATH")])
    )
    env.pop("COLUMNS", None)
    return env


def _has_callbacks():
    return importlib.util.find_spec("sklearn.callback") is not None


def _check_content(lines):
    text = "\n".join(lines)
    assert len(lines) <= SCREEN_LINES
    assert "Warning" not in text
    assert "Traceback" not in text
    # The first lines name the blog and say what the replays show.
    assert 'blog post "A Neural Network in 11 lines of Python"' in "\n".join(lines[:2])
    assert "replays both and prints its outputs beside the blog's" in text
    # The search's table explains its () row.
    assert "() is no hidden layer" in text
    assert re.search(r"^ +\(\) +\d\.\d{4}", text, re.MULTILINE)
    # Both outputs agree with the blog's to every printed decimal.
    assert text.count("all 8 printed decimals agree") == 2
    assert "0.00966449]" in text
    assert "0.00260572]" in text
    if _has_callbacks():
        assert "6 of the blog's 6 error lines agree, digit for digit" in text
        assert "Error:0.00858452565325" in text
    assert re.search(r"best: hidden_layer_sizes=\(.*\); 26 fits", text)
    assert all(len(line) <= COLUMNS for line in lines)


@pytest.fixture(scope="module")
def piped_output():
    result = subprocess.run(
        [sys.executable, "-m", "sklearn_toynet"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env=_env(),
        cwd=ROOT,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout
    return result.stdout


def test_demo_through_a_pipe_is_short_plain_and_warning_free(piped_output):
    _check_content(piped_output.splitlines())
    # Plain text: no progress bar, no terminal control sequences.
    assert "\x1b" not in piped_output
    assert "\r" not in piped_output
    assert "25 fits (5 candidates x 5 folds), then a refit of the best" in piped_output


def _run_in_terminal(columns):
    """Run the demo on a pseudo-terminal of the given width; return its bytes."""
    pty = pytest.importorskip("pty", reason="pseudo-terminals need a POSIX system")
    import fcntl
    import struct
    import termios

    controller, terminal = pty.openpty()
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
    env = _env()
    env["TERM"] = "xterm-256color"
    proc = subprocess.Popen(
        [sys.executable, "-m", "sklearn_toynet"],
        stdout=terminal,
        stderr=terminal,
        env=env,
        cwd=ROOT,
    )
    os.close(terminal)
    chunks = []
    while True:
        try:
            chunk = os.read(controller, 65536)
        except OSError:  # the demo exited and closed its side
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(controller)
    assert proc.wait(timeout=300) == 0
    return b"".join(chunks).decode()


def _screen_lines(raw):
    """The lines left on screen: each line's last redraw, control codes removed."""
    lines = []
    for line in raw.split("\n"):
        redraws = [_ANSI.sub("", part) for part in line.split("\r")]
        drawn = [part for part in redraws if part.strip()]
        lines.append(drawn[-1] if drawn else "")
    if lines and not lines[-1]:
        lines.pop()
    return lines


@pytest.mark.skipif(
    importlib.util.find_spec("rich") is None or not _has_callbacks(),
    reason="the progress bar needs rich and sklearn.callback (scikit-learn >= 1.9)",
)
def test_demo_in_an_80_column_terminal_shows_one_progress_bar():
    raw = _run_in_terminal(COLUMNS)
    # Every redraw of the bar, not only the last one, fits the width.
    for line in raw.split("\n"):
        for part in line.split("\r"):
            assert len(_ANSI.sub("", part)) <= COLUMNS
    assert "\u2026" not in raw  # nothing was cut short with an ellipsis
    lines = _screen_lines(raw)
    _check_content(lines)
    bars = [line for line in lines if line.startswith("grid search")]
    assert len(bars) == 1
    assert "26/26 fits" in bars[0]
