/* Grouping of inputs by label (src/labels.c), shared by the binned and the
 * noisy layer MI. */
#ifndef GCENT_LABELS_H
#define GCENT_LABELS_H

#include "common.h"

/* Inputs grouped by label: classes are the distinct label values in
 * increasing order; order[start[c] .. start[c+1]) are the inputs of class c,
 * in input order; cls[i] is the class of input i. */
typedef struct gcent__labels {
    size_t ncls;
    size_t *order;  /* m */
    size_t *start;  /* ncls + 1 */
    size_t *cls;    /* m */
} gcent__labels;

/* Returns GCENT_OK or GCENT_ENOMEM (nothing allocated then; no message). */
GCENT__HIDDEN int gcent__labels_group(const int *labels, size_t m, gcent__labels *g);
GCENT__HIDDEN void gcent__labels_free(gcent__labels *g);

#endif /* GCENT_LABELS_H */
