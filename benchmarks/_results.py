"""Plain containers for benchmark results, shared by the suites and report."""

from dataclasses import dataclass, field


@dataclass
class Check:
    """One target: ``value <op> target``; ``target=None`` is informational."""

    name: str
    value: float | None
    target: float | None = None
    op: str = "<="
    kind: str = "ratio"  # "ratio" checks are plotted; others are only tabled

    @property
    def met(self):
        if self.value is None or self.target is None:
            return None
        if self.op == "<=":
            return self.value <= self.target
        return self.value >= self.target

    @property
    def label(self):
        if self.target is None:
            return self.name
        return f"{self.name} ({self.op} {self.target:g})"


@dataclass
class Row:
    case: str
    values: dict  # column name -> number already in the section's unit
    checks: list = field(default_factory=list)


@dataclass
class Section:
    key: str
    title: str
    unit: str
    columns: list
    rows: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    fmt: str = "{:.3g}"

    def checks(self):
        for row in self.rows:
            for check in row.checks:
                yield row, check


def noise_check(value):
    """Informational column: relative half-range of the repeats (see _timing)."""
    return Check("noise", value, kind="noise")


def ratio(num, den):
    """``num / den``, or None when either side is missing."""
    if num is None or den is None or den == 0:
        return None
    return num / den
