# shnor — build, test and tooling targets.
#
#   make            build/shnor (the CLI) and build/libshnor.a
#   make test       install what is missing, build, run every cmocka suite
#   make asan       the same suites built with AddressSanitizer + UBSan
#   make demo       the year-end run of the five regional packs on demo data
#   make test-reports  install LibreOffice and Chromium, check the reports in them
#   make fuzz       libFuzzer harnesses (tests/fuzz/), FUZZ_SECONDS each (60)
#   make crash      SIGKILL during imports and runs, 60 kills each
#   make tsan       the suites of two-thread evaluation under ThreadSanitizer
#   make valgrind   the end-to-end suites with the CLI under valgrind memcheck
#   make bench      the national benchmark (SCHOOLS=40000 REPEAT=3); writes
#                   its table into README.md
#
# User settings (override on the command line) are kept apart from the flags
# the build needs.

CC      ?= cc
CFLAGS  ?= -O2 -g
LDFLAGS ?=
BUILD   ?= build
WERROR  ?=
SAN     ?=
FUZZ_SECONDS ?= 60
SCHOOLS ?= 40000
REPEAT  ?= 3

PKGS      := lua5.4 sqlite3 libmd xlsxwriter
TEST_PKGS := cmocka

REQ_CFLAGS = -std=c11 -pthread -D_XOPEN_SOURCE=700 -D_DEFAULT_SOURCE \
             -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
             -Wmissing-prototypes -Wno-unused-parameter \
             -Iinclude -Icore $(PKG_CFLAGS) -MMD -MP
ifneq ($(WERROR),)
REQ_CFLAGS += -Werror
endif
ifeq ($(SAN),fuzz)
SAN_FLAGS  := -O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer \
              -fno-sanitize-recover=undefined
else ifeq ($(SAN),thread)
SAN_FLAGS  := -O1 -g -fsanitize=thread
else ifneq ($(SAN),)
SAN_FLAGS  := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer \
              -fno-sanitize-recover=undefined
endif

ALL_CFLAGS  = $(CFLAGS) $(SAN_FLAGS) $(REQ_CFLAGS)
ALL_LDFLAGS = $(LDFLAGS) $(SAN_FLAGS) -pthread

LIB_SRCS  := $(sort $(filter-out core/main.c,$(wildcard core/*.c)))
LIB_OBJS  := $(LIB_SRCS:%.c=$(BUILD)/%.o)
CLI_OBJ   := $(BUILD)/core/main.o
# Suites that open the reports in LibreOffice and Chromium: run by `make
# test` only when those programs are there, and by `make test-reports`.
APP_SRCS  := tests/test_report_apps.c
APP_BINS  := $(APP_SRCS:tests/%.c=$(BUILD)/tests/%)
APP_PROGS := soffice chromium pdfinfo pdftotext
TEST_SRCS := $(filter-out $(APP_SRCS),$(sort $(wildcard tests/test_*.c)))
TEST_BINS := $(TEST_SRCS:tests/%.c=$(BUILD)/tests/%)
TU_OBJS   := $(BUILD)/tests/testutil.o $(BUILD)/tests/testproc.o
FUZZ_HARNESSES := csv number period due import pack
FUZZ_BINS := $(FUZZ_HARNESSES:%=$(BUILD)/fuzz/fuzz_%)

.PHONY: all test test-reports asan tsan clean deps demo bench fuzz fuzz-bins valgrind crash check-format
.DEFAULT_GOAL := all
.SECONDARY:

# The package flags are discovered once, after scripts/install-deps has made
# sure the packages are there. Make rebuilds this file, then restarts itself.
ifeq ($(filter clean deps,$(MAKECMDGOALS)),)
include $(BUILD)/config.mk
endif

$(BUILD)/config.mk: scripts/install-deps Makefile
	@mkdir -p $(BUILD)
	@scripts/install-deps
	@{ echo "PKG_CFLAGS := $$(pkg-config --cflags $(PKGS))"; \
	   echo "PKG_LIBS := $$(pkg-config --libs $(PKGS)) -lm"; \
	   echo "TEST_CFLAGS := $$(pkg-config --cflags $(TEST_PKGS))"; \
	   echo "TEST_LIBS := $$(pkg-config --libs $(TEST_PKGS))"; } > $@.tmp
	@mv $@.tmp $@

deps:
	@scripts/install-deps

all: $(BUILD)/shnor $(BUILD)/libshnor.a

$(BUILD)/libshnor.a: $(LIB_OBJS)
	@rm -f $@
	$(AR) rcs $@ $^

$(BUILD)/shnor: $(CLI_OBJ) $(BUILD)/libshnor.a
	$(CC) $(ALL_LDFLAGS) -o $@ $(CLI_OBJ) $(BUILD)/libshnor.a $(PKG_LIBS)

$(BUILD)/core/%.o: core/%.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/tests/%.o: tests/%.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(TEST_CFLAGS) -c -o $@ $<

$(BUILD)/tests/test_%: $(BUILD)/tests/test_%.o $(TU_OBJS) $(BUILD)/libshnor.a
	$(CC) $(ALL_LDFLAGS) -o $@ $< $(TU_OBJS) $(BUILD)/libshnor.a $(PKG_LIBS) $(TEST_LIBS)

# Each suite runs from the top directory with the CLI's path in SHNOR_BIN, so
# end-to-end suites drive the binary that was just built.
# The fuzz harnesses need clang to link, but any compiler checks that they
# still agree with the library's internal API: make test compiles them too.
FUZZ_CHECKS := $(FUZZ_HARNESSES:%=$(BUILD)/fuzzcheck/fuzz_%.o)
$(BUILD)/fuzzcheck/fuzz_%.o: tests/fuzz/fuzz_%.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

test: $(BUILD)/shnor $(TEST_BINS) $(APP_BINS) $(FUZZ_CHECKS)
	@failed=""; suites="$(TEST_BINS)"; \
	if $(call have_progs); then suites="$$suites $(APP_BINS)"; \
	else echo "== $(APP_BINS): skipped, needs $(APP_PROGS) (make test-reports)"; fi; \
	n=0; for t in $$suites; do \
	    echo "== $$t"; n=$$((n + 1)); \
	    SHNOR_BIN=$(abspath $(BUILD))/shnor SHNOR_TOP=$(CURDIR) $$t || failed="$$failed $$t"; \
	done; \
	if [ -n "$$failed" ]; then echo "FAILED:$$failed"; exit 1; fi; \
	echo "all $$n suites passed"

have_progs = (for p in $(APP_PROGS); do command -v $$p >/dev/null 2>&1 || exit 1; done)

# The reports opened in LibreOffice and Chromium, after installing them.
test-reports:
	@scripts/install-deps reports
	@$(MAKE) --no-print-directory $(BUILD)/shnor $(BUILD)/tests/test_report $(APP_BINS)
	@failed=""; \
	for t in $(BUILD)/tests/test_report $(APP_BINS); do \
	    echo "== $$t"; \
	    SHNOR_BIN=$(abspath $(BUILD))/shnor SHNOR_TOP=$(CURDIR) $$t || failed="$$failed $$t"; \
	done; \
	if [ -n "$$failed" ]; then echo "FAILED:$$failed"; exit 1; fi; \
	echo "the reports open in LibreOffice and Chromium"

asan:
	@$(MAKE) --no-print-directory BUILD=build/asan SAN=1 \
	    ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 test

clean:
	rm -rf build

-include $(LIB_OBJS:.o=.d) $(CLI_OBJ:.o=.d) $(TEST_BINS:=.d) $(APP_BINS:=.d) $(TU_OBJS:.o=.d) \
         $(FUZZ_BINS:=.d) $(FUZZ_CHECKS:.o=.d)

demo: $(BUILD)/shnor
	@scripts/demo.sh

# Fuzzing: the library built with clang's libFuzzer instrumentation plus ASan
# and UBSan in build/fuzz, one harness per input (tests/fuzz/fuzz_*.c), each
# run FUZZ_SECONDS from its seed corpus tests/fuzz/<harness>/. New inputs go
# to build/fuzz/corpus/; a crash stops with the input in build/fuzz/.
$(BUILD)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(BUILD)/libshnor.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -fsanitize=fuzzer -o $@ $< $(BUILD)/libshnor.a $(PKG_LIBS)

fuzz-bins: $(FUZZ_BINS)

fuzz:
	@scripts/install-deps fuzz
	@$(MAKE) --no-print-directory BUILD=build/fuzz CC=clang SAN=fuzz fuzz-bins
	@scripts/fuzz build/fuzz $(FUZZ_SECONDS) $(FUZZ_HARNESSES)

# The suites where the two halves of an evaluation run at once (eval.c),
# with the CLI and the suites built with ThreadSanitizer (clang): a data race
# ends the process with status 66, which fails its test.
TSAN_SUITES := test_halves test_eval
tsan:
	@scripts/install-deps fuzz
	@$(MAKE) --no-print-directory BUILD=build/tsan CC=clang SAN=thread \
	    build/tsan/shnor $(TSAN_SUITES:%=build/tsan/tests/%)
	@failed=""; for t in $(TSAN_SUITES); do \
	    echo "== $$t (ThreadSanitizer)"; \
	    TSAN_OPTIONS=halt_on_error=1:exitcode=66 SHNOR_BIN=$(CURDIR)/build/tsan/shnor \
	    SHNOR_TOP=$(CURDIR) build/tsan/tests/$$t || failed="$$failed $$t"; \
	done; \
	if [ -n "$$failed" ]; then echo "FAILED under ThreadSanitizer:$$failed"; exit 1; fi; \
	echo "all $(words $(TSAN_SUITES)) suites passed under ThreadSanitizer"

# Crash safety at full strength (the suite runs fewer kills in make test).
crash: $(BUILD)/shnor $(BUILD)/tests/test_crash
	SHNOR_BIN=$(abspath $(BUILD))/shnor SHNOR_TOP=$(CURDIR) SHNOR_CRASH_KILLS=60 \
	    $(BUILD)/tests/test_crash

# The suites that drive the CLI, with every shnor process under valgrind
# memcheck (scripts/valgrind-shnor): a memory error or leak makes that
# process exit 99, so its test fails; the logs of such processes are printed.
VALGRIND_SUITES := test_cli_data test_cli_pack test_cli_roadmap test_run test_targets \
                   test_concurrency test_dbfail test_halves
VG_LOGS = $(abspath $(BUILD))/valgrind
valgrind: $(BUILD)/shnor $(VALGRIND_SUITES:%=$(BUILD)/tests/%)
	@scripts/install-deps valgrind
	@rm -rf $(VG_LOGS) && mkdir -p $(VG_LOGS) && chmod 1777 $(VG_LOGS)
	@failed=""; \
	for t in $(VALGRIND_SUITES); do \
	    echo "== $$t (valgrind)"; \
	    SHNOR_BIN=$(CURDIR)/scripts/valgrind-shnor SHNOR_REAL_BIN=$(abspath $(BUILD))/shnor \
	    SHNOR_VG_LOGS=$(VG_LOGS) SHNOR_TOP=$(CURDIR) SHNOR_VALGRIND=1 \
	    $(BUILD)/tests/$$t || failed="$$failed $$t"; \
	done; \
	for l in $(VG_LOGS)/*.log; do \
	    if [ -s "$$l" ]; then echo "== $$l"; cat "$$l"; failed="$$failed $$l"; fi; \
	done; \
	if [ -n "$$failed" ]; then echo "FAILED under valgrind:$$failed"; exit 1; fi; \
	echo "all $(words $(VALGRIND_SUITES)) suites passed under valgrind," \
	     "$$(ls $(VG_LOGS) | wc -l) shnor processes without a memory error or leak"

# The national benchmark (scripts/bench/bench.sh): not part of `make test`.
$(BUILD)/bench/gen: scripts/bench/gen.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(REQ_CFLAGS) -o $@ $< $(LDFLAGS)

bench: $(BUILD)/shnor $(BUILD)/bench/gen
	@scripts/install-deps bench
	@BUILD=$(BUILD) SCHOOLS=$(SCHOOLS) REPEAT=$(REPEAT) scripts/bench/bench.sh
