"""The Python port of the 12-bit generator gives the C generator's bits:
support/szt12.h compiled into a tiny program that prints every pattern, its
label and its score as a hex float. Run by make check (check-python)."""

import os
import shutil
import subprocess

import numpy as np
import pytest

import szt12

HERE = os.path.dirname(os.path.abspath(__file__))
SUPPORT = os.path.join(HERE, "..", "..", "support")

PROGRAM = r"""
#include <stdio.h>
#include "szt12.h"
int main(void)
{
    szt12_data d;
    if (szt12_generate(&d) != 0)
        return 1;
    for (size_t r = 0; r < d.n; ++r) {
        for (int j = 0; j < SZT12_BITS; ++j)
            printf("%d", (int)d.x[r * SZT12_BITS + j]);
        printf(" %d %a\n", d.y[r], szt12_score((unsigned)r));
    }
    szt12_free(&d);
    return 0;
}
"""


@pytest.fixture(scope="module")
def c_rows(tmp_path_factory):
    cc = os.environ.get("CC") or "cc"
    if shutil.which(cc) is None:
        pytest.skip("no C compiler (%s)" % cc)
    tmp = tmp_path_factory.mktemp("szt12")
    (tmp / "dump.c").write_text(PROGRAM)
    exe = str(tmp / "dump")
    # the generator is header-only, or support/szt12.c with its header
    srcs = [str(tmp / "dump.c")] + [f for f in [os.path.join(SUPPORT, "szt12.c")]
                                    if os.path.exists(f)]
    subprocess.run([cc, "-std=c11", "-D_POSIX_C_SOURCE=200809L", "-O2", "-I", SUPPORT, "-o",
                    exe] + srcs + ["-lm"], check=True)
    out = subprocess.run([exe], check=True, capture_output=True, text=True).stdout
    return [line.split() for line in out.splitlines()]


def test_port_equals_the_c_generator(c_rows):
    x, y = szt12.generate()
    assert x.shape == (4096, 12) and x.dtype == np.float64 and len(c_rows) == 4096
    for r, (bits, label, score) in enumerate(c_rows):
        assert "".join(str(int(v)) for v in x[r]) == bits
        assert int(y[r]) == int(label)
        assert szt12.score(r) == float.fromhex(score)  # the same bits
    assert int(y.sum()) == 2118


def test_csv_round_trip_and_errors(tmp_path):
    x, y = szt12.generate()
    path = tmp_path / "set.csv"
    with open(path, "w") as f:
        f.write(",".join(["x%d" % (j + 1) for j in range(12)] + ["y"]) + "\n")
        for r in range(4096):
            f.write(",".join("%d" % v for v in x[r]) + ",%.1f\n" % y[r])
    x2, y2 = szt12.read_csv(str(path))
    assert np.array_equal(x, x2) and np.array_equal(y, y2)
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2\n")
    with pytest.raises(ValueError, match="bad.csv:1: the header must be x1"):
        szt12.read_csv(str(bad))
    bad.write_text(",".join(["x%d" % (j + 1) for j in range(12)] + ["y"]) + "\n" +
                   ",".join(["0"] * 12 + ["2"]) + "\n")
    with pytest.raises(ValueError, match="bad.csv:2: every value must be 0 or 1"):
        szt12.read_csv(str(bad))
