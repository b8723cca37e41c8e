/* Plans (src/plan.c): the prepared state of an entropy or a layer
 * computation, and the two engines a shard runs on it -- the Monte Carlo
 * driver over the shard's rows, and the quadrature of the shard's share of
 * the integration panels. The front ends (src/entropy.c, src/mi.c) make
 * plans and turn their partial results into estimates. */
#ifndef GCENT_PLAN_H_INTERNAL
#define GCENT_PLAN_H_INTERNAL

#include "common.h"
#include "ctx.h"
#include "driver.h"
#include "mixture.h"
#include "pack.h"
#include "partial.h"
#include "quadrature.h"
#include "threads.h"

enum { GCENT__PLAN_ENTROPY = 1, GCENT__PLAN_LAYER = 2, GCENT__PLAN_SLICED = 3 };

struct gcent__sliced; /* src/sliced.h */

struct gcent_plan {
    int kind;
    gcent__opts o;                 /* the options at creation */
    gcent_progress_fn progress;
    void *progress_user;
    gcent__err err;
    int last_method;
    size_t n, m, k, d;             /* rows; inputs and draws per input (entropy: n, 1) */
    double beta;
    gcent__pool *pool;
    size_t nworkers;               /* workers of the pool (scratch slots) */
    int use_mc, use_quad;          /* which engines may run (storage made for them) */
    /* entropy */
    double *w;                     /* n weights, or NULL (uniform) */
    /* layer: the rows sorted by class and input */
    const int *labels;             /* the plan's copy, or NULL */
    int *labels_copy;
    size_t ncls;
    size_t *rows;                  /* n: caller's row at sorted position p */
    size_t *in_cls;                /* m: class of sorted input a */
    size_t *start;                 /* ncls + 1: first sorted input of each class */
    double hy;                     /* H(Y), nats */
    size_t *segf;                  /* ncls + 1: first centre of each class segment */
    size_t *grp;                   /* n: input of each centre */
    size_t max_class;              /* rows of the largest class */
    /* the mixture, and the Monte Carlo engine */
    gcent__mix mx;
    gcent__pack P;
    gcent__pack_ws pws;
    size_t *ord, *cnt, *shard;     /* n, npad + 1, n */
    gcent__mc_work *mcw;
    /* the quadrature engine (d <= 2) */
    gcent__quad_ws qws;            /* mixtures of up to n centres, all workers */
    gcent__quad_ws *qsmall;        /* per worker, k centres: the conditionals */
    gcent__mix sub;                /* a class mixture, or one input's (large k) */
    gcent__mix *subw;              /* per worker, k centres */
    gcent__xacc *cacc;             /* per worker: value and error sums (2 each) */
    /* the sliced plane (src/sliced.c) */
    struct gcent__sliced *sliced;
    /* entropy and layer plans: a shard's computation into a partial, and the
     * estimate of a complete partial (set by the front end) */
    int (*run)(gcent_plan *pl, const gcent__rows *s, size_t rb, size_t re,
               gcent__part *q);
    int (*result)(gcent__part *q, gcent__err *e, void *out);
};

/* The common part of creating a plan: options, progress, the pool (of
 * nworkers workers; 0: the context's threads, one for tiny problems). The
 * kind-specific storage is made by the caller; on failure it frees the plan
 * with gcent_plan_free. */
GCENT__HIDDEN int gcent__plan_new(gcent_ctx *ctx, int kind, size_t n, size_t d, double beta,
                                  size_t nworkers, gcent_plan **out);
/* Storage of the engines for mixtures of pl->n centres: Monte Carlo (pack
 * in nseg segments, with groups or not) unless the method is quadrature;
 * quadrature when d <= 2 and the method is not Monte Carlo, with room for
 * sub-mixtures of sub_cap centres and, per worker, of small_cap centres
 * (0: none). Reason in e. */
GCENT__HIDDEN int gcent__plan_engines(gcent_plan *pl, size_t nseg, int groups, size_t sub_cap,
                                      size_t small_cap, gcent__err *e);

/* Progress units of the scaled copy of the samples (gcent__mix_fill). */
#define GCENT__FILL_UNITS 8u
/* Progress units of the packing (its sort and k-d build report as they go). */
#define GCENT__PACK_UNITS 64u
/* Progress units of the setup of a shard: the scaled copy, the method
 * choice, the packing and the packed order. */
GCENT__HIDDEN uint64_t gcent__plan_setup_units(const gcent_plan *pl);
/* Whether quadrature is used for mixture pl->mx (the METHOD rule): QUADRATURE
 * -> yes, MC -> no; AUTO -> yes when d <= 2 and terms times its predicted
 * cost is at most max(2^27, draws n^2) evaluations. */
GCENT__HIDDEN int gcent__plan_choose_quad(gcent_plan *pl, double terms);

/* The shard's Monte Carlo rows: pack pl->mx (segments segf/nseg, groups
 * grp; NULL for none) and run the driver over the centres whose caller row
 * lies in [rb, re), in packed order; their contributions go to out. */
GCENT__HIDDEN int gcent__plan_mc(gcent_plan *pl, const size_t *segf, size_t nseg,
                                 const size_t *grp, const gcent__mc_layer *layer, size_t rb,
                                 size_t re, gcent__progress *p, uint64_t pack_units,
                                 gcent__mc_acc *out);
/* Progress units of gcent__plan_quad_share. */
#define GCENT__QUAD_UNITS 64u
/* The share [rb, re) of N of the quadrature of mixture m: its panels
 * [floor(rb np / N), floor(re np / N)) (one item, the closed form, for a
 * single centre), coef times their values and bounds added to val and err;
 * advances p by GCENT__QUAD_UNITS. */
GCENT__HIDDEN int gcent__plan_quad_share(gcent_plan *pl, const gcent__mix *m, size_t rb,
                                         size_t re, size_t N, double coef, gcent__progress *p,
                                         gcent__xacc *val, gcent__xacc *err);

/* A public execution of an entropy or layer plan (the plan's kind must be
 * `kind`; where: the public function): the shard [rb, re), and then either
 * the estimate into `result` (whole != 0) or the partial into `part`. */
GCENT__HIDDEN int gcent__plan_execute(gcent_plan *plan, int kind, const char *where,
                                      const gcent__rows *s, size_t rb, size_t re,
                                      void *result, gcent_partial *part);
/* The public name of the function that makes plans of this kind. */
GCENT__HIDDEN const char *gcent__plan_maker(int kind);

/* Check an execution's samples (doubles or floats) against the plan;
 * reason in pl->err. */
GCENT__HIDDEN int gcent__plan_check(gcent_plan *pl, const gcent__rows *s, size_t rb, size_t re);

#endif /* GCENT_PLAN_H_INTERNAL */
