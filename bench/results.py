"""Figures as measured: samples, medians, goals, the table and the JSON file."""

from __future__ import annotations

import json
import statistics
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HEADER = ("figure", "ours (median)", "reference (median)", "ratio", "goal", "met?")


@dataclass(frozen=True)
class Goal:
    """A limit on a figure: on ours/reference (``ratio``) or on ours alone."""

    kind: str  # "ratio" or "absolute"
    limit: float
    unit: str = ""

    @property
    def text(self) -> str:
        if self.kind == "ratio":
            return f"≤ {self.limit:g}×"
        return f"≤ {self.limit:g} {self.unit}".rstrip()


@dataclass
class Figure:
    """One row of the table with every sample behind it.

    Attributes:
        key: the name ``--only`` takes.
        title: what the table calls it.
        unit: unit of the samples ("ms", "KiB", "stalls").
        goal: the limit the figure must meet.
        reference_label: what the reference is (the floor app, the SDK, ...).
        ours: one sample per run of swrgc-tui.
        reference: one sample per run of the reference, taken alongside.
        detail: a short note shown beside our median (the longest stall).
        notes: anything a reader of the JSON should know.
        error: why the figure could not be measured, if it could not.
    """

    key: str
    title: str
    unit: str
    goal: Goal
    reference_label: str = ""
    ours: list[float] = field(default_factory=list)
    reference: list[float] = field(default_factory=list)
    detail: str = ""
    notes: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)
    error: str = ""

    @property
    def ours_median(self) -> float | None:
        return statistics.median(self.ours) if self.ours else None

    @property
    def reference_median(self) -> float | None:
        return statistics.median(self.reference) if self.reference else None

    @property
    def ratio(self) -> float | None:
        ours, ref = self.ours_median, self.reference_median
        if ours is None or not ref:
            return None
        return ours / ref

    @property
    def met(self) -> bool | None:
        value = self.ratio if self.goal.kind == "ratio" else self.ours_median
        return None if value is None or self.error else value <= self.goal.limit

    def as_json(self) -> dict[str, Any]:
        """The figure as a JSON-ready dict, samples included."""
        return {
            "key": self.key,
            "title": self.title,
            "unit": self.unit,
            "ours": {"median": self.ours_median, "samples": self.ours},
            "reference": {
                "label": self.reference_label,
                "median": self.reference_median,
                "samples": self.reference,
            },
            "ratio": self.ratio,
            "goal": {"kind": self.goal.kind, "limit": self.goal.limit},
            "goal_text": self.goal.text,
            "met": self.met,
            "detail": self.detail,
            "notes": self.notes,
            "extra": self.extra,
            "error": self.error,
        }


def _quantity(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "stalls":
        return f"{value:g}"
    digits = 0 if abs(value) >= 100 else 1 if abs(value) >= 10 else 2
    return f"{value:,.{digits}f} {unit}"


def table_rows(figures: list[Figure]) -> list[tuple[str, ...]]:
    """The cells of the results table, one tuple per figure."""
    rows: list[tuple[str, ...]] = []
    for fig in figures:
        ours = _quantity(fig.ours_median, fig.unit)
        if fig.detail:
            ours = f"{ours} ({fig.detail})"
        reference = _quantity(fig.reference_median, fig.unit)
        if fig.reference_label and fig.reference:
            reference = f"{reference} ({fig.reference_label})"
        ratio = "—" if fig.ratio is None else f"{fig.ratio:.2f}×"
        met = {True: "yes", False: "NO", None: "—"}[fig.met]
        if fig.error:
            ours, met = f"failed: {fig.error}", "—"
        rows.append((fig.title, ours, reference, ratio, fig.goal.text, met))
    return rows


def render_table(figures: list[Figure]) -> str:
    """The results as a Markdown table with aligned columns."""
    rows = [HEADER, *table_rows(figures)]
    widths = [max(len(row[col]) for row in rows) for col in range(len(HEADER))]

    def line(cells: tuple[str, ...]) -> str:
        padded = (cell.ljust(width) for cell, width in zip(cells, widths, strict=True))
        return "| " + " | ".join(padded) + " |"

    rule = "|" + "|".join("-" * (width + 2) for width in widths) + "|"
    return "\n".join([line(rows[0]), rule, *(line(row) for row in rows[1:])])


def write_json(path: Path, meta: dict[str, Any], figures: list[Figure]) -> None:
    """Writes the run's metadata and every figure to ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    document = {"meta": meta, "figures": [fig.as_json() for fig in figures]}
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
