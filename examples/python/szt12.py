"""The 12-bit data set of Shwartz-Ziv & Tishby (2017), regenerated from a
formula: a line-by-line port of support/szt12.h (the C examples' generator),
plus a reader for a CSV copy of the original (header x1,...,x12,y).

Bit j (x_{j+1}) sits on vertex v_j of a regular icosahedron in the unit
sphere; the score of a pattern is its number of ones plus the length of the
sum of its "on" vertices, and the label is score > 7.65. Rows are in binary
counting order (row r holds the bits of r, x1 the most significant), inputs
are 0.0/1.0. 2118 of the 4096 patterns are positive, as in the original.
test_szt12.py checks that this port gives the C generator's bits.
"""

import csv
import math

import numpy as np

BITS = 12
ROWS = 4096
THRESHOLD = 7.65


def vertex(j):
    """Vertex j (0..11), unit length: j // 4 picks the cyclic position of the
    zero, j % 4 the signs (++, +-, -+, --) of the 1 and phi."""
    phi = (1.0 + math.sqrt(5.0)) / 2.0
    norm = math.sqrt(1.0 + phi * phi)
    a = -1.0 if j & 2 else 1.0
    b = -phi if j & 1 else phi
    p = (0.0, a, b)
    shift = j // 4
    return [p[(c + shift) % 3] / norm for c in range(3)]


def score(pattern):
    """Number of ones + length of the sum of the on vertices (bit j of the
    pattern is x_{j+1}, counted from the most significant of 12 bits)."""
    total = [0.0, 0.0, 0.0]
    ones = 0
    for j in range(BITS):
        if (pattern >> (BITS - 1 - j)) & 1:
            v = vertex(j)
            for c in range(3):
                total[c] += v[c]
            ones += 1
    return ones + math.sqrt(total[0] * total[0] + total[1] * total[1] + total[2] * total[2])


def generate():
    """(x, y): x is 4096 x 12 float64 of 0/1, y the 4096 labels (int64)."""
    r = np.arange(ROWS)
    x = ((r[:, None] >> (BITS - 1 - np.arange(BITS))) & 1).astype(np.float64)
    y = np.array([score(p) > THRESHOLD for p in range(ROWS)], dtype=np.int64)
    return x, y


def read_csv(path):
    """(x, y) from a CSV with the header x1,...,x12,y and 0/1 values (labels
    may be written 1.0). Raises ValueError naming the file and line."""
    want = ["x%d" % (j + 1) for j in range(BITS)] + ["y"]
    rows = []
    with open(path, newline="", encoding="utf-8-sig") as f:
        reader = csv.reader(f)
        header = None
        for line in reader:
            cells = [c.strip() for c in line]
            if not cells or cells == [""]:
                continue
            where = "%s:%d" % (path, reader.line_num)
            if header is None:
                header = cells
                if header != want:
                    raise ValueError("%s: the header must be x1,...,x12,y, not %s"
                                     % (where, ",".join(header)))
                continue
            if len(cells) != BITS + 1:
                raise ValueError("%s: expected %d fields, found %d" % (where, BITS + 1,
                                                                        len(cells)))
            try:
                vals = [float(c) for c in cells]
            except ValueError:
                vals = [None]
            if not all(v in (0.0, 1.0) for v in vals):
                raise ValueError("%s: every value must be 0 or 1" % where)
            rows.append(vals)
    if header is None or not rows:
        raise ValueError("%s: no data (expected the header x1,...,x12,y and rows)" % path)
    a = np.array(rows)
    return a[:, :BITS], a[:, BITS].astype(np.int64)
