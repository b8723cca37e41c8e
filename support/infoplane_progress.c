/* infoplane_progress.c: the progress bar of the information-plane experiment
 * (infoplane.h) on stderr: epochs trained, the loss and accuracies, the layer
 * being measured and how far its library call is, elapsed time and an ETA
 * from the average cost of an epoch and of a measured point so far. On a
 * terminal the bar is redrawn in place at most every 0.1 s; elsewhere (a
 * log file) one line per measured point. The clock serves the display only:
 * nothing computed depends on it. */
#include "infoplane.h"

#include <math.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void fmt_time(double s, char *buf, size_t len)
{
    if (!(s >= 0) || s > 1e7)
        snprintf(buf, len, "--");
    else if (s >= 3600)
        snprintf(buf, len, "%dh%02dm", (int)(s / 3600), (int)fmod(s / 60, 60));
    else if (s >= 60)
        snprintf(buf, len, "%dm%02ds", (int)(s / 60), (int)fmod(s, 60));
    else
        snprintf(buf, len, "%ds", (int)s);
}

/* ETA from the average cost of an epoch and of a measurement so far. */
static double eta(const ip_progress *p)
{
    if (p->point == 0 || p->epoch == 0)
        return -1;
    double te = p->train_secs / (double)p->epoch, tm = p->meas_secs / (double)p->point;
    double left = (double)(p->epochs - p->epoch) * te + (double)(p->points - p->point) * tm;
    if (p->layer > 0) /* within a measurement: the layers count equally */
        left -= ((double)(p->layer - 1) + p->frac) / (double)p->nlayers * tm;
    return left > 0 ? left : 0;
}

/* force: 0 = throttled redraw, 1 = redraw now, 2 = a measurement point is done */
static void draw(ip_progress *p, int force)
{
    if (!p->on)
        return;
    double t = now();
    if (p->tty ? !force && t - p->last < 0.1 : force < 2)
        return; /* a terminal: redraw every 0.1 s; a file: one line per point */
    p->last = t;
    char e[32], el[32], what[96];
    fmt_time(eta(p), e, sizeof e);
    fmt_time(t - p->t0, el, sizeof el);
    /* the bar shows the share of the estimated total time (measurements
     * dominate it, and most of them come early), else of the epochs */
    double left = eta(p), done = (double)p->epoch / (double)(p->epochs ? p->epochs : 1);
    if (left >= 0 && t - p->t0 + left > 0)
        done = (t - p->t0) / (t - p->t0 + left);
    int width = 24, fill = (int)(done * width + 0.5);
    if (p->layer > 0)
        snprintf(what, sizeof what, "measuring %zu/%zu: layer %d/%d %3.0f%%", p->point + 1,
                 p->points, p->layer, p->nlayers, 100.0 * p->frac);
    else if (p->point == 0)
        snprintf(what, sizeof what, "loss %.4f", p->loss);
    else
        snprintf(what, sizeof what, "loss %.4f  acc %.1f%%/%.1f%% (train/test)", p->loss,
                 100.0 * p->acc_train, 100.0 * p->acc_test);
    fprintf(stderr, "%s[%.*s%.*s] epoch %zu/%zu  %s  %s elapsed, ETA %s%s",
            p->tty ? "\r" : "", fill, "########################", width - fill,
            "------------------------", p->epoch, p->epochs, what, el, e,
            p->tty ? "\033[K" : "\n");
    fflush(stderr);
}

void ip_progress_start(ip_progress *p, const ip_experiment *ex, int on)
{
    *p = (ip_progress){.on = on, .tty = isatty(STDERR_FILENO), .t0 = now(),
                       .epochs = ex->o->epochs, .points = ex->npoints, .nlayers = ex->nh};
    p->mark = p->t0;
}

void ip_progress_epoch(ip_progress *p, size_t e, double loss)
{
    double t = now();
    p->train_secs += t - p->mark;
    p->mark = t;
    p->epoch = e;
    p->loss = loss;
    draw(p, 0);
}

void ip_progress_layer(ip_progress *p, int l)
{
    p->layer = l;
    p->frac = 0;
    draw(p, 1);
}

void ip_progress_point(ip_progress *p, const ip_experiment *ex, size_t p_done)
{
    double t = now();
    p->meas_secs += t - p->mark;
    p->mark = t;
    p->layer = 0;
    p->acc_train = ex->acc_tr[p_done];
    p->acc_test = ex->acc_te[p_done];
    p->point = p_done + 1;
    draw(p, 2);
}

int ip_progress_cb(void *user, uint64_t done, uint64_t total)
{
    ip_progress *p = user;
    p->frac = total ? (double)done / (double)total : 1.0;
    draw(p, 0);
    return 0;
}

double ip_progress_end(ip_progress *p)
{
    if (p->on && p->tty)
        fprintf(stderr, "\n");
    return now() - p->t0;
}
