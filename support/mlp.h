/* mlp.h: a small noisy tanh multilayer perceptron on CBLAS, for the examples
 * and the benchmark. Declarations here, code in mlp.c (which alone includes
 * cblas.h: a program that includes this header needs no BLAS flags to
 * compile, only to link).
 *
 * THE MODEL (Goldfeld et al., ICML 2019). Layer sizes d_0 (inputs), d_1 ..
 * d_{L-1} (hidden), d_L (classes). With T_0 = x,
 *
 *     S_l = tanh(W_l T_{l-1} + b_l),  T_l = S_l + beta Z_l,  l = 1 .. L-1,
 *     p   = softmax(W_L T_{L-1} + b_L),
 *
 * Z_l ~ N(0, I) fresh for every neuron, every input and every pass, in
 * training and in measurement alike. W_l is d_l x d_{l-1}, row-major. The
 * loss is the cross-entropy -ln p_y (nats), averaged over a minibatch. The
 * gradient is that of the noisy forward pass actually taken (the noise is an
 * additive input of the next layer, so dT_l/dS_l = 1).
 *
 * RANDOMNESS. Everything comes from libgcent's counter-based normals,
 * gcent_rng_normals(seed, stream, index, ...), so a seed fixes every bit:
 *   - initial weights: stream 0, W_l ~ N(0, 2 / (d_{l-1} + d_l)) (Glorot
 *     normal), b_l = 0;
 *   - epoch e, order of the training inputs: stream MLP_STREAM_SHUFFLE + e
 *     (the inputs sorted by one normal key each);
 *   - epoch e, noise of the p-th input of the shuffled order: stream
 *     MLP_STREAM_TRAIN + e, indices p*H .. p*H+H-1, H = d_1 + .. + d_{L-1}
 *     (layer 1 first);
 *   - measurement with tag g, noise of row r (input i, pass j, r = i*k + j):
 *     stream MLP_STREAM_MEASURE + g, indices r*H .. r*H+H-1. The special tag
 *     MLP_TAG_NOISELESS gives the noise-free pass (Z = 0) of the same weights.
 * Streams are below 2^30, so they never meet the library's own Monte Carlo
 * streams (which start at 2^32) even when the same seed is used; streams
 * 2^30 .. 2^32-1 are left to the caller. The matrix products are small
 * (a minibatch, or 256 rows, by a few units); with OpenBLAS noisy_mlp's CSV
 * is the same bits with OPENBLAS_NUM_THREADS=1 and with the default. Another
 * BLAS may round the products differently: then the bits, not the story,
 * change.
 *
 * API (all sizes size_t; x is n x d_0 row-major; y holds n labels 0..d_L-1):
 *
 *   int  mlp_create(mlp **out, const int *arch, int nsizes, double beta, uint64_t seed);
 *        arch = {d_0, .., d_L}, 3 <= nsizes <= MLP_MAX_SIZES, every size >= 1
 *        (d_L >= 2); beta >= 0 (0: a deterministic network).
 *   void mlp_free(mlp *net);                                   (NULL ok)
 *   int  mlp_train_epoch(mlp *net, const double *x, const int *y, size_t n,
 *                        size_t batch, mlp_optimizer opt, double lr,
 *                        uint64_t epoch, double *loss);
 *        One pass over the n inputs in the shuffled order of `epoch`, in
 *        minibatches of `batch` (the last one may be smaller); SGD
 *        (w -= lr g) or Adam (Kingma & Ba: 0.9, 0.999, 1e-8, bias-corrected,
 *        step count kept in the network). *loss (may be NULL): mean loss of
 *        the noisy passes taken.
 *   int  mlp_evaluate(mlp *net, const double *x, const int *y, size_t n,
 *                     uint64_t tag, double *loss, double *accuracy);
 *        One pass per input (noise of measurement tag `tag`, row i = input i;
 *        MLP_TAG_NOISELESS: no noise): mean loss and fraction of inputs
 *        whose most probable class is y.
 *        Either output may be NULL.
 *   int  mlp_layer_samples(mlp *net, const double *x, size_t n, size_t k,
 *                          uint64_t tag, double *const *s);
 *        For every hidden layer l = 1..L-1 with s[l-1] != NULL, fills s[l-1]
 *        (n*k rows of d_l doubles, row-major) with S_l = f_l(T_{l-1}), the
 *        layer's value BEFORE its own noise, where row i*k + j comes from
 *        input i, noisy pass j (noise of the lower layers as documented
 *        above). This is the layout gcent_mi_layer(ctx, s[l-1], n, k, d_l,
 *        d_l, ...) takes. S_1 does not depend on the pass: its k rows per
 *        input are equal, and gcent_mi_layer(ctx, s[0], n, 1, d_1, k*d_1, ...)
 *        (k = 1 with row stride k*d_1) measures layer 1 exactly.
 *   int  mlp_forward_t(mlp *net, const double *x, size_t n, uint64_t tag,
 *                      double *const *t);
 *        One pass per input: fills t[l-1] (n x d_l) with
 *        T_l = S_l + beta Z_l, the noise of row i = input i of tag `tag` (the
 *        pass mlp_layer_samples takes with k = 1); with MLP_TAG_NOISELESS the
 *        noise-free values T_l = S_l of the deterministic counterpart (as
 *        binned by the earlier information-plane work). NULL entries are
 *        skipped.
 *   int  mlp_random_order(uint64_t seed, uint64_t stream, size_t n, size_t *order);
 *        order[0..n-1] = 0..n-1 sorted by one normal key each (key i =
 *        normal i of `stream` of `seed`, gcent_rng_normals; ties by index):
 *        the random permutation fixed by (seed, stream) that shuffles the
 *        training inputs of an epoch (stream MLP_STREAM_SHUFFLE + epoch);
 *        programs use it with streams of their own for fixed splits.
 *   const char *mlp_strerror(int status);
 *
 * Every int function returns MLP_OK (0), MLP_EINVAL (bad argument: NULL,
 * size 0, label out of range, epoch or tag >= 2^28 other than
 * MLP_TAG_NOISELESS, lr <= 0) or MLP_ENOMEM,
 * and changes nothing on failure except scratch memory. Not thread-safe: one
 * network per thread. mlp.c links with CBLAS (pkg-config blas) and libgcent. */
#ifndef MLP_H
#define MLP_H

#include <stddef.h>
#include <stdint.h>

#define MLP_MAX_SIZES 16 /* d_0 .. d_L: at most 15 weight layers */
#define MLP_OK 0
#define MLP_EINVAL (-1)
#define MLP_ENOMEM (-2)

#define MLP_STREAM_INIT 0u
#define MLP_STREAM_SHUFFLE ((uint64_t)1 << 28)
#define MLP_STREAM_TRAIN ((uint64_t)2 << 28)
#define MLP_STREAM_MEASURE ((uint64_t)3 << 28)
#define MLP_STREAM_SPAN ((uint64_t)1 << 28) /* epochs and tags are < this */
#define MLP_TAG_NOISELESS UINT64_MAX          /* measurement tag: no noise */

typedef enum { MLP_SGD = 0, MLP_ADAM = 1 } mlp_optimizer;

typedef struct mlp {
    int L;                         /* weight layers; hidden layers are 1 .. L-1 */
    int size[MLP_MAX_SIZES];       /* d_0 .. d_L */
    int hidden;                    /* H = d_1 + .. + d_{L-1} */
    double beta;
    uint64_t seed;
    uint64_t adam_steps;
    double *w[MLP_MAX_SIZES], *b[MLP_MAX_SIZES];   /* w[l]: d_l x d_{l-1}; index 1..L */
    double *gw[MLP_MAX_SIZES], *gb[MLP_MAX_SIZES]; /* gradients */
    double *mw[MLP_MAX_SIZES], *mb[MLP_MAX_SIZES]; /* Adam first moments */
    double *vw[MLP_MAX_SIZES], *vb[MLP_MAX_SIZES]; /* Adam second moments */
    /* scratch for `cap` rows: s[l] = S_l (probabilities at l = L), t[l] = T_l
     * (t[0] = inputs), dl[l] = dLoss/d(pre-activation of layer l), z = noise */
    size_t cap;
    double *s[MLP_MAX_SIZES], *t[MLP_MAX_SIZES], *dl[MLP_MAX_SIZES], *z;
} mlp;

/* The API, as documented at the top of this file. */
const char *mlp_strerror(int status);
int mlp_create(mlp **out, const int *arch, int nsizes, double beta, uint64_t seed);
void mlp_free(mlp *net);
int mlp_train_epoch(mlp *net, const double *x, const int *y, size_t n, size_t batch,
                    mlp_optimizer opt, double lr, uint64_t epoch, double *loss);
int mlp_evaluate(mlp *net, const double *x, const int *y, size_t n, uint64_t tag, double *loss,
                 double *accuracy);
int mlp_layer_samples(mlp *net, const double *x, size_t n, size_t k, uint64_t tag,
                      double *const *s);
int mlp_forward_t(mlp *net, const double *x, size_t n, uint64_t tag, double *const *t);
int mlp_random_order(uint64_t seed, uint64_t stream, size_t n, size_t *order);

#endif /* MLP_H */
