"""The package's version: the libgcent release it was written for.

The loader refuses a library whose major.minor differs (0.y releases may
change the ABI between minors); python/tests/test_loading.py checks that this
string equals GCENT_VERSION_STRING of include/gcent/version.h.
"""

__version__ = "0.1.0"
