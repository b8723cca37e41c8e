# libgcent -- plain GNU Makefile.
# Targets: all static shared check check-abi examples demo docs bench install uninstall clean
#          check-asan check-alloc check-tsan check-valgrind check-abidiff coverage fuzz
# Honours PREFIX, DESTDIR, LIBDIR, INCLUDEDIR, PKGCONFIGDIR, CC, CFLAGS, CPPFLAGS, LDFLAGS.
# BLAS: BLAS_PC names the pkg-config module of the BLAS to link (default `blas`,
# which is OpenBLAS or the reference BLAS on Debian, CBLAS included); or set
# BLAS_LIBS directly.

PREFIX       ?= /usr/local
LIBDIR       ?= $(PREFIX)/lib
INCLUDEDIR   ?= $(PREFIX)/include
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
DESTDIR      ?=

CC      ?= cc
CFLAGS  ?= -O2 -g
PKG_CONFIG ?= pkg-config
BLAS_PC ?= blas
BLAS_CFLAGS ?= $(shell $(PKG_CONFIG) --cflags lapacke $(BLAS_PC) 2>/dev/null)
BLAS_LIBS   ?= $(shell $(PKG_CONFIG) --libs lapacke $(BLAS_PC) 2>/dev/null)
CHECK_CFLAGS ?= $(shell $(PKG_CONFIG) --cflags check 2>/dev/null)
CHECK_LIBS   ?= $(shell $(PKG_CONFIG) --libs check 2>/dev/null)
THREAD_LIBS  ?= -lpthread

# Version: read from the single source, include/gcent/version.h.
VERSION_H := include/gcent/version.h
VMAJOR := $(shell sed -n 's/^\#define GCENT_VERSION_MAJOR \([0-9]*\).*/\1/p' $(VERSION_H))
VMINOR := $(shell sed -n 's/^\#define GCENT_VERSION_MINOR \([0-9]*\).*/\1/p' $(VERSION_H))
VPATCH := $(shell sed -n 's/^\#define GCENT_VERSION_PATCH \([0-9]*\).*/\1/p' $(VERSION_H))
VERSION := $(VMAJOR).$(VMINOR).$(VPATCH)
# SONAME: libgcent.so.0.MINOR while at 0.y, libgcent.so.MAJOR from 1.0 on.
# While at 0.y an extra link libgcent.so.0 -> SONAME is made too.
ifeq ($(VMAJOR),0)
SOVER := 0.$(VMINOR)
EXTRA_LINK := libgcent.so.0
else
SOVER := $(VMAJOR)
EXTRA_LINK :=
endif
SONAME   := libgcent.so.$(SOVER)
SHLIB    := lib/libgcent.so.$(VERSION)
STLIB    := lib/libgcent.a

LIB_CFLAGS := -std=c11 -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
              -fPIC -fvisibility=hidden -Iinclude -DGCENT_BUILDING \
              -D_POSIX_C_SOURCE=200809L $(BLAS_CFLAGS)
LIB_LIBS   := $(BLAS_LIBS) $(THREAD_LIBS) -lm

SRCS := $(wildcard src/*.c)
OBJS := $(patsubst src/%.c,build/obj/%.o,$(SRCS))
HDRS := include/gcent.h $(wildcard include/gcent/*.h)

TEST_SRCS := $(wildcard tests/*.c)
TEST_BIN  := build/tests/gcent-tests

# Fuzz targets tests/fuzz/fuzz_<t>.c (see "fuzzing" below); FUZZ_SEEDS_<t>:
# more directories of seed inputs replayed with the target's corpus;
# FUZZ_ARGS_<t>: more libFuzzer options.
FUZZ_TARGETS := api npy
FUZZ_SEEDS_npy := tests/data/npy
FUZZ_ARGS_npy  := -dict=tests/fuzz/npy.dict
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
FUZZ_TIMEOUT ?= 10
FUZZ_FLAGS   := -O1 -g -fno-omit-frame-pointer -fsanitize=fuzzer,address,undefined \
                -fno-sanitize-recover=all
FUZZ_REPLAY  := $(addprefix build/fuzz/replay-,$(FUZZ_TARGETS))
lparen := (
rparen := )

.PHONY: all static shared check check-abi check-asan check-alloc check-tsan check-valgrind check-abidiff abi-baseline coverage fuzz examples demo docs bench install uninstall clean

all: static shared

static: $(STLIB)
shared: $(SHLIB)

build/obj/%.o: src/%.c $(wildcard src/*.h) $(HDRS) | build/obj
	$(CC) $(CPPFLAGS) $(LIB_CFLAGS) $(CFLAGS) $(KERNEL_CFLAGS) -c $< -o $@

# The mixture kernel is always vectorised (-O3 after the user's CFLAGS); it
# carries its own AVX2/AVX-512 clones chosen at run time, never -march=native.
build/obj/mixture.o: KERNEL_CFLAGS = -O3
build/obj/kernel.o: KERNEL_CFLAGS = -O3
build/obj/sliced_lattice.o: KERNEL_CFLAGS = -O3

build/obj build/tests lib:
	mkdir -p $@

$(STLIB): $(OBJS) | lib
	rm -f $@
	$(AR) rcs $@ $(OBJS)

$(SHLIB): $(OBJS) src/libgcent.map | lib
	$(CC) -shared -Wl,-soname,$(SONAME) -Wl,--version-script=src/libgcent.map \
	    -Wl,--no-undefined $(CFLAGS) $(LDFLAGS) -o $@ $(OBJS) $(LIB_LIBS)
	ln -sf libgcent.so.$(VERSION) lib/$(SONAME)
	$(if $(EXTRA_LINK),ln -sf $(SONAME) lib/$(EXTRA_LINK))
	ln -sf libgcent.so.$(VERSION) lib/libgcent.so

# ---- tests -----------------------------------------------------------------
# The suite links the static library so that it can also test internals.
$(TEST_BIN): $(TEST_SRCS) tests/tests.h $(STLIB) | build/tests
	$(CC) $(CPPFLAGS) -std=c11 -Wall -Wextra -D_POSIX_C_SOURCE=200809L -Iinclude -Isrc -Isupport \
	    $(CHECK_CFLAGS) $(CFLAGS) -o $@ $(TEST_SRCS) $(STLIB) $(LDFLAGS) \
	    $(CHECK_LIBS) $(LIB_LIBS)

# tests/test_npy.c includes the examples' .npy reader.
$(TEST_BIN) build/asan/gcent-tests $(COV_DIR)/gcent-tests: support/npy.h

check: $(TEST_BIN) check-abi $(FUZZ_REPLAY)
	$(TEST_BIN)
	@$(foreach t,$(FUZZ_TARGETS),build/fuzz/replay-$(t) tests/fuzz/corpus/$(t) $(FUZZ_SEEDS_$(t)) &&) true

# The whole suite built with AddressSanitizer and UndefinedBehaviorSanitizer
# (library and tests from source, every finding fatal).
ASAN_FLAGS := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
build/asan/gcent-tests: $(SRCS) src/internal.h $(HDRS) $(TEST_SRCS) tests/tests.h Makefile
	@mkdir -p build/asan
	$(CC) $(CPPFLAGS) $(filter-out -fvisibility=hidden,$(LIB_CFLAGS)) -Isrc -Isupport $(CHECK_CFLAGS) \
	    $(ASAN_FLAGS) -o $@ $(SRCS) $(TEST_SRCS) $(CHECK_LIBS) $(LIB_LIBS)

# Allocation-failure injection: the library from source with its allocation
# hook counting (never in the installed library), under ASan/LSan.
build/alloc/alloc-fail: $(SRCS) src/internal.h $(HDRS) tests/alloc/alloc_fail.c Makefile
	@mkdir -p build/alloc
	$(CC) $(CPPFLAGS) $(filter-out -fvisibility=hidden,$(LIB_CFLAGS)) -Isrc $(CHECK_CFLAGS) \
	    -DGCENT_TEST_ALLOC_HOOK $(ASAN_FLAGS) -o $@ $(SRCS) tests/alloc/alloc_fail.c \
	    $(CHECK_LIBS) $(LIB_LIBS)

check-alloc: build/alloc/alloc-fail
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 build/alloc/alloc-fail

# Thread safety: many contexts used at once by several application threads,
# each with the library's own worker threads, under ThreadSanitizer.
# (-DGCENT_NO_CLONES: TSan cannot run the ifunc resolvers of the kernel clones,
# which the loader calls before TSan is initialised; every clone computes the
# same bits, so the plain kernel stands for them.)
TSAN_FLAGS := -O1 -g -fsanitize=thread -DGCENT_NO_CLONES
build/tsan/concurrent: $(SRCS) src/internal.h $(HDRS) tests/tsan/concurrent.c Makefile
	@mkdir -p build/tsan
	$(CC) $(CPPFLAGS) $(filter-out -fvisibility=hidden,$(LIB_CFLAGS)) $(CHECK_CFLAGS) \
	    $(TSAN_FLAGS) -o $@ $(SRCS) tests/tsan/concurrent.c $(CHECK_LIBS) $(LIB_LIBS)

check-tsan: build/tsan/concurrent
	TSAN_OPTIONS=halt_on_error=1 build/tsan/concurrent

check-asan: build/asan/gcent-tests $(addprefix build/asan/replay-,$(FUZZ_TARGETS))
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
	    build/asan/gcent-tests
	@$(foreach t,$(FUZZ_TARGETS),\
	    ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
	    build/asan/replay-$(t) tests/fuzz/corpus/$(t) $(FUZZ_SEEDS_$(t)) &&) true

# ---- fuzzing -------------------------------------------------------------------------
# libFuzzer targets tests/fuzz/fuzz_<t>.c, each with a committed corpus in
# tests/fuzz/corpus/<t>/. make check replays the corpus through
# tests/fuzz/replay.c (a main() that calls LLVMFuzzerTestOneInput on every
# file) built with $(CC); make check-asan does the same under ASan/UBSan.
# make fuzz builds each target with clang, -fsanitize=fuzzer,address,undefined
# (library from source) and runs it for FUZZ_SECONDS on a scratch corpus seeded
# with the committed one; a crash or a slow input (FUZZ_TIMEOUT seconds) is
# written to build/fuzz/<t>-crash-* (or -timeout-*) and fails the target.
build/fuzz/replay-%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c $(STLIB) $(HDRS) support/npy.h
	@mkdir -p build/fuzz
	$(CC) $(CPPFLAGS) -std=c11 -Wall -Wextra -D_POSIX_C_SOURCE=200809L -Iinclude -Isupport \
	    $(CFLAGS) -o $@ $< tests/fuzz/replay.c $(STLIB) $(LDFLAGS) $(LIB_LIBS)

build/asan/replay-%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c $(SRCS) src/internal.h $(HDRS) \
                     support/npy.h Makefile
	@mkdir -p build/asan
	$(CC) $(CPPFLAGS) $(filter-out -fvisibility=hidden,$(LIB_CFLAGS)) -Isupport $(ASAN_FLAGS) \
	    -o $@ $< tests/fuzz/replay.c $(SRCS) $(LIB_LIBS)

build/fuzz/fuzz-%: tests/fuzz/fuzz_%.c $(SRCS) src/internal.h $(HDRS) support/npy.h Makefile
	@mkdir -p build/fuzz
	$(FUZZ_CC) $(CPPFLAGS) $(filter-out -fvisibility=hidden,$(LIB_CFLAGS)) -Isupport $(FUZZ_FLAGS) \
	    -o $@ $< $(SRCS) $(LIB_LIBS)

# One target's run (a piece of the shell line of `fuzz`, st collects failures).
fuzz_one = rm -rf build/fuzz/work-$(1) && mkdir -p build/fuzz/work-$(1); \
    echo "== fuzz_$(1): $(FUZZ_SECONDS) s (log: build/fuzz/$(1).log)"; \
    build/fuzz/fuzz-$(1) -max_total_time=$(FUZZ_SECONDS) -timeout=$(FUZZ_TIMEOUT) \
        -print_final_stats=1 -artifact_prefix=build/fuzz/$(1)- $(FUZZ_ARGS_$(1)) build/fuzz/work-$(1) \
        tests/fuzz/corpus/$(1) $(FUZZ_SEEDS_$(1)) > build/fuzz/$(1).log 2>&1 || st=1; \
    grep -E "^(Done|INFO: seed corpus)|stat::number_of_executed_units|ERROR|SUMMARY|^artifact" \
        build/fuzz/$(1).log;

fuzz: $(addprefix build/fuzz/fuzz-,$(FUZZ_TARGETS))
	@st=0; $(foreach t,$(FUZZ_TARGETS),$(call fuzz_one,$(t))) \
	if [ $$st != 0 ]; then echo "fuzz: a target failed (above; inputs in build/fuzz/)"; fi; \
	exit $$st

# Memcheck: the suite (one process per Check suite, VALGRIND_JOBS at a time,
# CK_FORK=no so that the tests run inside the checked process), the fuzz
# corpora, and the kernel bits compared across instruction sets. Memcheck
# finds memory errors, not statistical ones, and its emulation of FMA makes
# the kernel ~500 times slower than native: GCENT_TEST_LIGHT=1 makes the
# tests whose cost is problem size use smaller sizes (same assertions), and
# two tags leave out (CK_EXCLUDE_TAGS, see tests/tests.h) the cases that are
# long by design (`long`: sizes set by the work chunks, or one path over
# many geometries; they run in make check and check-asan) and those that
# need the real FP environment (`native-fp`: Valgrind emulates neither the
# exception flags nor FTZ/DAZ). The library is the normal build: Valgrind
# hides AVX-512, so the AVX2 kernels run, and tests/valgrind/kernel_bits.c
# checks that they give the bits of the native kernels and of the portable
# ones (-DGCENT_NO_CLONES -DGCENT_PORTABLE_KERNEL).
# Every error is fatal: a leak (definite or possible), an invalid read or
# write, a use of uninitialised memory; the logs are in build/valgrind/log/
# (VALGRIND_EXTRA=--track-origins=yes to trace an uninitialised value).
VALGRIND      ?= valgrind
VALGRIND_JOBS ?= $(shell nproc 2>/dev/null || echo 2)
VALGRIND_EXTRA ?=
VALGRIND_OPTS := -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,possible \
                 --show-leak-kinds=definite,possible --num-callers=30 $(VALGRIND_EXTRA)
# Jobs: every suite of tests/test_*.c, those of VG_SPLIT one job per case
# (suite/case, the cases made by gt_tcase in tests/test_<suite>.c), the
# longest first so that the jobs end together.
VG_SPLIT      := mi
VG_ALL_SUITES = $(shell sed -n 's/.*suite_create("\([^"]*\)").*/\1/p' $(wildcard tests/test_*.c))
VG_CASES      = $(foreach s,$(VG_SPLIT),$(addprefix $(s)/,$(shell \
                    sed -n 's/.*gt_tcase$(lparen)[^,]*, "\([^"]*\)".*/\1/p' tests/test_$(s).c)))
VG_ALL_JOBS   = $(VG_CASES) $(filter-out $(VG_SPLIT),$(VG_ALL_SUITES))
VG_LONG       = $(filter $(VG_ALL_JOBS),mi/identities quadrature mi/references)
VG_JOBS_LIST  = $(VG_LONG) $(filter-out $(VG_LONG),$(VG_ALL_JOBS))
VG_RUN = GCENT_TEST_LIGHT=1 CK_FORK=no CK_EXCLUDE_TAGS="long native-fp" $(VALGRIND) $(VALGRIND_OPTS)

build/valgrind/kernel-bits: tests/valgrind/kernel_bits.c $(STLIB) $(HDRS)
	@mkdir -p build/valgrind
	$(CC) $(CPPFLAGS) -std=c11 -Wall -Wextra -Iinclude $(CFLAGS) -o $@ $< $(STLIB) $(LDFLAGS) $(LIB_LIBS)

build/valgrind/kernel-bits-portable: tests/valgrind/kernel_bits.c $(SRCS) src/internal.h $(HDRS)
	@mkdir -p build/valgrind
	$(CC) $(CPPFLAGS) $(LIB_CFLAGS) $(CFLAGS) -DGCENT_NO_CLONES -DGCENT_PORTABLE_KERNEL \
	    -o $@ $< $(SRCS) $(LDFLAGS) $(LIB_LIBS)

check-valgrind: $(TEST_BIN) $(FUZZ_REPLAY) build/valgrind/kernel-bits build/valgrind/kernel-bits-portable
	@rm -rf build/valgrind/log && mkdir -p build/valgrind/log
	@build/valgrind/kernel-bits > build/valgrind/log/bits-native.txt
	@build/valgrind/kernel-bits-portable > build/valgrind/log/bits-portable.txt
	@$(VALGRIND) $(VALGRIND_OPTS) build/valgrind/kernel-bits > build/valgrind/log/bits-valgrind.txt
	@cmp build/valgrind/log/bits-native.txt build/valgrind/log/bits-portable.txt && \
	    cmp build/valgrind/log/bits-native.txt build/valgrind/log/bits-valgrind.txt || \
	    { echo "check-valgrind: the kernels of the instruction sets give different bits"; exit 1; }
	@echo "check-valgrind: kernel bits equal natively, under Valgrind and portable ($$(wc -l < build/valgrind/log/bits-native.txt) results)"
	@printf '%s\n' $(VG_JOBS_LIST) $(addprefix fuzz-,$(FUZZ_TARGETS)) | \
	    xargs -P $(VALGRIND_JOBS) -I{} sh -c 't0=$$(date +%s); j={}; log=build/valgrind/log/$$(echo $$j | tr / -); \
	    case $$j in \
	        fuzz-*) t=$${j#fuzz-}; seeds=$$(case $$t in $(foreach t,$(FUZZ_TARGETS),$(t)$(rparen) echo "$(FUZZ_SEEDS_$(t))";;) esac); \
	                $(VG_RUN) build/fuzz/replay-$$t tests/fuzz/corpus/$$t $$seeds ;; \
	        */*) CK_RUN_SUITE=$${j%/*} CK_RUN_CASE=$${j#*/} CK_XML_LOG_FILE_NAME=$$log.xml \
	                $(VG_RUN) $(TEST_BIN) ;; \
	        *) CK_RUN_SUITE=$$j CK_XML_LOG_FILE_NAME=$$log.xml $(VG_RUN) $(TEST_BIN) ;; \
	    esac > $$log.log 2>&1; st=$$?; \
	    echo "  $$j: $$(grep -hE "Checks:|^replay:" $$log.log | tail -n 1) ($$(( $$(date +%s) - t0 )) s, status $$st)"; \
	    exit $$st' || { echo "check-valgrind: failures or Valgrind errors (build/valgrind/log/)"; \
	                    grep -l "==[0-9]*==" build/valgrind/log/*.log; exit 1; }
	@echo "check-valgrind: clean (memcheck, $(VALGRIND_JOBS) jobs)"

# Line and branch coverage of src/*.c with gcov alone (no lcov/gcovr): the
# library from source with --coverage -O0, one object per source file under
# build/coverage/obj (where its .gcno/.gcda go), linked into the suite, into
# the allocation-failure binary and into the fuzz replay drivers (the corpora
# make check replays). All share those objects -- built with
# -DGCENT_TEST_ALLOC_HOOK, whose counter never fails an allocation unless a
# test asks it to -- so their counts add up in the same .gcda files. The test
# sources are not instrumented (libgcov only at link). GCENT_NO_CLONES: one
# mixture kernel, not its target_clones. The .gcov files are left in
# build/coverage/gcov; the report ends with the COV_TOP largest runs of
# unexecuted lines. COV_OPT=-O2 makes the run much faster at some cost in
# line accuracy.
COV_DIR    := build/coverage
COV_OBJS   := $(patsubst src/%.c,$(COV_DIR)/obj/%.o,$(SRCS))
COV_OPT    ?= -O0
COV_CFLAGS := $(COV_OPT) -g --coverage -fprofile-abs-path -DGCENT_NO_CLONES -DGCENT_TEST_ALLOC_HOOK
COV_TEST_CFLAGS := -std=c11 -D_POSIX_C_SOURCE=200809L -Iinclude -Isrc -Isupport $(CHECK_CFLAGS) -O2 -g \
                   -DGCENT_TEST_ALLOC_HOOK
COV_TOP    ?= 10
# The -O0 mixture kernel makes the suite several times slower: stretch Check's
# per-test timeouts.
CK_TIMEOUT_MULTIPLIER ?= 10

$(COV_DIR)/obj/%.o: src/%.c src/internal.h $(HDRS)
	@mkdir -p $(COV_DIR)/obj
	$(CC) $(CPPFLAGS) $(LIB_CFLAGS) $(COV_CFLAGS) -c $< -o $@

$(COV_DIR)/gcent-tests: $(COV_OBJS) $(TEST_SRCS) tests/tests.h
	$(CC) $(CPPFLAGS) $(COV_TEST_CFLAGS) -o $@ $(TEST_SRCS) $(COV_OBJS) \
	    $(LDFLAGS) -lgcov $(CHECK_LIBS) $(LIB_LIBS)

$(COV_DIR)/alloc-fail: $(COV_OBJS) tests/alloc/alloc_fail.c
	$(CC) $(CPPFLAGS) $(COV_TEST_CFLAGS) -o $@ tests/alloc/alloc_fail.c $(COV_OBJS) \
	    $(LDFLAGS) -lgcov $(CHECK_LIBS) $(LIB_LIBS)

# The fuzz corpora that make check replays count too.
$(COV_DIR)/replay-%: $(COV_OBJS) tests/fuzz/fuzz_%.c tests/fuzz/replay.c support/npy.h
	$(CC) $(CPPFLAGS) $(COV_TEST_CFLAGS) -Isupport -o $@ tests/fuzz/fuzz_$*.c tests/fuzz/replay.c \
	    $(COV_OBJS) $(LDFLAGS) -lgcov $(LIB_LIBS)

coverage: $(COV_DIR)/gcent-tests $(COV_DIR)/alloc-fail $(addprefix $(COV_DIR)/replay-,$(FUZZ_TARGETS))
	@rm -f $(COV_DIR)/obj/*.gcda
	@rm -rf $(COV_DIR)/gcov && mkdir -p $(COV_DIR)/gcov
	@st=0; \
	echo "== $(COV_DIR)/gcent-tests"; \
	CK_TIMEOUT_MULTIPLIER=$(CK_TIMEOUT_MULTIPLIER) $(COV_DIR)/gcent-tests || st=1; \
	echo "== $(COV_DIR)/alloc-fail"; $(COV_DIR)/alloc-fail || st=1; \
	$(foreach t,$(FUZZ_TARGETS),echo "== $(COV_DIR)/replay-$(t)"; \
	    $(COV_DIR)/replay-$(t) tests/fuzz/corpus/$(t) $(FUZZ_SEEDS_$(t)) || st=1;) \
	cd $(COV_DIR)/gcov && \
	for s in $(SRCS); do gcov -b -c -o ../obj $(CURDIR)/$$s; done > gcov.log 2>&1; \
	echo; \
	awk ' \
	    /^File / { f = $$2; gsub(/\x27/, "", f); keep = (f ~ /(^|\/)src\/[^\/]+\.c$$/); \
	               if (keep) { sub(/.*\//, "", f); name = f; order[++n] = f; } next } \
	    !keep { next } \
	    function cnt(l,  p, t) { p = l; sub(/.*:/, "", p); sub(/%.*/, "", p); \
	                             t = l; sub(/.* of /, "", t); return int(p * t / 100 + 0.5) } \
	    function tot(l,  t) { t = l; sub(/.* of /, "", t); return t + 0 } \
	    /^Lines executed:/      { lt[name] = tot($$0); lc[name] = cnt($$0) } \
	    /^Branches executed:/   { bt[name] = tot($$0); be[name] = cnt($$0) } \
	    /^Taken at least once:/ { bk[name] = cnt($$0) } \
	    function pc(a, b) { return b ? sprintf("%6.1f%%", 100 * a / b) : "     -" } \
	    END { fmt = "%-14s %6s %6s %7s   %6s %7s %7s\n"; \
	          printf fmt, "file", "lines", "hit", "line%", "branch", "exec%", "taken%"; \
	          for (i = 1; i <= n; i++) { f = order[i]; \
	              printf fmt, f, lt[f], lc[f], pc(lc[f], lt[f]), bt[f] + 0, pc(be[f], bt[f]), pc(bk[f], bt[f]); \
	              L += lt[f]; LC += lc[f]; B += bt[f]; BE += be[f]; BK += bk[f] } \
	          printf fmt, "TOTAL", L, LC, pc(LC, L), B, pc(BE, B), pc(BK, B) }' gcov.log; \
	echo; echo "Largest runs of unexecuted lines (blank/non-code lines inside a run allowed; all in $(COV_DIR)/gcov/*.gcov):"; \
	for g in *.c.gcov; do awk -v F="src/$${g%.gcov}" -F: ' \
	    { c = $$1; gsub(/ /, "", c); ln = $$2 + 0 } \
	    ln == 0 { next } \
	    c == "#####" || c == "=====" { if (!s) s = ln; e = ln; k++; next } \
	    c == "-" { next } \
	    { if (s) print k, F ":" s "-" e; s = 0; k = 0 } \
	    END { if (s) print k, F ":" s "-" e }' $$g; done \
	  | sort -k1,1nr -k2 | head -n $(COV_TOP) | awk '{ printf "  %4d lines  %s\n", $$1, $$2 }'; \
	exit $$st

# Only gcent_* (and the version nodes) may leave the shared object, and the
# list must equal the committed one. And the library must leave the caller's
# floating-point environment alone: no crtfastmath.o (linked into a shared
# object by -ffast-math/-Ofast, its constructor sets FTZ/DAZ for the whole
# process), no fast-math flag among the recorded compiler options, and
# dlopen() of the library changes no FP control bit (tests/abi/fpenv_load.c,
# built without the user's CFLAGS so that it cannot carry crtfastmath itself).
FAST_MATH_FLAGS := -ffast-math|-Ofast|-funsafe-math-optimizations|-ffinite-math-only|-fassociative-math|-freciprocal-math|-fno-signed-zeros
build/abi/fpenv-load: tests/abi/fpenv_load.c
	@mkdir -p build/abi
	$(CC) -std=c11 -Wall -Wextra -O1 -o $@ $< -ldl -lm

check-abi: $(SHLIB) build/abi/fpenv-load
	@if nm $(SHLIB) 2>/dev/null | grep -qw set_fast_math; then \
	    echo "check-abi: crtfastmath.o is linked into $(SHLIB) (-ffast-math or -Ofast at link time)"; \
	    exit 1; fi
	@if readelf --debug-dump=info $(SHLIB) 2>/dev/null | grep DW_AT_producer | \
	    grep -Eq -- '$(FAST_MATH_FLAGS)'; then \
	    echo "check-abi: $(SHLIB) was compiled with a fast-math flag:"; \
	    readelf --debug-dump=info $(SHLIB) | grep DW_AT_producer | grep -Eo -- '$(FAST_MATH_FLAGS)' | sort -u; \
	    exit 1; fi
	@build/abi/fpenv-load $(CURDIR)/$(SHLIB) || \
	    { echo "check-abi: loading $(SHLIB) changes the floating-point environment"; exit 1; }
	@nm -D --defined-only $(SHLIB) | awk '{print $$3}' | grep -v '^GCENT_[0-9.]*$$' \
	    | sed 's/@.*//' | LC_ALL=C sort -u > build/exported.symbols
	@if grep -v '^gcent_' build/exported.symbols; then \
	    echo "check-abi: symbols outside gcent_* are exported (above)"; exit 1; fi
	@if ! diff -u src/libgcent.symbols build/exported.symbols; then \
	    echo "check-abi: exported symbols differ from src/libgcent.symbols"; exit 1; fi
	@readelf -d $(SHLIB) | grep -q "SONAME.*\[$(SONAME)\]" || \
	    { echo "check-abi: SONAME is not $(SONAME)"; exit 1; }
	@echo "check-abi: $$(wc -l < build/exported.symbols) symbols, all gcent_*, SONAME $(SONAME), no fast-math"

# ABI against the last release of the same SONAME series: abidiff (Debian
# abigail-tools) of the built library against the abidw baseline
# abi/libgcent-<release>.abi with the highest version whose SONAME is ours
# (SOVER.*). Added functions and appended enumerators are allowed
# (--no-added-syms; libabigail counts enumerator insertions as harmless). Any
# other change fails: removed or re-versioned symbols (abidiff bit 8,
# incompatible), and changes to the existing interface -- parameter or return
# types, sizes or layouts of public structs, enumerator values (bit 4, which
# libabigail leaves for review; for a C library they break callers); bits 1
# and 2 are tool errors. Needs -g in CFLAGS (the default). A new baseline is
# written at release time by `make abi-baseline`.
ABIDW_FLAGS := --headers-dir include --drop-private-types --no-corpus-path \
               --no-comp-dir-path --short-locs --type-id-style hash
check-abidiff: $(SHLIB)
	@base=$$(ls abi/libgcent-$(SOVER).*.abi 2>/dev/null | sort -V | tail -n 1); \
	if [ -z "$$base" ]; then \
	    echo "check-abidiff: no baseline abi/libgcent-$(SOVER).*.abi (first release of SONAME $(SONAME))"; \
	    exit 0; fi; \
	rc=0; abidiff --no-added-syms --drop-private-types --fail-no-debug-info \
	    --headers-dir2 include "$$base" $(SHLIB) > build/abidiff.txt 2>&1 || rc=$$?; \
	if [ $$rc != 0 ]; then cat build/abidiff.txt; fi; \
	if [ $$((rc & 3)) != 0 ]; then echo "check-abidiff: abidiff failed (status $$rc)"; exit 1; fi; \
	if [ $$((rc & 8)) != 0 ]; then echo "check-abidiff: incompatible with $$base (above)"; exit 1; fi; \
	if [ $$((rc & 4)) != 0 ]; then \
	    echo "check-abidiff: the released interface changed since $$base (above)"; exit 1; fi; \
	echo "check-abidiff: compatible with $$base (added symbols allowed)"

abi-baseline: $(SHLIB)
	@mkdir -p abi
	abidw $(ABIDW_FLAGS) $(SHLIB) > abi/libgcent-$(VERSION).abi

# ---- pkg-config ----------------------------------------------------------------
# Requires.private names the BLAS modules when their .pc files exist, otherwise
# the flags go to Libs.private directly (pkgconf fails on missing modules).
PC_REQUIRES := $(shell $(PKG_CONFIG) --exists lapacke $(BLAS_PC) 2>/dev/null && echo "lapacke $(BLAS_PC)")
ifeq ($(PC_REQUIRES),)
PC_LIBS_PRIVATE := $(BLAS_LIBS) $(THREAD_LIBS) -lm
else
PC_LIBS_PRIVATE := $(THREAD_LIBS) -lm
endif

build/gcent.pc: pkgconfig/gcent.pc.in $(VERSION_H) Makefile
	@mkdir -p build
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' \
	    -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' -e 's|@VERSION@|$(VERSION)|' \
	    -e 's|@REQUIRES_PRIVATE@|$(PC_REQUIRES)|' \
	    -e 's|@LIBS_PRIVATE@|$(PC_LIBS_PRIVATE)|' $< > $@

.PHONY: build/gcent.pc

# ---- install ------------------------------------------------------------------
install: all build/gcent.pc
	install -d $(DESTDIR)$(INCLUDEDIR)/gcent $(DESTDIR)$(LIBDIR) $(DESTDIR)$(PKGCONFIGDIR)
	install -m 644 include/gcent.h $(DESTDIR)$(INCLUDEDIR)/gcent.h
	install -m 644 $(wildcard include/gcent/*.h) $(DESTDIR)$(INCLUDEDIR)/gcent/
	install -m 644 $(STLIB) $(DESTDIR)$(LIBDIR)/libgcent.a
	install -m 755 $(SHLIB) $(DESTDIR)$(LIBDIR)/libgcent.so.$(VERSION)
	ln -sf libgcent.so.$(VERSION) $(DESTDIR)$(LIBDIR)/$(SONAME)
	$(if $(EXTRA_LINK),ln -sf $(SONAME) $(DESTDIR)$(LIBDIR)/$(EXTRA_LINK))
	ln -sf libgcent.so.$(VERSION) $(DESTDIR)$(LIBDIR)/libgcent.so
	install -m 644 build/gcent.pc $(DESTDIR)$(PKGCONFIGDIR)/gcent.pc

uninstall:
	rm -f $(DESTDIR)$(INCLUDEDIR)/gcent.h
	rm -f $(addprefix $(DESTDIR)$(INCLUDEDIR)/gcent/,$(notdir $(wildcard include/gcent/*.h)))
	-rmdir $(DESTDIR)$(INCLUDEDIR)/gcent 2>/dev/null
	rm -f $(DESTDIR)$(LIBDIR)/libgcent.a $(DESTDIR)$(LIBDIR)/libgcent.so \
	      $(if $(EXTRA_LINK),$(DESTDIR)$(LIBDIR)/$(EXTRA_LINK)) $(DESTDIR)$(LIBDIR)/$(SONAME) \
	      $(DESTDIR)$(LIBDIR)/libgcent.so.$(VERSION)
	rm -f $(DESTDIR)$(PKGCONFIGDIR)/gcent.pc

# ---- examples (built against an installed copy, through pkg-config only) --------
STAGE := $(CURDIR)/build/stage
examples:
	$(MAKE) install PREFIX=$(STAGE) DESTDIR=
	PKG_CONFIG_PATH=$(STAGE)/lib/pkgconfig $(MAKE) -C examples \
	    LDFLAGS="$(LDFLAGS) -Wl,-rpath,$(STAGE)/lib"

# The information plane of the noisy 12-bit network, shortened schedule
# (the full default of noisy_mlp is 5000 epochs, 60 points, k = 8).
DEMO_OUT ?= $(CURDIR)/build/demo
DEMO_ARGS ?= --epochs 3000 --points 50 --k 8
demo: examples
	examples/noisy_mlp --out $(DEMO_OUT) $(DEMO_ARGS)
	@echo "demo: the pictures (*.png) and noisy_mlp.csv are in $(DEMO_OUT)"

# ---- benchmark (bench/README.md) ------------------------------------------------
# Linked against the built static library (like the tests), with the library's
# flags (-O2 by default, never -march=native). The NumPy/SciPy peer runs in the
# same run: PYTHON must have numpy and scipy (Debian: python3-numpy
# python3-scipy). BENCH_QUICK=1: a tiny grid in seconds (what CI runs).
PYTHON ?= /usr/bin/python3
BENCH_BIN := build/bench/gcent-bench
$(BENCH_BIN): bench/bench.c support/mlp.h support/szt12.h $(STLIB) $(HDRS)
	@mkdir -p build/bench
	$(CC) $(CPPFLAGS) -std=c11 -Wall -Wextra -Wpedantic -Iinclude -Isupport $(BLAS_CFLAGS) $(CFLAGS) -o $@ \
	    bench/bench.c $(STLIB) $(LDFLAGS) $(LIB_LIBS)

bench: $(BENCH_BIN)
	$(BENCH_BIN) $(if $(BENCH_QUICK),--quick) --python $(PYTHON) --peer bench/peer.py

# ---- documentation ---------------------------------------------------------------
docs:
	rm -rf build/docs && mkdir -p build/docs
	( cat docs/Doxyfile; echo "PROJECT_NUMBER = $(VERSION)" ) | doxygen -
	@echo "API reference: build/docs/html/index.html, man pages: build/docs/man"

clean:
	rm -rf build lib/libgcent.*
	-$(MAKE) -C examples clean
