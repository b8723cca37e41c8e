"""Finding and loading the library: explicit path, GCENT_LIBRARY, the
installed layout, the version check, the messages when nothing is found, and
an import that needs NumPy alone."""

import os
import re
import shutil
import subprocess
import sys

import pytest

import gcent
from gcent import _library

HERE = os.path.dirname(os.path.abspath(__file__))
PYDIR = os.path.dirname(HERE)
REPO = os.path.dirname(PYDIR)


def header_version():
    text = open(os.path.join(REPO, "include", "gcent", "version.h")).read()
    return re.search(r'#define GCENT_VERSION_STRING "([^"]+)"', text).group(1)


def test_package_version_is_the_headers():
    assert gcent.__version__ == header_version()
    assert _library.compatible(gcent.version())


def test_compatibility_rule():
    assert _library.compatible("0.1.7", "0.1.0") and not _library.compatible("0.2.0", "0.1.0")
    assert not _library.compatible("1.1.0", "0.1.0")
    assert _library.compatible("1.3.0", "1.2.0") and not _library.compatible("1.1.0", "1.2.0")
    assert not _library.compatible("2.0.0", "1.2.0") and not _library.compatible("x", "1.0.0")


def run_python(code, env_extra=None, unset=(), cwd=None, path=PYDIR):
    env = dict(os.environ)
    for k in unset:
        env.pop(k, None)
    env.update(env_extra or {})
    env["PYTHONPATH"] = path
    return subprocess.run([sys.executable, "-c", code], env=env, cwd=cwd, capture_output=True,
                          text=True)


def test_import_needs_numpy_alone_and_loads_lazily():
    code = ("import sys, gcent; assert gcent.__version__\n"
            "bad = [m for m in ('torch', 'pytest', 'scipy') if m in sys.modules]\n"
            "assert not bad, bad\n"
            "print(gcent.mi_layer([0.0, 1.0], 0.1).ixt.value)")
    p = run_python(code)
    assert p.returncode == 0, p.stderr
    # a bad GCENT_LIBRARY: import still works, the first call says what is wrong
    p = run_python("import gcent\ngcent.entropy([0.0], 0.1)",
                   {"GCENT_LIBRARY": "/nonexistent/libgcent.so"})
    assert p.returncode == 1
    last = p.stderr.strip().splitlines()[-1]
    assert last.startswith("ImportError: gcent: cannot load libgcent 0.")
    assert "GCENT_LIBRARY=/nonexistent/libgcent.so" in last and "gcent.load(path)" in last


def fake_prefix(tmp_path, recorded_libdir=None):
    """PREFIX/lib/python3/dist-packages/gcent and PREFIX/lib/libgcent.so.* as
    `make install` lays them out (the library a link to the one under test)."""
    prefix = tmp_path / "prefix"
    site = prefix / "lib" / "python3" / "dist-packages"
    shutil.copytree(os.path.join(PYDIR, "gcent"), site / "gcent",
                    ignore=shutil.ignore_patterns("__pycache__", "_installed.py"))
    libdir = recorded_libdir or prefix / "lib"
    os.makedirs(libdir, exist_ok=True)
    soname = _library._expected_sonames()[0]
    os.symlink(os.path.abspath(gcent.library_path()), libdir / soname)
    if recorded_libdir:
        (site / "gcent" / "_installed.py").write_text("LIBDIR = %r\n" % str(recorded_libdir))
    return site, libdir / soname


def test_found_next_to_the_installed_prefix(tmp_path):
    site, lib = fake_prefix(tmp_path)
    p = run_python("import gcent; print(gcent.library_path())", unset=["GCENT_LIBRARY"],
                   path=str(site), cwd=str(tmp_path))
    assert p.returncode == 0, p.stderr
    assert p.stdout.strip() == str(lib)


def test_found_in_the_recorded_libdir(tmp_path):
    site, lib = fake_prefix(tmp_path, recorded_libdir=tmp_path / "elsewhere" / "lib64")
    p = run_python("import gcent; print(gcent.library_path())", unset=["GCENT_LIBRARY"],
                   path=str(site), cwd=str(tmp_path))
    assert p.returncode == 0, p.stderr
    assert p.stdout.strip() == str(lib)


def test_explicit_load_and_folder(tmp_path):
    real = gcent.library_path()
    try:
        assert gcent.load(os.path.dirname(os.path.abspath(real))).endswith(
            _library._expected_sonames()[0])
        assert gcent.load(real) == real
        with pytest.raises(ImportError, match="gcent.load\\('/no/such.so'\\)"):
            gcent.load("/no/such.so")
        assert gcent.library_path() == real  # a failed load keeps the library in use
    finally:
        gcent.load(real)


def test_version_mismatch_is_refused():
    real = gcent.library_path()

    class OtherVersion:
        def __init__(self, path):
            import ctypes
            self.dll = ctypes.CDLL(path)

        def __getattr__(self, name):
            if name == "gcent_version_string":
                return lambda: b"0.99.0"
            return getattr(self.dll, name)
    with pytest.raises(ImportError) as e:
        _library.load(real, loader=OtherVersion)
    assert "is libgcent 0.99.0, this package needs %s" % gcent.__version__[:3] in str(e.value)
    assert gcent.library_path() == real
