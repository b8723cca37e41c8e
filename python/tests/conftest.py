"""pytest set-up: the package under test is the one in python/ (not an
installed copy), and the library is GCENT_LIBRARY when set (make check-python
sets it to the freshly built lib/libgcent.so.*), else the repository's lib/."""

import glob
import math
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
PYDIR = os.path.dirname(HERE)
REPO = os.path.dirname(PYDIR)
sys.path.insert(0, PYDIR)

if not os.environ.get("GCENT_LIBRARY"):
    built = sorted(glob.glob(os.path.join(REPO, "lib", "libgcent.so.*.*.*")))
    if built:
        os.environ["GCENT_LIBRARY"] = built[-1]

import pytest  # noqa: E402


def hz(d, beta):
    """h(N(0, beta^2 I_d)) in nats, the closed form."""
    return 0.5 * d * math.log(2 * math.pi * math.e * beta * beta)


@pytest.fixture
def gcent():
    import gcent as g
    return g
