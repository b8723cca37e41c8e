/* infoplane_files.c: the files and the printed report of the information-
 * plane experiment (infoplane.h): noisy_mlp.csv, the data files and the
 * gnuplot script of the pictures (infoplane.png, mi_vs_epoch.png,
 * distances.png, scatter_layerL.png), gnuplot's run, and the lines noisy_mlp
 * prints. Every file is written as NAME.part in the output folder and renamed
 * to NAME once complete, so that a file with its final name is never a
 * partial one. */
#include "infoplane.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define NHIST 60 /* bins of the pairwise-distance histograms */

static double pearson(const double *a, const double *b, size_t n)
{
    double ma = 0, mb = 0, saa = 0, sbb = 0, sab = 0;
    for (size_t i = 0; i < n; ++i) {
        ma += a[i];
        mb += b[i];
    }
    ma /= (double)n;
    mb /= (double)n;
    for (size_t i = 0; i < n; ++i) {
        double da = a[i] - ma, db = b[i] - mb;
        saa += da * da;
        sbb += db * db;
        sab += da * db;
    }
    return saa > 0 && sbb > 0 ? sab / sqrt(saa * sbb) : NAN;
}

/* Within-class and between-class histograms of the pairwise distances of the
 * m rows of s (row stride lds), over [0, 2 sqrt(d)] (the largest distance in
 * [-1,1]^d), as densities. Appends one gnuplot block to f. Data sets beyond
 * 8192 rows use every step-th row (the pairs grow as m^2). */
static void write_distances(FILE *f, const double *s, size_t m, size_t d, size_t lds,
                            const int *y, int layer, size_t epoch)
{
    double hw[NHIST] = {0}, hb[NHIST] = {0}, nw = 0, nb = 0;
    const double dmax = 2.0 * sqrt((double)d), scale = NHIST / dmax;
    const size_t step = (m + 8191) / 8192;
    for (size_t i = 0; i < m; i += step)
        for (size_t j = i + step; j < m; j += step) {
            double q = 0;
            for (size_t c = 0; c < d; ++c) {
                double t = s[i * lds + c] - s[j * lds + c];
                q += t * t;
            }
            int b = (int)(sqrt(q) * scale);
            b = b < 0 ? 0 : b >= NHIST ? NHIST - 1 : b;
            if (y[i] == y[j])
                hw[b] += 1, nw += 1;
            else
                hb[b] += 1, nb += 1;
        }
    fprintf(f, "# layer %d, epoch %zu: distance, within-class density, between-class density\n",
            layer, epoch);
    for (int b = 0; b < NHIST; ++b)
        fprintf(f, "%.6f %.6g %.6g\n", (b + 0.5) / scale, nw > 0 ? hw[b] * scale / nw : 0.0,
                nb > 0 ? hb[b] * scale / nb : 0.0);
    fprintf(f, "\n\n");
}

/* The gnuplot script of all pictures. */
static int write_script(FILE *f, const ip_experiment *ex, size_t snap_points,
                        const size_t *snap_epochs)
{
    const ip_options *o = ex->o;
    char arch[128] = "";
    for (int l = 0; l < o->nsizes; ++l)
        snprintf(arch + strlen(arch), sizeof arch - strlen(arch), "%s%d", l ? "-" : "",
                 o->arch[l]);
    const int nh = ex->nh;
    fprintf(f,
            "# gnuplot script written by noisy_mlp; run it in this folder: gnuplot noisy_mlp.gp\n"
            "cairo = strstrt(GPVAL_TERMINALS, 'pngcairo') > 0\n"
            "term(w, h) = cairo ? sprintf(\"set terminal pngcairo size %%d,%%d font ',11' "
            "enhanced\", w, h) : sprintf(\"set terminal png size %%d,%%d enhanced\", w, h)\n"
            "NH = %d\n"
            "sizes = '", nh);
    for (int l = 1; l <= nh; ++l)
        fprintf(f, "%s%d", l > 1 ? " " : "", o->arch[l]);
    fprintf(f,
            "'\n"
            "lnm = %.10f\n"
            "HY = %.10f\n"
            "EMAX = %zu\n"
            "subtitle = '%s network, {/Symbol b} = %g, %s lr %g, batch %zu, k = %zu, seed %llu, "
            "%s data'\n"
            "set linetype 1 lc rgb '#0072b2' lw 2 pt 7\n"
            "set linetype 2 lc rgb '#e69f00' lw 2 pt 5\n"
            "set linetype 3 lc rgb '#009e73' lw 2 pt 9\n"
            "set linetype 4 lc rgb '#cc79a7' lw 2 pt 11\n"
            "set linetype 5 lc rgb '#d55e00' lw 2 pt 13\n"
            "set linetype 6 lc rgb '#56b4e9' lw 2 pt 15\n"
            "set linetype 7 lc rgb '#000000' lw 2 pt 3\n"
            "set linetype cycle 7\n"
            "set palette defined (0 '#440154', 1 '#3b528b', 2 '#21918c', 3 '#5ec962', "
            "4 '#fde725')\n"
            "set grid lc rgb '#dddddd'\n"
            "D = 'noisy_mlp_layers.dat'\n"
            "# columns of D: 1 epoch, 2 I(X;T), 3 se, 4 I(Y;T), 5 se, 6 h(T), 7 H(Bin T),\n"
            "# 8 train loss, 9 test loss, 10 train acc, 11 test acc; one block per layer\n"
            "\n"
            "# ---- the information plane\n"
            "eval term(1000, 720)\n"
            "set output 'infoplane.png'\n"
            "set title \"Information plane of the noisy network (colour: epoch)\\n\" . subtitle\n"
            "set xlabel 'I(X;T_l)  [nats]'\n"
            "set ylabel 'I(Y;T_l)  [nats]'\n"
            "set logscale cb\n"
            "set cbrange [1:EMAX]\n"
            "set cblabel 'epoch'\n"
            "set xrange [0:lnm * 1.08]\n"
            "set yrange [0:HY * 1.12]\n"
            "set key outside bottom center horizontal maxrows 2 box\n"
            "set arrow 1 from lnm, graph 0 to lnm, graph 1 nohead dt 2 lw 1.5 lc rgb 'gray40'\n"
            "plot for [l=1:NH] D index (l-1) using 2:4 with lines lt l lw 1.5 notitle, \\\n"
            "     for [l=1:NH] D index (l-1) using 2:4:1 with points pt 7 ps 1.1 lc palette "
            "notitle, \\\n"
            "     for [l=1:NH] D index (l-1) using 2:4 every ::0::0 with points pt 6 ps 1.8 "
            "lc rgb 'black' notitle, \\\n"
            "     for [l=1:NH] 1/0 with linespoints lt l pt 7 title sprintf('layer %%d (%%s "
            "units)', l, word(sizes, l)), \\\n"
            "     1/0 with points pt 6 ps 1.8 lc rgb 'black' title 'first epoch', \\\n"
            "     1/0 dt 2 lw 1.5 lc rgb 'gray40' title sprintf('ln m = %%.3f', lnm), \\\n"
            "     HY dt 3 lw 1.5 lc rgb 'gray40' title sprintf('H(Y) = %%.3f', HY)\n"
            "unset arrow 1\n"
            "unset logscale cb\n"
            "unset cblabel\n"
            "\n"
            "# ---- I(X;T), H(Bin T), I(Y;T), loss and accuracy against epoch\n"
            "eval term(1500, 1000)\n"
            "set output 'mi_vs_epoch.png'\n"
            "set multiplot layout 2,2 title subtitle\n"
            "set logscale x\n"
            "set xrange [1:EMAX]\n"
            "set xlabel 'epoch' offset 0,0.3\n"
            "# the four panels alike: same margins (room for the last one's y2 axis),\n"
            "# the key below each plot\n"
            "set lmargin 10\n"
            "set rmargin 10\n"
            "set key outside bottom center horizontal maxrows 2 box opaque height 1\n"
            "set title 'I(X;T_l) of the noisy network (sample propagation)'\n"
            "set ylabel 'I(X;T_l)  [nats]'\n"
            "set yrange [0:lnm * 1.08]\n"
            "plot for [l=1:NH] D index (l-1) using 1:2 with linespoints ps 0.6 lt l "
            "title sprintf('layer %%d', l), lnm dt 2 lc rgb 'gray40' title 'ln m'\n"
            "set title sprintf('H(Bin(T_l)) of the noise-free pass, bin width %g')\n"
            "set ylabel 'H(Bin(T_l))  [nats]'\n"
            "plot for [l=1:NH] D index (l-1) using 1:7 with linespoints ps 0.6 lt l "
            "title sprintf('layer %%d', l), lnm dt 2 lc rgb 'gray40' title 'ln m'\n"
            "set title 'I(Y;T_l) of the noisy network'\n"
            "set ylabel 'I(Y;T_l)  [nats]'\n"
            "set yrange [0:HY * 1.12]\n"
            "plot for [l=1:NH] D index (l-1) using 1:4 with linespoints ps 0.6 lt l "
            "title sprintf('layer %%d', l), HY dt 2 lc rgb 'gray40' title 'H(Y)'\n"
            "set title 'Noisy network: cross-entropy loss and accuracy'\n"
            "set ylabel 'loss  [nats]'\n"
            "set yrange [0:*]\n"
            "set y2label 'accuracy'\n"
            "set y2range [0.5:1]\n"
            "set y2tics\n"
            "set ytics nomirror\n"
            "plot D index 0 using 1:8 with lines lw 2 lc rgb '#0072b2' title 'train loss', \\\n"
            "     '' index 0 using 1:9 with lines lw 2 lc rgb '#d55e00' title 'test loss', \\\n"
            "     '' index 0 using 1:10 axes x1y2 with lines lw 2 dt 2 lc rgb '#0072b2' "
            "title 'train accuracy', \\\n"
            "     '' index 0 using 1:11 axes x1y2 with lines lw 2 dt 2 lc rgb '#d55e00' "
            "title 'test accuracy'\n"
            "unset multiplot\n"
            "set lmargin -1\n"
            "set rmargin -1\n"
            "set key height 0\n"
            "set xlabel offset 0,0\n"
            "unset y2tics\n"
            "unset y2label\n"
            "set ytics mirror\n"
            "unset logscale x\n",
            log((double)ex->m), ex->hy, o->epochs, arch, o->beta,
            o->opt == MLP_ADAM ? "Adam" : "SGD", o->lr, o->batch, o->k,
            (unsigned long long)o->seed, o->data_path ? "CSV" : "generated 12-bit", o->width);

    /* distances: one block per (snapshot, layer), snapshot-major */
    fprintf(f,
            "\n# ---- pairwise distances within and between classes\n"
            "eval term(%d, %d)\n"
            "set output 'distances.png'\n"
            "set multiplot layout NH,%zu margins 0.06,0.98,0.05,0.90 spacing 0.045,0.055 "
            "title \"Pairwise distances of the representations S_l (one noisy pass of all "
            "inputs): within a class and between the classes\\n\" . subtitle\n"
            "set key at screen 0.98, screen 0.985 top right nobox\n"
            "set yrange [0:*]\n"
            "set ytics format '%%.1f'\n"
            "set style fill transparent solid 0.4 noborder\n",
            300 * (int)snap_points + 160, 220 * nh + 140, snap_points);
    for (int l = 1; l <= nh; ++l)
        for (size_t s = 0; s < snap_points; ++s) {
            size_t block = s * (size_t)nh + (size_t)(l - 1);
            fprintf(f,
                    "set title 'layer %d (%d units), epoch %zu' offset 0,-0.7\n"
                    "set xlabel '%s' offset 0,0.4\n"
                    "set ylabel '%s' offset 1,0\n"
                    "set xrange [0:%.6f]\n"
                    "plot 'distances.dat' index %zu using 1:2 with filledcurves y1=0 "
                    "lc rgb '#0072b2' %s, '' index %zu using 1:3 with filledcurves y1=0 "
                    "lc rgb '#d55e00' %s\n",
                    l, o->arch[l], snap_epochs[s],
                    l == nh ? "distance |S_l(x_i) - S_l(x_j)|" : "", s == 0 ? "density" : "",
                    2.0 * sqrt((double)o->arch[l]), block,
                    (l == 1 && s == 0) ? "title 'same class'" : "notitle", block,
                    (l == 1 && s == 0) ? "title 'different classes'" : "notitle");
        }
    fprintf(f, "unset multiplot\nset style fill empty\nset ytics format '%% h'\nset key default\n"
               "set xlabel offset 0,0\nset ylabel offset 0,0\nset title offset 0,0\n");

    /* scatter plots of 2-D and 3-D layers: class 0 then class 1, NaN elsewhere */
    for (int l = 1; l <= nh; ++l) {
        int d = o->arch[l];
        if (d != 2 && d != 3)
            continue;
        fprintf(f,
                "\n# ---- scatter plot of layer %d (%d-D)\n"
                "eval term(%d, %d)\n"
                "set output 'scatter_layer%d.png'\n"
                "set multiplot layout 1,%zu title \"Layer %d: representations S_%d of all "
                "inputs (one noisy pass), coloured by class\\n\" . subtitle\n"
                "set xrange [-1.1:1.1]\n"
                "set yrange [-1.1:1.1]\n"
                "set zrange [-1.1:1.1]\n"
                "set xyplane relative 0\n"
                "set border %d lc rgb 'gray50'\n"
                "set xlabel 'unit 1'\n"
                "set ylabel 'unit 2'\n"
                "set zlabel 'unit 3' rotate parallel offset 3,0\n"
                "set xtics 1\n"
                "set ytics 1\n"
                "set ztics ('-1' -1, '1' 1)\n"
                "set view 60, 35, 1, 1.15\n"
                "%s"
                "set key at screen 0.02, screen 0.97 top left nobox\n",
                l, d, 400 * (int)snap_points + 80, d == 3 ? 560 : 480, l, snap_points, l, l,
                d == 3 ? 4095 : 31, d == 3 ? "" : "set size square\n");
        char file[64];
        snprintf(file, sizeof file, "'scatter_layer%d.dat'", l);
        for (size_t s = 0; s < snap_points; ++s)
            for (int c = 0; c < 2; ++c) {
                const char *title = s == 0 ? (c == 0 ? "title 'y = 0'" : "title 'y = 1'")
                                           : "notitle";
                const char *colour = c == 0 ? "#600072b2" : "#60d55e00";
                if (c == 0)
                    fprintf(f, "set title 'epoch %zu'\n%s ", snap_epochs[s],
                            d == 3 ? "splot" : "plot");
                if (d == 3)
                    fprintf(f, "%s index %zu using 1:2:($4==%d?$3:1/0) with points pt 7 "
                            "ps 0.4 lc rgb '%s' %s%s", c == 0 ? file : "''",
                            s, c, colour, title, c == 0 ? ", " : "\n");
                else
                    fprintf(f, "%s index %zu using 1:($3==%d?$2:1/0) with points pt 7 "
                            "ps 0.4 lc rgb '%s' %s%s", c == 0 ? file : "''",
                            s, c, colour, title, c == 0 ? ", " : "\n");
            }
        fprintf(f, "unset multiplot\nset size nosquare\nset border 31 lc rgb 'black'\n"
                   "set xtics autofreq\nset ytics autofreq\nset key default\n");
    }
    return ferror(f) ? -1 : 0;
}

/* ---- NAME.part files ------------------------------------------------------------ */

static void part_path(char *buf, size_t len, const ip_experiment *ex, const char *name,
                      int part)
{
    snprintf(buf, len, "%s/%s%s", ex->o->outdir, name, part ? ".part" : "");
}

static FILE *open_part(ip_output *out, const ip_experiment *ex, const char *name)
{
    char path[4200];
    part_path(path, sizeof path, ex, name, 1);
    FILE *f = fopen(path, "w");
    if (f == NULL)
        snprintf(out->err, sizeof out->err, "cannot write %.300s: %s", path, strerror(errno));
    return f;
}

/* Close *f (if open; NULL after): 0, or -1 with out->err on a write error. */
static int close_part(ip_output *out, FILE **f, const char *name)
{
    if (*f == NULL)
        return 0;
    int bad = ferror(*f) | (fclose(*f) != 0);
    *f = NULL;
    if (bad)
        snprintf(out->err, sizeof out->err, "error writing %s.part", name);
    return bad ? -1 : 0;
}

static int rename_part(ip_output *out, const ip_experiment *ex, const char *name)
{
    char from[4200], to[4200];
    part_path(from, sizeof from, ex, name, 1);
    part_path(to, sizeof to, ex, name, 0);
    if (rename(from, to) == 0)
        return 0;
    snprintf(out->err, sizeof out->err, "cannot rename %.200s to %.200s: %s", from, to,
             strerror(errno));
    return -1;
}

static void scatter_name(char *buf, size_t len, int l)
{
    snprintf(buf, len, "scatter_layer%d.dat", l);
}

/* ---- the output of a run ---------------------------------------------------------- */

int ip_output_open(ip_output *out, const ip_experiment *ex)
{
    const ip_options *o = ex->o;
    *out = (ip_output){.csv = NULL};
    if (mkdir(o->outdir, 0777) != 0 && errno != EEXIST) {
        snprintf(out->err, sizeof out->err, "cannot create %.300s: %s", o->outdir,
                 strerror(errno));
        return 1;
    }
    if ((out->csv = open_part(out, ex, "noisy_mlp.csv")) == NULL)
        return 1;
    fprintf(out->csv, "epoch,layer,units,ixt,ixt_se,iyt,iyt_se,ht,ht_se,hbin,train_loss,"
                      "train_acc,test_loss,test_acc\n");
    if ((out->dist = open_part(out, ex, "distances.dat")) == NULL)
        return 1;
    for (int l = 1; l <= ex->nh; ++l)
        if (o->arch[l] == 2 || o->arch[l] == 3) {
            char name[64];
            scatter_name(name, sizeof name, l);
            if ((out->scat[l] = open_part(out, ex, name)) == NULL)
                return 1;
        }
    return 0;
}

int ip_output_point(ip_output *out, const ip_experiment *ex, size_t p)
{
    const ip_options *o = ex->o;
    const size_t e = ex->epochs[p], NH = (size_t)ex->nh;
    for (int l = 1; l <= ex->nh; ++l) {
        const ip_result *r = &ex->res[p * NH + (size_t)(l - 1)];
        fprintf(out->csv, "%zu,%d,%d,%.8f,%.3g,%.8f,%.3g,%.8f,%.3g,%.8f,%.6f,%.6f,%.6f,%.6f\n", e,
                l, o->arch[l], r->mi.ixt.value, r->mi.ixt.se, r->mi.iyt.value, r->mi.iyt.se,
                r->mi.ht.value, r->mi.ht.se, r->hbin, ex->loss_tr[p], ex->acc_tr[p],
                ex->loss_te[p], ex->acc_te[p]);
    }
    fflush(out->csv);
    /* snapshots: distances and scatter of S_l from noisy pass 0 */
    int is_snap = 0;
    for (size_t s = 0; s < o->nsnaps; ++s)
        is_snap |= o->snaps[s] == e;
    if (is_snap && out->nsnaps < IP_MAX_SNAPS) {
        out->snap_epochs[out->nsnaps++] = e;
        for (int l = 1; l <= ex->nh; ++l) {
            const size_t d = (size_t)o->arch[l];
            const double *s = ex->sl[l - 1];
            write_distances(out->dist, s, ex->m, d, o->k * d, ex->data.y, l, e);
            if (out->scat[l] != NULL) {
                fprintf(out->scat[l], "# epoch %zu: units 1..%zu of S_%d, class\n", e, d, l);
                for (size_t i = 0; i < ex->m; ++i) {
                    for (size_t c = 0; c < d; ++c)
                        fprintf(out->scat[l], "%.5f ", s[i * o->k * d + c]);
                    fprintf(out->scat[l], "%d\n", ex->data.y[i]);
                }
                fprintf(out->scat[l], "\n\n");
            }
        }
    }
    if (ferror(out->csv) || ferror(out->dist)) {
        snprintf(out->err, sizeof out->err, "error writing the output files in %.300s",
                 o->outdir);
        return 1;
    }
    return 0;
}

/* Per layer, every point: the data file of the pictures against epoch. */
static void write_layers(FILE *f, const ip_experiment *ex)
{
    const size_t NH = (size_t)ex->nh;
    for (int l = 1; l <= ex->nh; ++l) {
        fprintf(f, "# layer %d (%d units): epoch ixt se iyt se ht hbin train_loss test_loss "
                   "train_acc test_acc\n", l, ex->o->arch[l]);
        for (size_t p = 0; p < ex->npoints; ++p) {
            const ip_result *r = &ex->res[p * NH + (size_t)(l - 1)];
            fprintf(f, "%zu %.6f %.3g %.6f %.3g %.6f %.6f %.6f %.6f %.6f %.6f\n", ex->epochs[p],
                    r->mi.ixt.value, r->mi.ixt.se, r->mi.iyt.value, r->mi.iyt.se,
                    r->mi.ht.value, r->hbin, ex->loss_tr[p], ex->loss_te[p], ex->acc_tr[p],
                    ex->acc_te[p]);
        }
        fprintf(f, "\n\n");
    }
}

int ip_output_finish(ip_output *out, const ip_experiment *ex, int ok)
{
    int bad = 0;
    if (ok) {
        FILE *f = open_part(out, ex, "noisy_mlp_layers.dat");
        if (f != NULL)
            write_layers(f, ex);
        bad |= f == NULL || close_part(out, &f, "noisy_mlp_layers.dat") != 0;
        if (!bad) {
            f = open_part(out, ex, "noisy_mlp.gp");
            if (f != NULL && write_script(f, ex, out->nsnaps, out->snap_epochs) != 0)
                snprintf(out->err, sizeof out->err, "error writing noisy_mlp.gp.part");
            bad |= f == NULL || close_part(out, &f, "noisy_mlp.gp") != 0;
        }
    }
    bad |= close_part(out, &out->dist, "distances.dat") != 0;
    char name[64];
    for (int l = 0; l < MLP_MAX_SIZES; ++l) {
        scatter_name(name, sizeof name, l);
        bad |= close_part(out, &out->scat[l], name) != 0;
    }
    bad |= close_part(out, &out->csv, "noisy_mlp.csv") != 0;
    if (!ok || bad)
        return ok ? 1 : 0;
    /* the CSV last: once noisy_mlp.csv exists, every other file does too */
    bad |= rename_part(out, ex, "noisy_mlp_layers.dat") != 0 ||
           rename_part(out, ex, "noisy_mlp.gp") != 0 ||
           rename_part(out, ex, "distances.dat") != 0;
    for (int l = 1; l <= ex->nh && !bad; ++l)
        if (ex->o->arch[l] == 2 || ex->o->arch[l] == 3) {
            scatter_name(name, sizeof name, l);
            bad |= rename_part(out, ex, name) != 0;
        }
    if (!bad)
        bad |= rename_part(out, ex, "noisy_mlp.csv") != 0;
    return bad;
}

int ip_plot(const ip_experiment *ex)
{
    char cmd[4200];
    snprintf(cmd, sizeof cmd, "command -v gnuplot >/dev/null 2>&1 && cd '%s' && "
             "gnuplot noisy_mlp.gp", ex->o->outdir);
    return system(cmd) == 0;
}

/* ---- printed report ---------------------------------------------------------------- */

void ip_print_header(FILE *f, const ip_experiment *ex, const char *prog)
{
    const ip_options *o = ex->o;
    fprintf(f, "%s: %s data, %zu patterns (%zu train, %zu test), H(Y) = %.4f nats\n", prog,
            o->data_path ? o->data_path : "generated 12-bit", ex->m, ex->ntr, ex->nte, ex->hy);
    fprintf(f, "network ");
    for (int l = 0; l < o->nsizes; ++l)
        fprintf(f, "%s%d", l ? "-" : "", o->arch[l]);
    fprintf(f, ", beta %g, %s lr %g, batch %zu, %zu epochs, seed %llu\n", o->beta,
            o->opt == MLP_ADAM ? "Adam" : "SGD", o->lr, o->batch, o->epochs,
            (unsigned long long)o->seed);
    fprintf(f, "measuring %zu epochs: k = %zu passes per input, %zu draws, bin width %g\n",
            ex->npoints, o->k, o->draws, o->width);
    fflush(f);
}

int ip_print_summary(FILE *f, const ip_experiment *ex)
{
    const ip_options *o = ex->o;
    const size_t P = ex->npoints, NH = (size_t)ex->nh;
    double *ix = malloc(P * sizeof *ix), *hbl = malloc(P * sizeof *hbl);
    if (ix == NULL || hbl == NULL) {
        free(ix), free(hbl);
        return 1;
    }
    fprintf(f, "\nfinal (epoch %zu): train loss %.4f, accuracy %.1f%% train, %.1f%% test "
               "(noisy network)\n", o->epochs, ex->loss_tr[P - 1], 100 * ex->acc_tr[P - 1],
            100 * ex->acc_te[P - 1]);
    fprintf(f, "layer units   I(X;T_l) [nats]: first    max (epoch)      last  | I(Y;T_l) last "
               "| H(Bin) first   max    last | corr(I(X;T), H(Bin))\n");
    for (int l = 1; l <= ex->nh; ++l) {
        const ip_result *r = ex->res + (size_t)(l - 1); /* [p * NH + l - 1] */
        size_t pmax = 0;
        double hmax = 0;
        for (size_t p = 0; p < P; ++p) {
            ix[p] = r[p * NH].mi.ixt.value;
            hbl[p] = r[p * NH].hbin;
            if (ix[p] > ix[pmax])
                pmax = p;
            hmax = fmax(hmax, hbl[p]);
        }
        fprintf(f, "%5d %5d   %22.3f %6.3f (%5zu) %9.3f  | %13.3f | %12.3f %6.3f %7.3f | %8.3f\n",
                l, o->arch[l], ix[0], ix[pmax], ex->epochs[pmax], ix[P - 1],
                r[(P - 1) * NH].mi.iyt.value, hbl[0], hmax, hbl[P - 1], pearson(ix, hbl, P));
    }
    fprintf(f, "(upper limits: I(X;T) <= ln m = %.3f, I(Y;T) <= H(Y) = %.3f nats)\n",
            log((double)ex->m), ex->hy);
    free(ix), free(hbl);
    return 0;
}
