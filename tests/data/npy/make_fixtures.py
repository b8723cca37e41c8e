#!/usr/bin/python3
"""Writes the .npy fixtures of tests/test_npy.c and of the gcent-estimate runs
in .ci/run. Run from anywhere with Debian's NumPy:

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
import os
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


def cut(name, blob, n):
    with open(path(name), "wb") as f:
        f.write(blob[:n])


def main():
    for old in os.listdir(HERE):
        if old.endswith(".npy"):
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


if __name__ == "__main__":
    main()
