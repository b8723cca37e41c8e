/* npy.h: the reader of the files a NumPy, PyTorch or pandas user hands to
 * gcent-estimate (implementation: npy.c). Four parts:
 *
 *   .npy arrays   npy_parse, npy_parse_ex, npy_load, npy_load_ex, npy_free:
 *                 a strict, bounds-checked reader of format versions 1.0,
 *                 2.0 and 3.0 (np.save), float32/float64 converted to double;
 *   files         npy_read_file (a whole file or stdin), npy_identify (.npy,
 *                 text, or a format named for what it is: .npz, zip,
 *                 torch.save, gzip, bzip2, xz, zstd, pickle, HDF5);
 *   labels        npy_labels_parse: class labels from a .npy of any integer,
 *                 bool or integral-float dtype, remapped to dense codes;
 *   text tables   npy_table_parse: CSV or blank-separated text (np.savetxt,
 *                 pandas to_csv), with its header, label column and pandas
 *                 index column recognised, never guessed silently.
 *
 * Conventions of every function: 0 on success, -1 on error with a one-line
 * reason in err (err may be NULL; otherwise errlen > 0 bytes of it are used,
 * always NUL-terminated, "" on success); on error the output is left
 * untouched; on success the caller owns what the output points to and
 * releases it with the matching *_free. Positions in messages count from 1:
 * text files as NAME:LINE:COLUMN: (COLUMN counts cells, not characters),
 * arrays as "row R, column C". Nothing is printed. Thread-safety: no global
 * state; distinct outputs may be filled concurrently.
 *
 * .npy details. The format (numpy.lib.format): the magic "\x93NUMPY", one
 * byte each of major and minor version, the header length (2 bytes
 * little-endian for 1.0, 4 bytes for 2.0 and 3.0), the header -- a Python
 * dict literal such as
 *
 *     {'descr': '<f8', 'fortran_order': False, 'shape': (4096, 16, 3), }
 *
 * padded with spaces and a newline -- and then the raw elements in C order.
 * Accepted: dtypes '<f8' and '<f4'; with NPY_ACCEPT_INT also '|i1' '|u1'
 * '<i2' '<u2' '<i4' '<u4' '<i8' '<u8' and '|b1' (integers a double cannot
 * hold exactly are refused; npy_labels_parse takes them all); 0 to 3
 * dimensions, C order, any sizes including 0 (count 0, data NULL).
 * Everything else is an error naming the problem: a wrong magic or version,
 * a header that is not a dict of exactly the keys descr, fortran_order and
 * shape, big-endian data, Fortran order, structured, object, float16,
 * complex, string and date dtypes, more than 3 dimensions, a shape whose
 * element count or byte size overflows size_t, a data section shorter or
 * longer than the shape says. The byte size the shape implies is compared
 * with the bytes present before anything is allocated; every read is
 * bounds-checked. Values: float64 bit for bit (NaN, infinities, -0.0 and
 * subnormals included; refusing non-finite values is the caller's
 * business), float32 and integers exactly; byte order is decoded
 * explicitly, so the reader also works on big-endian hosts. */
#ifndef GCENT_SUPPORT_NPY_H
#define GCENT_SUPPORT_NPY_H

#include <stddef.h>
#include <stdint.h>

#define NPY_MAX_DIMS 3

/* Dtype classes accepted by npy_parse_ex / npy_load_ex (a bit mask). */
#define NPY_ACCEPT_FLOAT 1u /* '<f4', '<f8' */
#define NPY_ACCEPT_INT 2u   /* signed/unsigned integers of 1-8 bytes and bool */

typedef struct npy_array {
    double *data;               /* count values in C order, converted to double;
                                   NULL when count == 0 */
    size_t ndim;                /* 0 .. NPY_MAX_DIMS (0: a scalar, count 1) */
    size_t shape[NPY_MAX_DIMS]; /* shape[j] for j < ndim; 1 for j >= ndim */
    size_t count;               /* product of the shape */
    char kind;                  /* 'f' float, 'i' signed int, 'u' unsigned int, 'b' bool */
    size_t itemsize;            /* bytes per element in the file: 1, 2, 4 or 8 */
    int version;                /* format major version: 1, 2 or 3 */
} npy_array;

/* ---- .npy arrays ------------------------------------------------------------ */

/* Parse a .npy file held in buf[0..len-1]; accept: NPY_ACCEPT_FLOAT and/or
 * NPY_ACCEPT_INT. buf is not written. */
int npy_parse_ex(const unsigned char *buf, size_t len, unsigned accept, npy_array *out,
                 char *err, size_t errlen);
/* npy_parse_ex with NPY_ACCEPT_FLOAT. */
int npy_parse(const unsigned char *buf, size_t len, npy_array *out, char *err, size_t errlen);
/* npy_parse_ex of the whole file at path; messages start with "PATH: ". */
int npy_load_ex(const char *path, unsigned accept, npy_array *out, char *err, size_t errlen);
int npy_load(const char *path, npy_array *out, char *err, size_t errlen);
/* Frees a->data and empties *a (NULL and empty arrays are fine). */
void npy_free(npy_array *a);

/* ---- files ------------------------------------------------------------------- */

/* What npy_identify finds. */
#define NPY_FILE_NPY 1  /* starts with the .npy magic */
#define NPY_FILE_TEXT 2 /* anything else that is not a known binary format */

/* The whole file at path ("-": stdin) into a malloc'd buffer *buf of *len
 * bytes plus a terminating NUL (so (*buf)[*len] == '\0'); messages start
 * with "PATH: ". */
int npy_read_file(const char *path, char **buf, size_t *len, char *err, size_t errlen);

/* NPY_FILE_NPY or NPY_FILE_TEXT by the first bytes of buf; -1 for a format
 * the reader does not take, with a message saying what it is and what to
 * do, e.g. "NAME is a .npz archive: extract the array with
 * numpy.load(...)[name] and np.save it", "NAME is gzip-compressed: gunzip
 * it first". Text is not checked beyond that (npy_table_parse does). */
int npy_identify(const unsigned char *buf, size_t len, const char *name, char *err,
                 size_t errlen);

/* ---- labels --------------------------------------------------------------------- */

/* Class labels, remapped to dense codes 0 .. classes-1 in sorted order of
 * the original values: numbers by value (-1 < 0 < 7 < 2^40), names by their
 * bytes (strcmp order). So 0..C-1 labels keep their values. */
typedef struct npy_labels {
    int *code;      /* n codes (NULL when n == 0) */
    size_t n;       /* number of labels */
    size_t classes; /* distinct values */
} npy_labels;

/* Labels from a .npy in buf: shape (n,) or (n, 1), n >= 1; dtype any
 * integer (int64 and uint64 ids of any size), bool, or float32/float64
 * holding whole numbers (1.0, 2.0: torch's usual dtype). A NaN, an
 * infinity or a fraction is refused, naming its row. NAME prefixes the
 * messages. */
int npy_labels_parse(const unsigned char *buf, size_t len, const char *name, npy_labels *out,
                     char *err, size_t errlen);
void npy_labels_free(npy_labels *l);

/* 1 if s names a label column: label, labels, y, target, targets, class,
 * classes, in any case. */
int npy_is_label_name(const char *s);

/* ---- text tables ------------------------------------------------------------------ */

/* How npy_table_parse reads a file.
 *
 * Lines: one row per line, cells separated by commas (if the first content
 * line has one) or by runs of blanks; spaces around cells and one pair of
 * double quotes are removed; blank lines and lines starting with '#' are
 * skipped; a UTF-8 byte order mark and CR-LF line ends are fine.
 *
 * Header: the first content line is a header when every cell is a name
 * (text that does not start like a number: not a digit, sign or '.'; and
 * not a missing-value mark such as NA, N/A, null, None), or when its first
 * cell is empty as pandas writes it (then the others may also be integers,
 * pandas' default column names 0, 1, ...), or always with header = 1.
 * Otherwise every cell must be a finite number: a cell that is not -- an
 * empty cell, NA, nan, inf, 1e400, 1.2.3 -- is an error at its line and
 * column, never a header.
 *
 * Label column: the labels are never read as activations. label_column
 * names it (a 1-based column number, or a header name); without it, a
 * column whose header name is label-like (npy_is_label_name) is taken,
 * unless labels_elsewhere is set (the labels come from another file): then
 * such a column is an error that names --label-column. Two label-like
 * columns are an error. Labels are numbers holding whole values (1, 1.0,
 * -3, 12345678901234567890) or names (cat, dog), not both; they are
 * remapped as npy_labels says.
 *
 * pandas index: a first column whose header cell is empty (or
 * "Unnamed: 0") is pandas' row index: it is dropped when it counts 0, 1,
 * ..., n-1, and an error otherwise (index_dropped tells the caller, who
 * should say so). Without a header, a first column counting 0..n-1 is kept
 * and flagged (index_like).
 *
 * labels_only: the file is a label file: one column (after a dropped pandas
 * index), no activations. Its first line is a header when it is a
 * label-like name, or a name above numbers; otherwise it is a label. */
typedef struct npy_table_opts {
    int header;               /* 1: the first content line is a header */
    const char *label_column; /* NULL, a 1-based column number, or a header name */
    int labels_elsewhere;     /* a label-like column is an error (labels given elsewhere) */
    int labels_only;          /* a label file: one column of labels */
} npy_table_opts;

typedef struct npy_table {
    double *v;            /* rows x cols activations, row-major (NULL if labels_only) */
    size_t rows, cols;    /* data rows; activation columns (label, index left out) */
    size_t *line;         /* the file line (from 1) of each row */
    npy_labels labels;    /* one per row; labels.code NULL without a label column */
    size_t label_col;     /* file column (from 1) of the labels, 0 without */
    int label_by_name;    /* the label column was chosen for its header name */
    char label_name[48];  /* its header name (cut to fit), "" without a header */
    int header;           /* the first content line was a header */
    int index_dropped;    /* column 1, a pandas index 0..rows-1, was dropped */
    int index_like;       /* no header; column 1 counts 0..rows-1 and was kept */
} npy_table;

/* Parse text[0..len-1] (text[len] must be '\0'; the text is modified in
 * place and may be freed after the call) as a table. NAME prefixes the
 * messages. opts NULL means all zero. */
int npy_table_parse(char *text, size_t len, const char *name, const npy_table_opts *opts,
                    npy_table *out, char *err, size_t errlen);
void npy_table_free(npy_table *t);

#endif /* GCENT_SUPPORT_NPY_H */
