/* make check-abi: loading the shared library must not change the caller's
 * floating-point control state. A shared object linked with -ffast-math or
 * -Ofast gets crtfastmath.o, whose constructor sets flush-to-zero and
 * denormals-are-zero in MXCSR for the whole process at load time; this
 * program dlopen()s the library given as argv[1], compares the control state
 * (rounding mode, enabled traps, MXCSR control bits, x87 control word) before
 * and after, then calls gcent_version_string through dlsym and compares
 * again. Exit status 0 when unchanged. */
#define _GNU_SOURCE /* fegetexcept */
#include <dlfcn.h>
#include <fenv.h>
#include <stdio.h>
#include <string.h>

typedef struct {
    int round, traps;
    unsigned mxcsr;
    unsigned short x87;
} fp_ctl;

static void fp_get(fp_ctl *c)
{
    memset(c, 0, sizeof *c);
    c->round = fegetround();
    c->traps = fegetexcept();
#if defined(__x86_64__) || defined(__i386__)
    unsigned m;
    unsigned short cw;
    __asm__ volatile("stmxcsr %0" : "=m"(m));
    __asm__ volatile("fnstcw %0" : "=m"(cw));
    c->mxcsr = m & ~0x3Fu; /* without the sticky flags */
    c->x87 = cw;
#endif
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s LIBRARY.so\n", argv[0]);
        return 2;
    }
    fp_ctl before, loaded, called;
    fp_get(&before);
    void *h = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
    if (h == NULL) {
        fprintf(stderr, "fpenv_load: %s\n", dlerror());
        return 2;
    }
    fp_get(&loaded);
    const char *(*version)(void) = (const char *(*)(void))dlsym(h, "gcent_version_string");
    if (version == NULL || version()[0] == '\0') {
        fprintf(stderr, "fpenv_load: gcent_version_string not usable\n");
        return 2;
    }
    fp_get(&called);
    dlclose(h);
    if (memcmp(&before, &loaded, sizeof before) != 0 ||
        memcmp(&before, &called, sizeof before) != 0) {
        fprintf(stderr,
                "fpenv_load: loading %s changed the floating-point control state "
                "(MXCSR %#x -> %#x, x87 %#x -> %#x, rounding %d -> %d)\n",
                argv[1], before.mxcsr, loaded.mxcsr, before.x87, loaded.x87, before.round,
                loaded.round);
        return 1;
    }
    return 0;
}
