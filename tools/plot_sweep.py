#!/usr/bin/python3
"""plot_sweep: one scatter plot from a `gtxsim sweep` CSV (docs/sweeps.md).
Usage: plot_sweep.py SWEEP.csv X Y [--color COLUMN] [--marker COLUMN] [--title TEXT] --out FILE.png
X, Y and the color column are numeric columns; the marker column's values (e.g.
first_protect) get one marker shape each, named in the legend. Rows with an
empty X or Y are left out."""
import argparse
import csv

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

MARKERS = "o^sDvP*X"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("csv")
    ap.add_argument("x")
    ap.add_argument("y")
    ap.add_argument("--color")
    ap.add_argument("--marker")
    ap.add_argument("--title", default="")
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    rows = [r for r in csv.DictReader(open(a.csv, newline="")) if r[a.x] and r[a.y]]
    groups = sorted({r[a.marker] or "none" for r in rows}) if a.marker else [None]
    fig, ax = plt.subplots(figsize=(7, 4.5), dpi=100)
    sc = None
    for i, g in enumerate(groups):
        sel = [r for r in rows if g is None or (r[a.marker] or "none") == g]
        kw = {"marker": MARKERS[i % len(MARKERS)], "s": 36, "label": g}
        if a.color:
            kw.update(c=[float(r[a.color]) for r in sel], cmap="coolwarm",
                      vmin=min(float(r[a.color]) for r in rows),
                      vmax=max(float(r[a.color]) for r in rows))
        sc = ax.scatter([float(r[a.x]) for r in sel], [float(r[a.y]) for r in sel], **kw)
    if a.color and sc is not None:
        fig.colorbar(sc, ax=ax, label=a.color)
    if a.marker:
        ax.legend(title=a.marker)
    ax.set_xlabel(a.x)
    ax.set_ylabel(a.y)
    ax.set_title(a.title)
    ax.grid(True, alpha=0.3)
    fig.tight_layout()
    fig.savefig(a.out)


if __name__ == "__main__":
    main()
