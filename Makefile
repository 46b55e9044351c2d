# shnor — build, test and tooling targets.
#
#   make            build/shnor (the CLI) and build/libshnor.a
#   make test       install what is missing, build, run every cmocka suite
#   make asan       the same suites built with AddressSanitizer + UBSan
#   make demo       the year-end run of the five regional packs on demo data
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
SCHOOLS ?= 40000
REPEAT  ?= 3

PKGS      := lua5.4 sqlite3 libmd xlsxwriter
TEST_PKGS := cmocka

REQ_CFLAGS = -std=c11 -D_XOPEN_SOURCE=700 -D_DEFAULT_SOURCE \
             -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
             -Wmissing-prototypes -Wno-unused-parameter \
             -Iinclude -Icore $(PKG_CFLAGS) -MMD -MP
ifneq ($(WERROR),)
REQ_CFLAGS += -Werror
endif
ifneq ($(SAN),)
SAN_FLAGS  := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer \
              -fno-sanitize-recover=undefined
endif

ALL_CFLAGS  = $(CFLAGS) $(SAN_FLAGS) $(REQ_CFLAGS)
ALL_LDFLAGS = $(LDFLAGS) $(SAN_FLAGS)

LIB_SRCS  := $(sort $(filter-out core/main.c,$(wildcard core/*.c)))
LIB_OBJS  := $(LIB_SRCS:%.c=$(BUILD)/%.o)
CLI_OBJ   := $(BUILD)/core/main.o
TEST_SRCS := $(sort $(wildcard tests/test_*.c))
TEST_BINS := $(TEST_SRCS:tests/%.c=$(BUILD)/tests/%)
TU_OBJS   := $(BUILD)/tests/testutil.o

.PHONY: all test asan clean deps demo bench fuzz valgrind check-format
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
test: $(BUILD)/shnor $(TEST_BINS)
	@failed=""; \
	for t in $(TEST_BINS); do \
	    echo "== $$t"; \
	    SHNOR_BIN=$(CURDIR)/$(BUILD)/shnor SHNOR_TOP=$(CURDIR) $$t || failed="$$failed $$t"; \
	done; \
	if [ -n "$$failed" ]; then echo "FAILED:$$failed"; exit 1; fi; \
	echo "all $(words $(TEST_BINS)) suites passed"

asan:
	@$(MAKE) --no-print-directory BUILD=build/asan SAN=1 \
	    ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 test

clean:
	rm -rf build

-include $(LIB_OBJS:.o=.d) $(CLI_OBJ:.o=.d) $(TEST_BINS:=.d) $(TU_OBJS:.o=.d)

demo: $(BUILD)/shnor
	@scripts/demo.sh

# The national benchmark (scripts/bench/bench.sh): not part of `make test`.
$(BUILD)/bench/gen: scripts/bench/gen.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(REQ_CFLAGS) -o $@ $< $(LDFLAGS)

bench: $(BUILD)/shnor $(BUILD)/bench/gen
	@scripts/install-deps bench
	@BUILD=$(BUILD) SCHOOLS=$(SCHOOLS) REPEAT=$(REPEAT) scripts/bench/bench.sh
