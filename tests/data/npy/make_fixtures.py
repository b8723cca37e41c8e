#!/usr/bin/python3
"""Writes the fixtures of tests/test_npy.c (the reader of gcent-estimate,
support/npy.c: .npy arrays, labels, other formats, text tables; all of them
seeds of the fuzz target tests/fuzz/fuzz_npy.c) and of the gcent-estimate runs
in .ci/test-gcent-estimate. Run from anywhere with Debian's NumPy:

    /usr/bin/python3 tests/data/npy/make_fixtures.py

The files are committed, so neither the test suite nor CI needs NumPy. Every
well-formed fixture is written by NumPy itself (np.save or
numpy.lib.format.write_array); only the deliberately broken ones are cut or
assembled by hand, from NumPy's own bytes where possible.

Values follow formulas that tests/test_npy.c evaluates too (exactly, with
integer arithmetic), so the test checks every element bit for bit:

    F64(i) = ((i * 0x9E3779B97F4A7C15 mod 2^64) >> 11) * 2^-53 - 0.5
    F32(i) = ((i * 2654435761 mod 2^32) >> 8) * 2^-24 - 0.5
    LS(i)  = (i mod 5) - 2          signed integer labels
    LU(i)  = (3 i) mod 7            unsigned integer labels
    LB(i)  = (i mod 3 == 0)         bool labels

for i = 0, 1, ... in C order. Both are exact in their types (53 and 24
significant bits)."""
import bz2
import gzip
import lzma
import os
import pickle
import zipfile
import numpy as np
import numpy.lib.format as fmt

HERE = os.path.dirname(os.path.abspath(__file__))


def f64(n):
    k = [((i * 0x9E3779B97F4A7C15) % 2**64) >> 11 for i in range(n)]
    return np.array(k, dtype=np.float64) * 2.0**-53 - 0.5


def f32(n):
    k = [((i * 2654435761) % 2**32) >> 8 for i in range(n)]
    v = np.array(k, dtype=np.float64) * 2.0**-24 - 0.5
    out = v.astype(np.float32)
    assert np.array_equal(out.astype(np.float64), v)  # exact
    return out


def path(name):
    return os.path.join(HERE, name)


def save(name, a, version=None):
    """np.save, or write_array with an explicit format version."""
    if version is None:
        np.save(path(name), a, allow_pickle=(a.dtype == object))
    else:
        with open(path(name), "wb") as f:
            fmt.write_array(f, a, version=version)
    with open(path(name), "rb") as f:
        return f.read()


def raw(name, header, data=b"", version=1, magic=b"\x93NUMPY", minor=0):
    """A hand-made file: preamble, header text padded to 64 bytes, data."""
    h = header.encode("utf-8") if isinstance(header, str) else header
    pre = 10 if version == 1 else 12
    h += b" " * ((-(pre + len(h) + 1)) % 64) + b"\n"
    ln = len(h).to_bytes(2 if version == 1 else 4, "little")
    with open(path(name), "wb") as f:
        f.write(magic + bytes([version, minor]) + ln + h + data)


def v1_bytes():
    """The bytes of f8_v1_2d.npy (written first)."""
    with open(path("f8_v1_2d.npy"), "rb") as f:
        return f.read()


def text(name, s):
    """A text table, bytes exactly as given (UTF-8)."""
    with open(path(name), "wb") as f:
        f.write(s.encode("utf-8"))


def cut(name, blob, n):
    with open(path(name), "wb") as f:
        f.write(blob[:n])


def main():
    for old in os.listdir(HERE):
        if old.endswith(".npy") or old.startswith(("foreign_", "text_")):
            os.remove(path(old))

    # -- well-formed float arrays, every version, 0-3 dimensions ---------------
    v1 = save("f8_v1_2d.npy", f64(15).reshape(5, 3))
    save("f4_v1_2d.npy", f32(24).reshape(4, 6))
    save("f8_v2_1d.npy", f64(7), version=(2, 0))
    save("f4_v2_3d.npy", f32(12).reshape(2, 3, 2), version=(2, 0))
    save("f8_v3_3d.npy", f64(24).reshape(2, 3, 4), version=(3, 0))
    save("f4_v3_1d.npy", f32(5), version=(3, 0))
    save("f8_scalar.npy", np.array(f64(1)[0]))
    save("f8_empty_1d.npy", np.zeros((0,)))
    save("f8_empty_2d.npy", np.zeros((0, 3)))
    save("f4_empty_3d.npy", np.zeros((2, 0, 4), dtype=np.float32))
    save("f8_specials.npy", np.array([0.0, -0.0, 5e-324, -2.2250738585072014e-308,
                                      1.7976931348623157e308, np.inf, -np.inf, np.nan]))
    save("f4_specials.npy", np.array([0.0, -0.0, 2.0**-149, -2.0**-126,
                                      np.finfo(np.float32).max, np.inf, -np.inf, np.nan],
                                     dtype=np.float32))
    # a C-order slice of a transposed array: NumPy writes it in C order
    save("f8_transposed.npy", f64(15).reshape(3, 5).T.copy(order="C"))

    # -- integer and bool arrays (labels) ------------------------------------
    i = np.arange(11)
    for dt in ("i1", "i2", "i4", "i8"):
        save("lab_%s.npy" % dt, (i % 5 - 2).astype(dt))
    for dt in ("u1", "u2", "u4", "u8"):
        save("lab_%s.npy" % dt, (3 * i % 7).astype(dt))
    save("lab_b1.npy", i % 3 == 0)
    save("lab_i1_limits.npy", np.array([-128, 127], dtype=np.int8))
    save("lab_u1_limits.npy", np.array([0, 255], dtype=np.uint8))
    save("lab_i2_limits.npy", np.array([-32768, 32767], dtype=np.int16))
    save("lab_u2_limits.npy", np.array([0, 65535], dtype=np.uint16))
    save("lab_i4_limits.npy", np.array([-2**31, 2**31 - 1], dtype=np.int32))
    save("lab_u4_limits.npy", np.array([0, 2**32 - 1], dtype=np.uint32))
    save("lab_i8_limits.npy", np.array([-2**53, 2**53], dtype=np.int64))
    save("lab_u8_limits.npy", np.array([0, 2**53], dtype=np.uint64))
    save("lab_i8_too_big.npy", np.array([0, 2**53 + 1], dtype=np.int64))
    save("lab_i8_too_small.npy", np.array([-2**63], dtype=np.int64))
    save("lab_u8_too_big.npy", np.array([2**64 - 1], dtype=np.uint64))
    save("lab_i8_2d.npy", (np.arange(6) % 2).reshape(6, 1).astype(np.int64))

    # -- labels for npy_labels_parse: whole floats, ids beyond a double's 2^53 --
    save("lab_f4_whole.npy", (i % 3).astype(np.float32))       # torch's usual dtype
    save("lab_f8_whole.npy", np.array([-1.0, 2.0, -0.0, 0.0, 7.0, 2.0]))
    save("lab_f8_frac.npy", np.array([0.0, 1.0, 2.0, 2.5]))
    save("lab_f8_nan.npy", np.array([0.0, np.nan]))
    save("lab_f8_huge.npy", np.array([1.0, 1e30]))
    save("lab_f8_row.npy", np.zeros((1, 5)))
    save("lab_i8_ids.npy", np.array([2**62 + 1, 2**62, -2**63, 2**62 + 1], dtype=np.int64))
    save("lab_u8_ids.npy", np.array([2**64 - 1, 2**64 - 2, 0, 2**64 - 1], dtype=np.uint64))

    # -- formats that are not .npy or text, named by the reader ------------------
    np.savez(path("foreign_npz.npz"), layer=f64(6).reshape(2, 3))
    with open(path("foreign_gzip.npy.gz"), "wb") as f:
        f.write(gzip.compress(v1_bytes(), mtime=0))
    with open(path("foreign_bzip2.npy.bz2"), "wb") as f:
        f.write(bz2.compress(v1_bytes()))
    with open(path("foreign_xz.npy.xz"), "wb") as f:
        f.write(lzma.compress(v1_bytes()))
    # torch.save's zip layout (a member archive/data.pkl), made without torch
    with zipfile.ZipFile(path("foreign_torch.pt"), "w") as z:
        z.writestr(zipfile.ZipInfo("archive/data.pkl", (1980, 1, 1, 0, 0, 0)),
                   pickle.dumps([1.0, 2.0], protocol=2))
    with open(path("foreign_pickle.pkl"), "wb") as f:
        f.write(pickle.dumps([1.0, 2.0], protocol=2))

    # -- text tables (seeds of fuzz_npy; the cases are in tests/test_npy.c) -----
    text("text_header_label.csv", "a,b,c,d,label\n0.1,0.2,0.3,0.4,1\n0.5,0.6,0.7,0.8,0\n")
    text("text_pandas_index.csv", ",a,b,c\n0,0.5,-1.25,3e-2\n1,0.5,0.75,1\n2,0,0,0\n")
    text("text_pandas_numeric.csv", ",0,1,2\n0,0.5,0.5,0.5\n1,0.25,0.5,0.75\n")
    text("text_unnamed.csv", "Unnamed: 0,x,y\n0,0.5,1\n1,0.25,0\n")
    text("text_savetxt.txt", "# np.savetxt\n1.000000000000000000e+00 2.5e-01\n"
         "-3.0e+00 4.0e+00\n")
    text("text_bom_crlf.csv", "\ufeff\"u\",\"v\",\"Target\"\r\n 1 , 2 ,3\r\n4,5,3.0\r\n")
    text("text_string_labels.csv", "x1,x2,class\n0.1,0.2,cat\n0.3,0.4,dog\n0.5,0.6,cat\n")
    text("text_labels_series.csv", ",0\n0,1.0\n1,2.0\n2,1.0\n")
    text("text_labels_names.txt", "cat\ndog\nbird\n")
    text("text_labels_header.txt", "digit\n3\n5\n3\n")
    text("text_labels_ids.txt", "12345678901234567890\n12345678901234567891\n-5\n")
    text("text_headerless_index.csv", "0,0.5,0.1\n1,0.5,0.2\n2,0.5,0.3\n")
    text("text_bad_range.csv", "1e400,2\n1,2\n")
    text("text_bad_na.csv", "NA,2\n1,2\n")
    text("text_bad_nan.csv", "a,b\n1,nan\n")
    text("text_bad_mixed_labels.txt", "1\n2\ncat\n")
    text("text_bad_fraction_labels.txt", "1\n2.5\n")
    text("text_bad_index.csv", ",a\n1,0.5\n2,0.5\n")
    text("text_bad_two_labels.csv", "a,label,y\n1,2,3\n")
    text("text_bad_ragged.csv", "1,2\n3\n")
    text("text_bad_header.csv", "a,1st\n1,2\n")

    # -- valid NumPy files of unsupported kinds (errors) -----------------------
    save("err_fortran.npy", np.asfortranarray(f64(12).reshape(3, 4)))
    save("err_bigendian_f8.npy", f64(4).astype(">f8"))
    save("err_bigendian_f4.npy", f32(4).astype(">f4"))
    save("err_bigendian_i4.npy", np.arange(4, dtype=">i4"))
    save("err_object.npy", np.array([1, "a", None], dtype=object))
    save("err_complex.npy", np.ones(3, dtype=np.complex128))
    save("err_float16.npy", np.ones(3, dtype=np.float16))
    save("err_longdouble.npy", np.ones(3, dtype=np.longdouble))
    save("err_unicode_str.npy", np.array(["ab", "cd"]))
    save("err_bytes_str.npy", np.array([b"ab", b"cd"]))
    save("err_datetime.npy", np.array(["2019-06-09"], dtype="datetime64[D]"))
    save("err_structured.npy", np.zeros(2, dtype=[("x", "<f8"), ("y", "<f8")]))
    save("err_4d.npy", f64(16).reshape(2, 2, 2, 2))
    # Unicode in a version 3.0 header: NumPy writes 3.0 (UTF-8) exactly when
    # a field name is not Latin-1, i.e. for a structured dtype (an error for
    # us): the field is named in Cyrillic.
    blob = save("err_v3_unicode.npy", np.zeros(2, dtype=[("\u043f\u043e\u043b\u0435", "<f8")]))
    assert blob[6] == 3, "NumPy did not choose format 3.0"

    # -- truncated and padded copies of f8_v1_2d.npy -----------------------------
    hl = 10 + int.from_bytes(v1[8:10], "little")
    cut("trunc_magic.npy", v1, 5)
    cut("trunc_length.npy", v1, 9)
    cut("trunc_header.npy", v1, 40)
    cut("trunc_data.npy", v1, len(v1) - 5)
    cut("trunc_no_data.npy", v1, hl)
    with open(path("trailing_bytes.npy"), "wb") as f:
        f.write(v1 + b"\0\0\0")

    # -- hand-made headers (raw() pads them as NumPy does) ----------------------
    d8 = f64(6).tobytes()  # 6 little-endian float64 values
    good = "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }"
    raw("hdr_ok_handmade.npy", good, d8)  # control: must load
    raw("hdr_ok_double_quotes.npy",
        '{"shape": (2, 3), "fortran_order": False, "descr": "<f8"}', d8)
    raw("hdr_ok_py2_long.npy", "{'descr': '<f8', 'fortran_order': False, 'shape': (2L, 3L), }",
        d8)
    raw("bad_magic.npy", good, d8, magic=b"\x93NUMPZ")
    raw("bad_version.npy", good, d8, version=4)
    raw("bad_minor.npy", good, d8, minor=1)
    raw("bad_version0.npy", good, d8, version=0)
    raw("hdr_not_dict.npy", "[('descr', '<f8')]", d8)
    raw("hdr_missing_shape.npy", "{'descr': '<f8', 'fortran_order': False, }", d8)
    raw("hdr_missing_descr.npy", "{'fortran_order': False, 'shape': (2, 3), }", d8)
    raw("hdr_extra_key.npy",
        "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), 'x': 1}", d8)
    raw("hdr_dup_key.npy",
        "{'descr': '<f8', 'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }", d8)
    raw("hdr_negative_dim.npy", "{'descr': '<f8', 'fortran_order': False, 'shape': (-2, 3), }",
        d8)
    raw("hdr_text_dim.npy", "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 'a'), }",
        d8)
    raw("hdr_float_dim.npy", "{'descr': '<f8', 'fortran_order': False, 'shape': (2.0, 3), }",
        d8)
    raw("hdr_shape_not_tuple.npy", "{'descr': '<f8', 'fortran_order': False, 'shape': (6), }",
        d8)
    raw("hdr_order_not_bool.npy", "{'descr': '<f8', 'fortran_order': 0, 'shape': (2, 3), }",
        d8)
    raw("hdr_unterminated.npy", "{'descr': '<f8", d8)  # the padding ends in a newline
    raw("hdr_no_close.npy", "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), ", d8)
    raw("hdr_junk_after.npy", good + " x", d8)
    raw("hdr_bad_descr.npy", "{'descr': 'f8', 'fortran_order': False, 'shape': (2, 3), }", d8)
    raw("hdr_native_order.npy", "{'descr': '=f8', 'fortran_order': False, 'shape': (2, 3), }",
        d8)
    raw("hdr_dim_overflow.npy",
        "{'descr': '<f8', 'fortran_order': False, 'shape': (123456789012345678901234567890,), }",
        d8)
    raw("hdr_count_overflow.npy",
        "{'descr': '<f8', 'fortran_order': False, 'shape': (4294967296, 4294967296, 4294967296), }",
        d8)
    raw("hdr_bytes_overflow.npy",
        "{'descr': '<f8', 'fortran_order': False, 'shape': (4611686018427387904,), }", d8)
    raw("hdr_lying_shape.npy",
        "{'descr': '<f8', 'fortran_order': False, 'shape': (1000000000, 1000), }", d8)
    raw("hdr_v3_unicode_key.npy",
        "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), '\u043a\u043b\u044e\u0447': 1}",
        d8, version=3)
    # header length field beyond the end of the file
    with open(path("hdr_len_beyond.npy"), "wb") as f:
        f.write(b"\x93NUMPY\x02\x00" + (1 << 31).to_bytes(4, "little") + b"{'descr'")
    # a NUL byte inside the header
    raw("hdr_nul.npy", b"{'descr': '<f\x008', 'fortran_order': False, 'shape': (2, 3), }", d8)

    # -- inputs of the gcent-estimate runs in .ci/run ----------------------------
    # one repeated point in d = 3 (60 rows): h = h(Z), I(X;T) = 0
    save("tool_point_d3.npy", np.tile(np.array([0.25, -0.5, 0.75]), (60, 1)))
    # one repeated point in d = 1, float32, 1-D (40 rows)
    save("tool_point_d1_f4.npy", np.full(40, 0.5, dtype=np.float32))
    # two far-apart clusters, 3-D (m = 8 inputs, k = 4 passes, d = 2): inputs
    # 0-3 at (-2, 1), inputs 4-7 at (3, -1); h = h(Z) + ln 2, I(X;T) = ln 2
    c = np.zeros((8, 4, 2))
    c[:4] = [-2.0, 1.0]
    c[4:] = [3.0, -1.0]
    save("tool_clusters.npy", c)
    save("tool_clusters_labels.npy", (np.arange(8) >= 4).astype(np.int64))  # I(Y;T) = ln 2
    save("tool_clusters_labels_mixed.npy", (np.arange(8) % 2).astype(np.uint8))  # I(Y;T) = 0
    # the same labels as torch gives them (float32), as ids beyond 2^53, and
    # one label that is not a whole number
    save("tool_clusters_labels_f4.npy", (np.arange(8) >= 4).astype(np.float32))
    save("tool_clusters_labels_ids.npy",
         np.where(np.arange(8) >= 4, 2**62 + 1, -2**63).astype(np.int64))
    save("tool_clusters_labels_frac.npy", np.array([0, 0, 0, 0, 1, 1, 1.5, 1]))
    # a NaN at row 2, column 3 (counted from 1)
    nan = np.zeros((3, 3))
    nan[1, 2] = np.nan
    save("tool_nan.npy", nan)
    # a transposed layer: 4 rows of 300 values
    save("tool_transposed.npy", np.tile(np.linspace(-1, 1, 300), (4, 1)))


if __name__ == "__main__":
    main()
