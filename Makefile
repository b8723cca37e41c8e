# libgcent -- plain GNU Makefile.
# Targets: all (static shared cli) static shared cli check check-abi examples demo docs
#          bench install uninstall clean distclean engine-ref check-asan check-alloc
#          check-tsan check-valgrind check-abidiff coverage fuzz
# Honours PREFIX, DESTDIR, LIBDIR, INCLUDEDIR, PKGCONFIGDIR, BINDIR, MANDIR, CMAKEDIR,
# CC, CFLAGS, CPPFLAGS, LDFLAGS.
# BLAS: BLAS_PC names the pkg-config module of the BLAS to link (default `blas`,
# which is OpenBLAS or the reference BLAS on Debian, CBLAS included); or set
# BLAS_LIBS directly.
#
# Every object is compiled with -MMD -MP (the .d files beside the objects are
# included at the end), so a changed header rebuilds exactly what includes it.
# Each compiled variant (library, tests and tools, sanitizers, coverage, fuzz)
# has its own object tree under build/, and a flags stamp (build/flags.stamp,
# plus build/coverage/flags.stamp and build/fuzz/flags.stamp for their own
# settings) whose content is every setting that changes the compiled code:
# a different CC, CFLAGS, CPPFLAGS, LDFLAGS or BLAS flags rebuilds the objects.
# Programs too long for a recipe (the Valgrind driver, the coverage report,
# CI's numeric checks) are in scripts/.

PREFIX       ?= /usr/local
LIBDIR       ?= $(PREFIX)/lib
INCLUDEDIR   ?= $(PREFIX)/include
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
BINDIR       ?= $(PREFIX)/bin
MANDIR       ?= $(PREFIX)/share/man
CMAKEDIR     ?= $(LIBDIR)/cmake/gcent
DESTDIR      ?=

CC      ?= cc
CFLAGS  ?= -O2 -g
PKG_CONFIG ?= pkg-config
DOXYGEN ?= doxygen
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
# The library's flags without hidden visibility: sanitizer and fuzz builds
# link the objects straight into the test programs.
LIB_CFLAGS_OPEN := $(filter-out -fvisibility=hidden,$(LIB_CFLAGS))

SRCS := $(wildcard src/*.c)
OBJS := $(patsubst src/%.c,build/obj/%.o,$(SRCS))
HDRS := include/gcent.h $(wildcard include/gcent/*.h)

DOCS_STAMP := build/docs/stamp

TEST_SRCS := $(wildcard tests/*.c) tests/ref/engine_cases.c
TEST_BIN  := build/tests/gcent-tests

# Code shared by the examples, the tests, the benchmark, the fuzzers and the
# CLI (support/*.c: the .npy reader, the noisy MLP, the 12-bit set, the
# information-plane experiment), compiled once per variant into an archive
# <variant>/libsupport.a that those programs link (they take only the members
# they use).
SUPPORT_SRCS := $(wildcard support/*.c)

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
                -fno-sanitize-recover=all -DGCENT_KERNEL_ONE_WIDTH
FUZZ_REPLAY  := $(addprefix build/fuzz/replay-,$(FUZZ_TARGETS))
empty :=
space := $(empty) $(empty)

# Sanitizer flags (make check-asan, check-alloc, check-tsan).
# (-DGCENT_KERNEL_ONE_WIDTH, here and in the coverage and fuzz builds: the
# kernel without its copies for each width 1-12, which these compilers take
# over 12 minutes to build; the generic-width copy does the same operations,
# see src/kernel_body.h.)
ASAN_FLAGS := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all \
              -DGCENT_KERNEL_ONE_WIDTH
# (-DGCENT_NO_CLONES: TSan cannot run the ifunc resolvers of the kernel clones,
# which the loader calls before TSan is initialised; every clone computes the
# same bits, so the plain kernel stands for them.)
TSAN_FLAGS := -O1 -g -fsanitize=thread -DGCENT_NO_CLONES -DGCENT_KERNEL_ONE_WIDTH

# Coverage settings (make coverage, below).
COV_DIR    := build/coverage
COV_OPT    ?= -O0
COV_CFLAGS := $(COV_OPT) -g --coverage -fprofile-abs-path -DGCENT_NO_CLONES -DGCENT_TEST_ALLOC_HOOK \
              -DGCENT_KERNEL_ONE_WIDTH

.PHONY: all static shared cli check check-abi check-asan check-alloc check-tsan check-valgrind \
        check-abidiff abi-baseline coverage fuzz examples demo docs bench install uninstall \
        clean distclean engine-ref check-headers
.DELETE_ON_ERROR:
# Objects reached only through pattern rules stay (incremental builds).
.SECONDARY:

all: static shared cli

static: $(STLIB)
shared: $(SHLIB)

# ---- dependency tracking and flag stamps ------------------------------------------
DEPFLAGS := -MMD -MP
# The flag stamps are written when the Makefile is read (end of this file):
# objects depend on them, and a stamp's file changes only when its content
# (the settings below) does. build/flags.stamp: everything but coverage and
# fuzz, which have their own (COV_OPT and FUZZ_CC are set per run).
FLAGS_STAMP := build/flags.stamp
FLAGS_TEXT = CC=$(CC) CPPFLAGS=$(CPPFLAGS) CFLAGS=$(CFLAGS) LDFLAGS=$(LDFLAGS) AR=$(AR) \
    LIB_CFLAGS=$(LIB_CFLAGS) LIB_LIBS=$(LIB_LIBS) CHECK_CFLAGS=$(CHECK_CFLAGS) \
    CHECK_LIBS=$(CHECK_LIBS) PLAIN_CFLAGS=$(PLAIN_CFLAGS) ASAN_FLAGS=$(ASAN_FLAGS) \
    TSAN_FLAGS=$(TSAN_FLAGS) KERNEL_OPT=$(KERNEL_OPT)
shquote = '$(subst ','\'',$(1))'
# $(call write_stamp,FILE,TEXT): write TEXT into FILE unless it holds it already.
write_stamp = $(shell mkdir -p $(dir $(1)); t=$(call shquote,$(2)); \
    if [ "$$t" != "$$(cat $(1) 2>/dev/null)" ]; then \
        [ ! -f $(1) ] || echo "$(1): build settings changed, rebuilding" >&2; \
        printf '%s\n' "$$t" > $(1); fi)

# ---- the library ---------------------------------------------------------------------
build/obj/%.o: src/%.c $(FLAGS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(LIB_CFLAGS) $(CFLAGS) $(KERNEL_CFLAGS) $(DEPFLAGS) -c $< -o $@

# The mixture kernel is always vectorised (-O3 after the user's CFLAGS); it
# carries its own AVX2/AVX-512 clones chosen at run time, never -march=native.
KERNEL_OPT := -O3
build/obj/kernel.o build/obj/kdtree.o build/obj/pack.o build/obj/prune.o \
    build/obj/sliced_lattice.o: \
    KERNEL_CFLAGS = $(KERNEL_OPT)

$(STLIB): $(OBJS)
	@mkdir -p $(@D)
	rm -f $@
	$(AR) rcs $@ $(OBJS)

$(SHLIB): $(OBJS) src/libgcent.map $(FLAGS_STAMP)
	@mkdir -p $(@D)
	$(CC) -shared -Wl,-soname,$(SONAME) -Wl,--version-script=src/libgcent.map \
	    -Wl,--no-undefined $(CFLAGS) $(LDFLAGS) -o $@ $(OBJS) $(LIB_LIBS)
	ln -sf libgcent.so.$(VERSION) lib/$(SONAME)
	$(if $(EXTRA_LINK),ln -sf $(SONAME) lib/$(EXTRA_LINK))
	ln -sf libgcent.so.$(VERSION) lib/libgcent.so

# ---- tests, tools, support code (the user's compiler and flags) -------------------------
# build/plain/X.o from X.c for the tests, the benchmark, the CLI, the fuzz
# replay drivers and support/: the user's CC and CFLAGS, no library-internal
# flags; tests/ also see src/ (they test internals) and Check.
PLAIN_CFLAGS := -std=c11 -Wall -Wextra -D_POSIX_C_SOURCE=200809L -Iinclude -Isupport $(BLAS_CFLAGS)
build/plain/%.o: %.c $(FLAGS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(PLAIN_CFLAGS) $(PLAIN_EXTRA) $(CFLAGS) $(DEPFLAGS) -c $< -o $@
build/plain/tests/%.o: PLAIN_EXTRA = -Isrc -Itests/ref $(CHECK_CFLAGS)
build/plain/bench/%.o: PLAIN_EXTRA = -Wpedantic -Isrc
build/plain/support/%.o: PLAIN_EXTRA = -Wpedantic

# <variant>/libsupport.a: the objects of support/*.c of that variant.
%/libsupport.a:
	@mkdir -p $(@D)
	rm -f $@
	$(AR) rcs $@ $^
build/plain/libsupport.a: $(patsubst %.c,build/plain/%.o,$(SUPPORT_SRCS))

# ---- tests -----------------------------------------------------------------
# The suite links the static library so that it can also test internals.
TEST_OBJS := $(patsubst %.c,build/plain/%.o,$(TEST_SRCS))
$(TEST_BIN): $(TEST_OBJS) build/plain/libsupport.a $(STLIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $(TEST_OBJS) build/plain/libsupport.a $(STLIB) $(LDFLAGS) \
	    $(CHECK_LIBS) $(LIB_LIBS)

check: $(TEST_BIN) check-abi $(FUZZ_REPLAY)
	$(TEST_BIN)
	@$(foreach t,$(FUZZ_TARGETS),build/fuzz/replay-$(t) tests/fuzz/corpus/$(t) $(FUZZ_SEEDS_$(t)) &&) true

# ---- sanitizer builds -------------------------------------------------------
# Each variant compiles the library from source, with the tests (and the
# support code) under the same flags, into build/<variant>/.
#
# asan: the whole suite with AddressSanitizer and UndefinedBehaviorSanitizer
# (library and tests from source, every finding fatal).
ASAN_CFLAGS := $(LIB_CFLAGS_OPEN) -Isrc -Isupport -Itests/ref $(CHECK_CFLAGS) $(ASAN_FLAGS)
build/asan/%.o: %.c $(FLAGS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(ASAN_CFLAGS) $(DEPFLAGS) -c $< -o $@
ASAN_LIB_OBJS := $(patsubst %.c,build/asan/%.o,$(SRCS))
build/asan/libsupport.a: $(patsubst %.c,build/asan/%.o,$(SUPPORT_SRCS))
build/asan/gcent-tests: $(ASAN_LIB_OBJS) $(patsubst %.c,build/asan/%.o,$(TEST_SRCS)) \
                        build/asan/libsupport.a
	@mkdir -p $(@D)
	$(CC) $(ASAN_FLAGS) -o $@ $(filter %.o,$^) build/asan/libsupport.a $(CHECK_LIBS) $(LIB_LIBS)

# alloc: allocation-failure injection: the library from source with its
# allocation hook counting (never in the installed library), under ASan/LSan.
ALLOC_CFLAGS := $(LIB_CFLAGS_OPEN) -Isrc $(CHECK_CFLAGS) -DGCENT_TEST_ALLOC_HOOK $(ASAN_FLAGS)
build/alloc/%.o: %.c $(FLAGS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(ALLOC_CFLAGS) $(DEPFLAGS) -c $< -o $@
build/alloc/alloc-fail: $(patsubst %.c,build/alloc/%.o,$(SRCS) tests/alloc/alloc_fail.c)
	@mkdir -p $(@D)
	$(CC) $(ASAN_FLAGS) -o $@ $^ $(CHECK_LIBS) $(LIB_LIBS)

check-alloc: build/alloc/alloc-fail
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 build/alloc/alloc-fail

# tsan: thread safety: many contexts used at once by several application
# threads, each with the library's own worker threads, under ThreadSanitizer.
TSAN_CFLAGS := $(LIB_CFLAGS_OPEN) $(CHECK_CFLAGS) $(TSAN_FLAGS)
build/tsan/%.o: %.c $(FLAGS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(TSAN_CFLAGS) $(DEPFLAGS) -c $< -o $@
build/tsan/concurrent: $(patsubst %.c,build/tsan/%.o,$(SRCS) tests/tsan/concurrent.c)
	@mkdir -p $(@D)
	$(CC) $(TSAN_FLAGS) -o $@ $^ $(CHECK_LIBS) $(LIB_LIBS)

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
build/fuzz/replay-%: build/plain/tests/fuzz/fuzz_%.o build/plain/tests/fuzz/replay.o \
                     build/plain/libsupport.a $(STLIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $(filter %.o,$^) build/plain/libsupport.a $(STLIB) $(LDFLAGS) $(LIB_LIBS)

build/asan/replay-%: build/asan/tests/fuzz/fuzz_%.o build/asan/tests/fuzz/replay.o \
                     $(ASAN_LIB_OBJS) build/asan/libsupport.a
	@mkdir -p $(@D)
	$(CC) $(ASAN_FLAGS) -o $@ $(filter %.o,$^) build/asan/libsupport.a $(LIB_LIBS)

# The fuzz builds: $(FUZZ_CC), library and support from source, their own stamp.
FUZZ_CFLAGS := $(LIB_CFLAGS_OPEN) -Isupport $(FUZZ_FLAGS)
build/fuzz/obj/%.o: %.c $(FLAGS_STAMP) build/fuzz/flags.stamp
	@mkdir -p $(@D)
	$(FUZZ_CC) $(CPPFLAGS) $(FUZZ_CFLAGS) $(DEPFLAGS) -c $< -o $@
build/fuzz/obj/libsupport.a: $(patsubst %.c,build/fuzz/obj/%.o,$(SUPPORT_SRCS))
build/fuzz/fuzz-%: build/fuzz/obj/tests/fuzz/fuzz_%.o $(patsubst %.c,build/fuzz/obj/%.o,$(SRCS)) \
                   build/fuzz/obj/libsupport.a
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_FLAGS) -o $@ $(filter %.o,$^) build/fuzz/obj/libsupport.a $(LIB_LIBS)

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

# Memcheck (scripts/check-valgrind.sh says what runs and how): the suite,
# one process per Check suite (per case for VG_SPLIT), VALGRIND_JOBS at a
# time, the longest (VG_LONG) first; the fuzz corpora; and the kernel bits
# compared across instruction sets. The library is the normal build; the
# portable kernel is built apart (-DGCENT_NO_CLONES -DGCENT_PORTABLE_KERNEL).
# Logs in build/valgrind/log/ (VALGRIND_EXTRA=--track-origins=yes to trace an
# uninitialised value).
VALGRIND      ?= valgrind
VALGRIND_JOBS ?= $(shell nproc 2>/dev/null || echo 2)
VALGRIND_EXTRA ?=
VG_SPLIT      := mi
VG_LONG       := mi/identities quadrature mi/references

build/valgrind/kernel-bits: build/plain/tests/valgrind/kernel_bits.o $(STLIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $< $(STLIB) $(LDFLAGS) $(LIB_LIBS)

VGPORT_CFLAGS := $(LIB_CFLAGS) -DGCENT_NO_CLONES -DGCENT_PORTABLE_KERNEL
build/valgrind/portable/%.o: %.c $(FLAGS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(VGPORT_CFLAGS) $(CFLAGS) $(DEPFLAGS) -c $< -o $@
build/valgrind/kernel-bits-portable: $(patsubst %.c,build/valgrind/portable/%.o,\
                                       $(SRCS) tests/valgrind/kernel_bits.c)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $^ $(LDFLAGS) $(LIB_LIBS)

check-valgrind: $(TEST_BIN) $(FUZZ_REPLAY) build/valgrind/kernel-bits build/valgrind/kernel-bits-portable
	@VALGRIND="$(VALGRIND)" VALGRIND_EXTRA="$(VALGRIND_EXTRA)" scripts/check-valgrind.sh \
	    -j $(VALGRIND_JOBS) -l build/valgrind/log $(addprefix -s ,$(VG_SPLIT)) \
	    $(addprefix -L ,$(VG_LONG)) \
	    -k build/valgrind/kernel-bits -p build/valgrind/kernel-bits-portable \
	    $(foreach t,$(FUZZ_TARGETS),-r $(subst $(space),:,$(strip build/fuzz/replay-$(t) \
	        tests/fuzz/corpus/$(t) $(FUZZ_SEEDS_$(t))))) \
	    $(TEST_BIN)

# Line and branch coverage of src/*.c with gcov alone (no lcov/gcovr): the
# library from source with --coverage (COV_OPT, default -O0), one object per
# source file under build/coverage/obj (where its .gcno/.gcda go), linked into
# the suite, into the allocation-failure binary and into the fuzz replay
# drivers (the corpora make check replays). All share those objects -- built
# with -DGCENT_TEST_ALLOC_HOOK, whose counter never fails an allocation unless
# a test asks it to -- so their counts add up in the same .gcda files. The
# test and support sources are not instrumented (build/coverage/t/, libgcov
# only at link). GCENT_NO_CLONES: one mixture kernel, not its target_clones.
# scripts/coverage-report.sh prints the table and the COV_TOP largest runs of
# unexecuted lines; the .gcov files are left in build/coverage/gcov.
# COV_OPT=-O2 makes the run much faster at some cost in line accuracy.
COV_OBJS   := $(patsubst src/%.c,$(COV_DIR)/obj/%.o,$(SRCS))
COV_TEST_CFLAGS := -std=c11 -D_POSIX_C_SOURCE=200809L -Iinclude -Isrc -Isupport -Itests/ref $(CHECK_CFLAGS) \
                   $(BLAS_CFLAGS) -O2 -g -DGCENT_TEST_ALLOC_HOOK
COV_TOP    ?= 10
# The -O0 mixture kernel makes the suite several times slower: stretch Check's
# per-test timeouts.
CK_TIMEOUT_MULTIPLIER ?= 10

$(COV_DIR)/obj/%.o: src/%.c $(FLAGS_STAMP) $(COV_DIR)/flags.stamp
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(LIB_CFLAGS) $(COV_CFLAGS) $(DEPFLAGS) -c $< -o $@
$(COV_DIR)/t/%.o: %.c $(FLAGS_STAMP) $(COV_DIR)/flags.stamp
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(COV_TEST_CFLAGS) $(DEPFLAGS) -c $< -o $@
$(COV_DIR)/t/libsupport.a: $(patsubst %.c,$(COV_DIR)/t/%.o,$(SUPPORT_SRCS))

$(COV_DIR)/gcent-tests: $(patsubst %.c,$(COV_DIR)/t/%.o,$(TEST_SRCS)) $(COV_OBJS) \
                        $(COV_DIR)/t/libsupport.a
	@mkdir -p $(@D)
	$(CC) -o $@ $(filter %.o,$^) $(COV_DIR)/t/libsupport.a $(LDFLAGS) -lgcov $(CHECK_LIBS) $(LIB_LIBS)

$(COV_DIR)/alloc-fail: $(COV_DIR)/t/tests/alloc/alloc_fail.o $(COV_OBJS)
	@mkdir -p $(@D)
	$(CC) -o $@ $^ $(LDFLAGS) -lgcov $(CHECK_LIBS) $(LIB_LIBS)

# The fuzz corpora that make check replays count too.
$(COV_DIR)/replay-%: $(COV_DIR)/t/tests/fuzz/fuzz_%.o $(COV_DIR)/t/tests/fuzz/replay.o $(COV_OBJS) \
                     $(COV_DIR)/t/libsupport.a
	@mkdir -p $(@D)
	$(CC) -o $@ $(filter %.o,$^) $(COV_DIR)/t/libsupport.a $(LDFLAGS) -lgcov $(LIB_LIBS)

coverage: $(COV_DIR)/gcent-tests $(COV_DIR)/alloc-fail $(addprefix $(COV_DIR)/replay-,$(FUZZ_TARGETS))
	@rm -f $(COV_DIR)/obj/*.gcda
	@st=0; \
	echo "== $(COV_DIR)/gcent-tests"; \
	CK_TIMEOUT_MULTIPLIER=$(CK_TIMEOUT_MULTIPLIER) $(COV_DIR)/gcent-tests || st=1; \
	echo "== $(COV_DIR)/alloc-fail"; $(COV_DIR)/alloc-fail || st=1; \
	$(foreach t,$(FUZZ_TARGETS),echo "== $(COV_DIR)/replay-$(t)"; \
	    $(COV_DIR)/replay-$(t) tests/fuzz/corpus/$(t) $(FUZZ_SEEDS_$(t)) || st=1;) \
	echo; scripts/coverage-report.sh -n $(COV_TOP) $(COV_DIR)/obj $(COV_DIR)/gcov $(SRCS) || st=1; \
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

# ---- pkg-config and CMake package files -------------------------------------------
# Written from their templates with the install paths; build/paths.stamp
# (written when the Makefile is read, like the flag stamps) holds those
# paths and the link flags, so the files are rewritten when either changes.
PATHS_STAMP := build/paths.stamp
PATHS_TEXT = PREFIX=$(PREFIX) LIBDIR=$(LIBDIR) INCLUDEDIR=$(INCLUDEDIR) BLAS_LIBS=$(BLAS_LIBS) \
    THREAD_LIBS=$(THREAD_LIBS)
# The BLAS/LAPACKE link flags go to Libs.private (not Requires.private, which
# would make `pkg-config --cflags gcent` add their include paths, although the
# headers need no BLAS): `pkg-config --static --libs gcent` stays complete.
PC_LIBS_PRIVATE := $(BLAS_LIBS) $(THREAD_LIBS) -lm

build/gcent.pc: pkgconfig/gcent.pc.in $(VERSION_H) $(PATHS_STAMP)
	@mkdir -p build
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' \
	    -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' -e 's|@VERSION@|$(VERSION)|' \
	    -e 's|@LIBS_PRIVATE@|$(PC_LIBS_PRIVATE)|' $< > $@

# CMake: gcentConfig.cmake (imported targets gcent::gcent and
# gcent::gcent_static) and gcentConfigVersion.cmake, installed to CMAKEDIR.
# The static target's INTERFACE_LINK_LIBRARIES: the library's link flags as a
# CMake list.
CMAKE_STATIC_LIBS = $(strip $(BLAS_LIBS) $(THREAD_LIBS) -lm)
SIZEOF_VOID_P = $(shell printf '__SIZEOF_POINTER__\n' | $(CC) -E -P -x c - 2>/dev/null | tail -n 1)
CMAKE_SED = sed -e 's|@VERSION@|$(VERSION)|g' -e 's|@VMAJOR@|$(VMAJOR)|g' \
    -e 's|@VMINOR@|$(VMINOR)|g' -e 's|@SONAME@|$(SONAME)|g' -e 's|@LIBDIR@|$(LIBDIR)|g' \
    -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|g' -e 's|@STATIC_LIBS_TEXT@|$(CMAKE_STATIC_LIBS)|g' \
    -e 's|@STATIC_LIBS_LIST@|$(subst $(space),;,$(CMAKE_STATIC_LIBS))|g' \
    -e 's|@SIZEOF_VOID_P@|$(SIZEOF_VOID_P)|g'
build/cmake/%.cmake: cmake/%.cmake.in $(VERSION_H) $(PATHS_STAMP)
	@mkdir -p $(@D)
	$(CMAKE_SED) $< > $@
CMAKE_FILES := build/cmake/gcentConfig.cmake build/cmake/gcentConfigVersion.cmake

# ---- the command-line tool --------------------------------------------------------
# gcent-estimate (examples/gcent-estimate.c and support/), built against the
# library just built and installed into BINDIR by `make install`. It links
# libgcent statically (BLAS, LAPACKE, pthread and libm dynamically): the
# installed program needs no RUNPATH and no libgcent.so, runs from any prefix
# (also a DESTDIR staging tree that is moved), and always uses the library it
# was built with. Its manual page, docs/man/gcent-estimate.1, is written by
# hand (scripts/check-man-options.sh checks it lists the options of --help).
CLI_BIN := build/bin/gcent-estimate
cli: $(CLI_BIN)
$(CLI_BIN): build/plain/examples/gcent-estimate.o build/plain/libsupport.a $(STLIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $< build/plain/libsupport.a $(STLIB) $(LDFLAGS) $(LIB_LIBS)

# ---- install ------------------------------------------------------------------
# Headers, libgcent.a and .so (with its links), gcent.pc, the CMake package,
# gcent-estimate and its man page, and the API's man3 pages: those
# `make docs` writes with Doxygen, all named gcent* or GCENT_* (no generic
# page names; scripts/man3-pages.sh). When Doxygen is found, install
# (re)builds them first; otherwise it installs those of an earlier
# `make docs`, if any, and says so. INSTALL_MAN3=no leaves them out.
MAN1DIR := $(MANDIR)/man1
MAN3DIR := $(MANDIR)/man3
INSTALL_MAN3 ?= yes
HAVE_DOXYGEN = $(shell command -v $(DOXYGEN) 2>/dev/null)
install: all build/gcent.pc $(CMAKE_FILES) \
         $(if $(filter yes,$(INSTALL_MAN3)),$(if $(HAVE_DOXYGEN),$(DOCS_STAMP)))
	install -d $(DESTDIR)$(INCLUDEDIR)/gcent $(DESTDIR)$(LIBDIR) $(DESTDIR)$(PKGCONFIGDIR) \
	    $(DESTDIR)$(CMAKEDIR) $(DESTDIR)$(BINDIR) $(DESTDIR)$(MAN1DIR)
	install -m 644 include/gcent.h $(DESTDIR)$(INCLUDEDIR)/gcent.h
	install -m 644 $(wildcard include/gcent/*.h) $(DESTDIR)$(INCLUDEDIR)/gcent/
	install -m 644 $(STLIB) $(DESTDIR)$(LIBDIR)/libgcent.a
	install -m 755 $(SHLIB) $(DESTDIR)$(LIBDIR)/libgcent.so.$(VERSION)
	ln -sf libgcent.so.$(VERSION) $(DESTDIR)$(LIBDIR)/$(SONAME)
	$(if $(EXTRA_LINK),ln -sf $(SONAME) $(DESTDIR)$(LIBDIR)/$(EXTRA_LINK))
	ln -sf libgcent.so.$(VERSION) $(DESTDIR)$(LIBDIR)/libgcent.so
	install -m 644 build/gcent.pc $(DESTDIR)$(PKGCONFIGDIR)/gcent.pc
	install -m 644 $(CMAKE_FILES) $(DESTDIR)$(CMAKEDIR)/
	install -m 755 $(CLI_BIN) $(DESTDIR)$(BINDIR)/gcent-estimate
	install -m 644 docs/man/gcent-estimate.1 $(DESTDIR)$(MAN1DIR)/gcent-estimate.1
ifeq ($(INSTALL_MAN3),yes)
	@set -- build/docs/man3/*.3; \
	if [ -f "$$1" ]; then \
	    install -d $(DESTDIR)$(MAN3DIR) && install -m 644 "$$@" $(DESTDIR)$(MAN3DIR)/ && \
	    echo "install: $$# API man pages (man3) into $(DESTDIR)$(MAN3DIR)$(if $(HAVE_DOXYGEN),,: those of an earlier make docs; $(DOXYGEN) was not found to refresh them)"; \
	else \
	    echo "install: no API man pages (man3): $(DOXYGEN) was not found (Debian: doxygen); install it and run make install again"; \
	fi
endif

uninstall:
	rm -f $(DESTDIR)$(INCLUDEDIR)/gcent.h
	rm -f $(addprefix $(DESTDIR)$(INCLUDEDIR)/gcent/,$(notdir $(wildcard include/gcent/*.h)))
	-rmdir $(DESTDIR)$(INCLUDEDIR)/gcent 2>/dev/null
	rm -f $(DESTDIR)$(LIBDIR)/libgcent.a $(DESTDIR)$(LIBDIR)/libgcent.so \
	      $(if $(EXTRA_LINK),$(DESTDIR)$(LIBDIR)/$(EXTRA_LINK)) $(DESTDIR)$(LIBDIR)/$(SONAME) \
	      $(DESTDIR)$(LIBDIR)/libgcent.so.$(VERSION)
	rm -f $(DESTDIR)$(PKGCONFIGDIR)/gcent.pc
	rm -f $(addprefix $(DESTDIR)$(CMAKEDIR)/,$(notdir $(CMAKE_FILES)))
	-rmdir $(DESTDIR)$(CMAKEDIR) 2>/dev/null
	rm -f $(DESTDIR)$(BINDIR)/gcent-estimate $(DESTDIR)$(MAN1DIR)/gcent-estimate.1
	rm -f $(DESTDIR)$(MAN3DIR)/gcent*.3 $(DESTDIR)$(MAN3DIR)/GCENT_*.3

# ---- Python package (python/gcent: ctypes over libgcent; docs/guide.md) ------------
# make install puts the package into PYTHONDIR (default PREFIX/lib/python3/
# dist-packages; Debian's python3 reads /usr/local/lib/python3/dist-packages,
# other prefixes need PYTHONPATH) and records LIBDIR in gcent/_installed.py,
# where the package looks for libgcent.so. make check runs its tests
# (python/tests, pytest) against the freshly built shared library, and the
# test of the PyTorch example's data set (examples/python/test_szt12.py).
PYTHONDIR ?= $(PREFIX)/lib/python3/dist-packages
PY_SRCS := $(filter-out python/gcent/_installed.py,$(wildcard python/gcent/*.py))

check: check-python
check-python: $(SHLIB)
	cd python && GCENT_LIBRARY=$(CURDIR)/$(SHLIB) PYTHONDONTWRITEBYTECODE=1 \
	    $(PYTHON) -m pytest -q -p no:cacheprovider tests ../examples/python

install: install-python
install-python:
	install -d $(DESTDIR)$(PYTHONDIR)/gcent
	install -m 644 $(PY_SRCS) $(DESTDIR)$(PYTHONDIR)/gcent/
	printf '"""Written by make install: where libgcent was installed."""\nLIBDIR = %s\n' \
	    "'$(LIBDIR)'" > $(DESTDIR)$(PYTHONDIR)/gcent/_installed.py

uninstall: uninstall-python
uninstall-python:
	rm -rf $(DESTDIR)$(PYTHONDIR)/gcent

.PHONY: check-python install-python uninstall-python

# ---- examples (built against an installed copy, through pkg-config only) --------
# A staged install in build/stage, and the examples linked with its archive
# (LINK=static: examples/Makefile), so that they keep running after
# `make clean` (which removes build/ and lib/ but not the example programs;
# `make distclean` removes those too).
STAGE := $(CURDIR)/build/stage
examples:
	$(MAKE) install PREFIX=$(STAGE) DESTDIR= INSTALL_MAN3=no
	PKG_CONFIG_PATH=$(STAGE)/lib/pkgconfig $(MAKE) -C examples LINK=static

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
$(BENCH_BIN): build/plain/bench/bench.o build/plain/libsupport.a $(STLIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $< build/plain/libsupport.a $(STLIB) $(LDFLAGS) $(LIB_LIBS)

bench: $(BENCH_BIN)
	$(BENCH_BIN) $(if $(BENCH_QUICK),--quick) --python $(PYTHON) --peer bench/peer.py

# The public headers: standalone as C11 and C++11, clean under clang
# -Wdocumentation (scripts/check-headers.sh; needs clang; CI runs it).
check-headers:
	scripts/check-headers.sh include

# The engine regression reference (tests/data/engine_ref.txt): the values of
# the library at hand for the cases of tests/ref/engine_cases.c. It was written
# before the one-engine redesign and is kept: regenerate it only on purpose.
build/ref/gen-engine-ref: tests/ref/gen_engine_ref.c tests/ref/engine_cases.c tests/ref/engine_cases.h $(STLIB) $(HDRS)
	@mkdir -p build/ref
	$(CC) $(CPPFLAGS) -std=c11 -Wall -Wextra -Iinclude -Itests/ref $(CFLAGS) -o $@ \
	    tests/ref/gen_engine_ref.c tests/ref/engine_cases.c $(STLIB) $(LDFLAGS) $(LIB_LIBS)

engine-ref: build/ref/gen-engine-ref
	build/ref/gen-engine-ref > tests/data/engine_ref.txt

# ---- documentation ---------------------------------------------------------------
# Doxygen (docs/Doxyfile): HTML in build/docs/html, man pages in
# build/docs/man/man3, and in build/docs/man3 those that make install
# installs (scripts/man3-pages.sh: gcent* and GCENT_* only, the headers' pages
# renamed gcent_NAME.h.3). Rebuilt when a header, the guide or the Doxyfile
# changes.
$(DOCS_STAMP): docs/Doxyfile docs/guide.md $(HDRS) scripts/man3-pages.sh
	rm -rf build/docs && mkdir -p build/docs
	( cat docs/Doxyfile; echo "PROJECT_NUMBER = $(VERSION)" ) | $(DOXYGEN) -
	scripts/man3-pages.sh build/docs/man/man3 build/docs/man3
	touch $@
docs: $(DOCS_STAMP)
	@echo "API reference: build/docs/html/index.html, man pages: build/docs/man3"

clean:
	rm -rf build lib/libgcent.*

distclean: clean
	-$(MAKE) -C examples clean

# The flag stamps (see "dependency tracking" above), written now.
$(call write_stamp,$(FLAGS_STAMP),$(FLAGS_TEXT))
$(call write_stamp,$(PATHS_STAMP),$(PATHS_TEXT))
$(call write_stamp,build/fuzz/flags.stamp,FUZZ_CC=$(FUZZ_CC) FUZZ_CFLAGS=$(FUZZ_CFLAGS))
$(call write_stamp,$(COV_DIR)/flags.stamp,COV_CFLAGS=$(COV_CFLAGS) COV_TEST_CFLAGS=$(COV_TEST_CFLAGS))

# The dependencies recorded by -MMD -MP (every variant's objects).
-include $(shell find build -name '*.d' 2>/dev/null)
