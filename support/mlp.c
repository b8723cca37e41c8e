/* mlp.c: the noisy tanh multilayer perceptron of mlp.h on CBLAS -- forward
 * and backward passes, SGD/Adam, the deterministic shuffles and noise, the
 * measurement passes. The model, its randomness and the API are described in
 * mlp.h. */
#include "mlp.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cblas.h>
#include <gcent.h>

const char *mlp_strerror(int status)
{
    switch (status) {
    case MLP_OK: return "ok";
    case MLP_EINVAL: return "invalid argument";
    case MLP_ENOMEM: return "out of memory";
    default: return "unknown status";
    }
}

static void mlp__free_scratch(mlp *net)
{
    for (int l = 0; l < MLP_MAX_SIZES; ++l) {
        free(net->s[l]);
        free(net->t[l]);
        free(net->dl[l]);
        net->s[l] = net->t[l] = net->dl[l] = NULL;
    }
    free(net->z);
    net->z = NULL;
    net->cap = 0;
}

void mlp_free(mlp *net)
{
    if (net == NULL)
        return;
    for (int l = 0; l < MLP_MAX_SIZES; ++l) {
        free(net->w[l]), free(net->b[l]), free(net->gw[l]), free(net->gb[l]);
        free(net->mw[l]), free(net->mb[l]), free(net->vw[l]), free(net->vb[l]);
    }
    mlp__free_scratch(net);
    free(net);
}

int mlp_create(mlp **out, const int *arch, int nsizes, double beta, uint64_t seed)
{
    if (out == NULL || arch == NULL || nsizes < 3 || nsizes > MLP_MAX_SIZES ||
        !(beta >= 0.0 && beta < 1e6) || arch[nsizes - 1] < 2)
        return MLP_EINVAL;
    for (int l = 0; l < nsizes; ++l)
        if (arch[l] < 1 || arch[l] > 100000)
            return MLP_EINVAL;
    mlp *net = calloc(1, sizeof *net);
    if (net == NULL)
        return MLP_ENOMEM;
    net->L = nsizes - 1;
    net->beta = beta;
    net->seed = seed;
    for (int l = 0; l < nsizes; ++l)
        net->size[l] = arch[l];
    for (int l = 1; l < net->L; ++l)
        net->hidden += arch[l];
    uint64_t offset = 0; /* index into stream 0 */
    for (int l = 1; l <= net->L; ++l) {
        size_t nw = (size_t)arch[l] * (size_t)arch[l - 1], nb = (size_t)arch[l];
        double **bufs[8] = {&net->w[l], &net->gw[l], &net->mw[l], &net->vw[l],
                            &net->b[l], &net->gb[l], &net->mb[l], &net->vb[l]};
        for (int q = 0; q < 8; ++q)
            if ((*bufs[q] = calloc(q < 4 ? nw : nb, sizeof(double))) == NULL) {
                mlp_free(net);
                return MLP_ENOMEM;
            }
        gcent_rng_normals(seed, MLP_STREAM_INIT, offset, nw, net->w[l]);
        offset += nw;
        double sd = sqrt(2.0 / (double)(arch[l] + arch[l - 1]));
        for (size_t i = 0; i < nw; ++i)
            net->w[l][i] *= sd;
    }
    *out = net;
    return MLP_OK;
}

/* Make the scratch hold `rows` rows. */
static int mlp__reserve(mlp *net, size_t rows)
{
    if (rows <= net->cap)
        return MLP_OK;
    mlp__free_scratch(net);
    if (rows > SIZE_MAX / sizeof(double) / 100000)
        return MLP_ENOMEM;
    for (int l = 0; l <= net->L; ++l) {
        size_t cells = rows * (size_t)net->size[l];
        net->s[l] = malloc(cells * sizeof(double));
        net->t[l] = malloc(cells * sizeof(double));
        net->dl[l] = malloc(cells * sizeof(double));
        if (!net->s[l] || !net->t[l] || !net->dl[l]) {
            mlp__free_scratch(net);
            return MLP_ENOMEM;
        }
    }
    net->z = malloc(rows * (size_t)(net->hidden > 0 ? net->hidden : 1) * sizeof(double));
    if (net->z == NULL) {
        mlp__free_scratch(net);
        return MLP_ENOMEM;
    }
    net->cap = rows;
    return MLP_OK;
}

/* Forward pass of the B rows in net->t[0], with the noise in net->z (B x H,
 * row-major, layer 1 first). Leaves S_l, T_l and the output probabilities
 * in net->s[L]. */
static void mlp__forward(mlp *net, size_t B)
{
    const int L = net->L, H = net->hidden;
    int off = 0;
    for (int l = 1; l <= L; ++l) {
        const int din = net->size[l - 1], dout = net->size[l];
        double *a = net->s[l];
        /* a = T_{l-1} W_l^T (B x dout) */
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)B, dout, din, 1.0,
                    net->t[l - 1], din, net->w[l], din, 0.0, a, dout);
        if (l < L) {
            double *t = net->t[l];
            for (size_t r = 0; r < B; ++r) {
                const double *z = net->z + r * (size_t)H + off;
                for (int o = 0; o < dout; ++o) {
                    double sv = tanh(a[r * dout + o] + net->b[l][o]);
                    a[r * dout + o] = sv;
                    t[r * dout + o] = sv + net->beta * z[o];
                }
            }
            off += dout;
        } else { /* softmax, in place */
            for (size_t r = 0; r < B; ++r) {
                double *p = a + r * dout, mx = -INFINITY, sum = 0.0;
                for (int o = 0; o < dout; ++o) {
                    p[o] += net->b[l][o];
                    mx = p[o] > mx ? p[o] : mx;
                }
                for (int o = 0; o < dout; ++o)
                    sum += (p[o] = exp(p[o] - mx));
                for (int o = 0; o < dout; ++o)
                    p[o] /= sum;
            }
        }
    }
}

/* Loss of row r of the last forward pass, and whether its argmax is y. */
static double mlp__row_loss(const mlp *net, size_t r, int y, int *right)
{
    const int C = net->size[net->L];
    const double *p = net->s[net->L] + r * (size_t)C;
    int best = 0;
    for (int o = 1; o < C; ++o)
        best = p[o] > p[best] ? o : best;
    *right = best == y;
    return -log(p[y] > 1e-300 ? p[y] : 1e-300);
}

/* Gradients of the mean loss of the last forward pass of B rows. */
static void mlp__backward(mlp *net, size_t B, const int *yb)
{
    const int L = net->L, C = net->size[L];
    for (size_t r = 0; r < B; ++r)
        for (int o = 0; o < C; ++o)
            net->dl[L][r * C + o] = (net->s[L][r * C + o] - (o == yb[r])) / (double)B;
    for (int l = L; l >= 1; --l) {
        const int din = net->size[l - 1], dout = net->size[l];
        /* gW_l = dl_l^T T_{l-1} (dout x din), gb_l = column sums of dl_l */
        cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, dout, din, (int)B, 1.0,
                    net->dl[l], dout, net->t[l - 1], din, 0.0, net->gw[l], din);
        for (int o = 0; o < dout; ++o)
            net->gb[l][o] = 0.0;
        for (size_t r = 0; r < B; ++r)
            for (int o = 0; o < dout; ++o)
                net->gb[l][o] += net->dl[l][r * dout + o];
        if (l > 1) { /* dl_{l-1} = (dl_l W_l) .* (1 - S_{l-1}^2) */
            cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)B, din, dout, 1.0,
                        net->dl[l], dout, net->w[l], din, 0.0, net->dl[l - 1], din);
            const double *s = net->s[l - 1];
            for (size_t i = 0; i < B * (size_t)din; ++i)
                net->dl[l - 1][i] *= 1.0 - s[i] * s[i];
        }
    }
}

static void mlp__update(mlp *net, mlp_optimizer opt, double lr)
{
    const double b1 = 0.9, b2 = 0.999, eps = 1e-8;
    double c1 = 1.0, c2 = 1.0;
    if (opt == MLP_ADAM) {
        net->adam_steps++;
        c1 = 1.0 - pow(b1, (double)net->adam_steps);
        c2 = 1.0 - pow(b2, (double)net->adam_steps);
    }
    for (int l = 1; l <= net->L; ++l) {
        size_t nw = (size_t)net->size[l] * (size_t)net->size[l - 1];
        for (int q = 0; q < 2; ++q) {
            size_t cnt = q == 0 ? nw : (size_t)net->size[l];
            double *p = q == 0 ? net->w[l] : net->b[l], *g = q == 0 ? net->gw[l] : net->gb[l];
            double *m = q == 0 ? net->mw[l] : net->mb[l], *v = q == 0 ? net->vw[l] : net->vb[l];
            for (size_t i = 0; i < cnt; ++i) {
                if (opt == MLP_ADAM) {
                    m[i] = b1 * m[i] + (1.0 - b1) * g[i];
                    v[i] = b2 * v[i] + (1.0 - b2) * g[i] * g[i];
                    p[i] -= lr * (m[i] / c1) / (sqrt(v[i] / c2) + eps);
                } else {
                    p[i] -= lr * g[i];
                }
            }
        }
    }
}

static int mlp__check_labels(const mlp *net, const int *y, size_t n)
{
    for (size_t i = 0; i < n; ++i)
        if (y[i] < 0 || y[i] >= net->size[net->L])
            return MLP_EINVAL;
    return MLP_OK;
}

typedef struct {
    double key;
    size_t index;
} mlp__keyed;

static int mlp__by_key(const void *a, const void *b)
{
    const mlp__keyed *p = a, *q = b;
    if (p->key != q->key)
        return p->key < q->key ? -1 : 1;
    return (p->index > q->index) - (p->index < q->index);
}

int mlp_random_order(uint64_t seed, uint64_t stream, size_t n, size_t *order)
{
    if (order == NULL || n == 0 || n > SIZE_MAX / sizeof(mlp__keyed))
        return MLP_EINVAL;
    mlp__keyed *kv = malloc(n * sizeof *kv);
    double *keys = malloc(n * sizeof *keys);
    if (kv == NULL || keys == NULL) {
        free(kv), free(keys);
        return MLP_ENOMEM;
    }
    gcent_rng_normals(seed, stream, 0, n, keys);
    for (size_t i = 0; i < n; ++i) {
        kv[i].key = keys[i];
        kv[i].index = i;
    }
    qsort(kv, n, sizeof *kv, mlp__by_key);
    for (size_t i = 0; i < n; ++i)
        order[i] = kv[i].index;
    free(kv), free(keys);
    return MLP_OK;
}

enum { MLP_BLOCK = 256 }; /* rows per forward block in measurement */

int mlp_train_epoch(mlp *net, const double *x, const int *y, size_t n, size_t batch,
                    mlp_optimizer opt, double lr, uint64_t epoch, double *loss)
{
    if (net == NULL || x == NULL || y == NULL || n == 0 || batch == 0 ||
        epoch >= MLP_STREAM_SPAN || !(lr > 0.0 && lr < 1e6) ||
        (opt != MLP_SGD && opt != MLP_ADAM) || mlp__check_labels(net, y, n) != MLP_OK)
        return MLP_EINVAL;
    if (batch > n)
        batch = n;
    const size_t d0 = (size_t)net->size[0], H = (size_t)net->hidden;
    if (mlp__reserve(net, batch) != MLP_OK)
        return MLP_ENOMEM;
    /* shuffled order: the inputs sorted by one normal key each */
    size_t *order = malloc(n * sizeof *order);
    int *yb = malloc(batch * sizeof *yb);
    if (order == NULL || yb == NULL) {
        free(order), free(yb);
        return MLP_ENOMEM;
    }
    int st = mlp_random_order(net->seed, MLP_STREAM_SHUFFLE + epoch, n, order);
    if (st != MLP_OK) {
        free(order), free(yb);
        return st;
    }
    double total = 0.0;
    for (size_t p0 = 0; p0 < n; p0 += batch) {
        size_t B = n - p0 < batch ? n - p0 : batch;
        for (size_t r = 0; r < B; ++r) {
            size_t i = order[p0 + r];
            memcpy(net->t[0] + r * d0, x + i * d0, d0 * sizeof(double));
            yb[r] = y[i];
        }
        gcent_rng_normals(net->seed, MLP_STREAM_TRAIN + epoch, (uint64_t)p0 * H, B * H, net->z);
        mlp__forward(net, B);
        for (size_t r = 0; r < B; ++r) {
            int right;
            total += mlp__row_loss(net, r, yb[r], &right);
        }
        mlp__backward(net, B, yb);
        mlp__update(net, opt, lr);
    }
    free(order), free(yb);
    if (loss != NULL)
        *loss = total / (double)n;
    return MLP_OK;
}

/* Forward blocks of rows r0 .. r0+B-1 of a measurement (row r = input r / k,
 * pass r % k), noise of tag `tag`. */
static void mlp__measure_block(mlp *net, const double *x, size_t k, uint64_t tag, size_t r0,
                               size_t B)
{
    const size_t d0 = (size_t)net->size[0], H = (size_t)net->hidden;
    for (size_t r = 0; r < B; ++r)
        memcpy(net->t[0] + r * d0, x + ((r0 + r) / k) * d0, d0 * sizeof(double));
    if (tag == MLP_TAG_NOISELESS)
        memset(net->z, 0, B * H * sizeof(double));
    else
        gcent_rng_normals(net->seed, MLP_STREAM_MEASURE + tag, (uint64_t)r0 * H, B * H, net->z);
    mlp__forward(net, B);
}

int mlp_layer_samples(mlp *net, const double *x, size_t n, size_t k, uint64_t tag,
                      double *const *s)
{
    if (net == NULL || x == NULL || s == NULL || n == 0 || k == 0 ||
        (tag >= MLP_STREAM_SPAN && tag != MLP_TAG_NOISELESS) || n > SIZE_MAX / k)
        return MLP_EINVAL;
    if (mlp__reserve(net, MLP_BLOCK) != MLP_OK)
        return MLP_ENOMEM;
    const size_t rows = n * k;
    for (size_t r0 = 0; r0 < rows; r0 += MLP_BLOCK) {
        size_t B = rows - r0 < MLP_BLOCK ? rows - r0 : MLP_BLOCK;
        mlp__measure_block(net, x, k, tag, r0, B);
        for (int l = 1; l < net->L; ++l)
            if (s[l - 1] != NULL)
                memcpy(s[l - 1] + r0 * (size_t)net->size[l], net->s[l],
                       B * (size_t)net->size[l] * sizeof(double));
    }
    return MLP_OK;
}

int mlp_forward_t(mlp *net, const double *x, size_t n, uint64_t tag, double *const *t)
{
    if (net == NULL || x == NULL || t == NULL || n == 0 ||
        (tag >= MLP_STREAM_SPAN && tag != MLP_TAG_NOISELESS))
        return MLP_EINVAL;
    if (mlp__reserve(net, MLP_BLOCK) != MLP_OK)
        return MLP_ENOMEM;
    for (size_t r0 = 0; r0 < n; r0 += MLP_BLOCK) {
        size_t B = n - r0 < MLP_BLOCK ? n - r0 : MLP_BLOCK;
        mlp__measure_block(net, x, 1, tag, r0, B);
        for (int l = 1; l < net->L; ++l)
            if (t[l - 1] != NULL)
                memcpy(t[l - 1] + r0 * (size_t)net->size[l], net->t[l],
                       B * (size_t)net->size[l] * sizeof(double));
    }
    return MLP_OK;
}

int mlp_evaluate(mlp *net, const double *x, const int *y, size_t n, uint64_t tag, double *loss,
                 double *accuracy)
{
    if (net == NULL || x == NULL || y == NULL || n == 0 ||
        (tag >= MLP_STREAM_SPAN && tag != MLP_TAG_NOISELESS) ||
        mlp__check_labels(net, y, n) != MLP_OK)
        return MLP_EINVAL;
    if (mlp__reserve(net, MLP_BLOCK) != MLP_OK)
        return MLP_ENOMEM;
    double total = 0.0;
    size_t right = 0;
    for (size_t r0 = 0; r0 < n; r0 += MLP_BLOCK) {
        size_t B = n - r0 < MLP_BLOCK ? n - r0 : MLP_BLOCK;
        mlp__measure_block(net, x, 1, tag, r0, B);
        for (size_t r = 0; r < B; ++r) {
            int ok;
            total += mlp__row_loss(net, r, y[r0 + r], &ok);
            right += (size_t)ok;
        }
    }
    if (loss != NULL)
        *loss = total / (double)n;
    if (accuracy != NULL)
        *accuracy = (double)right / (double)n;
    return MLP_OK;
}
