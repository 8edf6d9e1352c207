# tifa: count Chinese political formulas (提法) in speech corpora.
# make | make test | make run | make sanitize | make tsan | make install PREFIX=... | make uninstall
# make bench | make fuzz
CC ?= cc
PKG_CONFIG ?= pkg-config
PREFIX ?= /usr/local
DESTDIR ?=
V ?=
SANITIZE ?=

ifeq ($(origin CC),default)
CC = cc
endif

PKGS := jansson libpcre2-8 libdivsufsort libxml-2.0 libarchive opencc
DEPS_OK := $(shell $(PKG_CONFIG) --exists $(PKGS) cmocka 2>/dev/null && command -v jq >/dev/null && \
             command -v groff >/dev/null && command -v tmux >/dev/null && echo yes)
ifneq ($(DEPS_OK),yes)
ifeq ($(filter deps clean,$(MAKECMDGOALS)),)
$(info tifa: missing build dependencies ($(PKGS)); installing them with scripts/deps.sh)
DEPS_RUN := $(shell sh scripts/deps.sh >&2 && echo done)
endif
endif
PKG_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null)

WARN := -std=c11 -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
        -Wvla -Wwrite-strings -Wformat=2 -Werror
OPT ?= -O2 -g
CFLAGS ?=
ALL_CFLAGS := $(WARN) $(OPT) -D_GNU_SOURCE -Iinclude -Ibuild/gen $(PKG_CFLAGS) $(CFLAGS)
LDLIBS_ALL := $(PKG_LIBS) -lpthread -lm
ifneq ($(SANITIZE),)
ALL_CFLAGS += -fsanitize=$(SANITIZE) -fno-sanitize-recover=all -fno-omit-frame-pointer
LDFLAGS += -fsanitize=$(SANITIZE)
endif

ifeq ($(V),)
Q = @
QCC = @echo "  CC      $@";
QLD = @echo "  LINK    $@";
QGEN = @echo "  GEN     $@";
else
Q =
QCC =
QLD =
QGEN =
endif

BUILD := build
LIB_SRCS := $(filter-out src/main.c,$(wildcard src/*.c))
LIB_OBJS := $(patsubst src/%.c,$(BUILD)/%.o,$(LIB_SRCS)) $(BUILD)/gen/embedded.o
UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRCS))
# fuzz targets (see `fuzz:` below); a target whose module has no source yet is left out
FUZZ_CC ?= clang
FUZZ_SECONDS ?= 60
FUZZ_SRCS := $(wildcard tests/fuzz/fuzz_*.c)
ifeq ($(wildcard src/savedreport.c),)
FUZZ_SRCS := $(filter-out tests/fuzz/fuzz_savedreport.c,$(FUZZ_SRCS))
endif
FUZZ_NAMES := $(patsubst tests/fuzz/fuzz_%.c,%,$(FUZZ_SRCS))
REPLAY_BINS := $(patsubst %,$(BUILD)/fuzz-replay/fuzz_%,$(FUZZ_NAMES))

all: tifa

# A flags stamp makes every object rebuild when the flags change (git's GIT-CFLAGS).
$(BUILD)/CFLAGS.stamp: FORCE
	@mkdir -p $(BUILD)
	@echo '$(CC) $(ALL_CFLAGS) $(LDFLAGS)' | cmp -s - $@ || echo '$(CC) $(ALL_CFLAGS) $(LDFLAGS)' > $@

$(BUILD)/%.o: src/%.c $(BUILD)/CFLAGS.stamp
	@mkdir -p $(dir $@)
	$(QCC)$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

# Data users may edit (the built-in lexicon, its categories) or that is a table rather than code
# lives in data files; this rule turns each NAME:FILE pair into `const char NAME[]` + NAME_len.
EMBED := builtin_lexicon_tsv:lexicon/builtin.tsv builtin_categories_tsv:lexicon/categories.tsv han_common_txt:data/han_common.txt numbering_rules_tsv:data/numbering.tsv
EMBED_FILES := $(foreach e,$(EMBED),$(word 2,$(subst :, ,$(e))))
$(BUILD)/gen/embedded.c: $(EMBED_FILES) scripts/embed.sh Makefile
	@mkdir -p $(dir $@)
	$(QGEN)sh scripts/embed.sh $@ $(subst :, ,$(EMBED))

# The CJK compatibility table (data/cjk_compat.txt, "F900 8C48" per line) becomes a sorted C array.
$(BUILD)/gen/cjk_compat.h: data/cjk_compat.txt
	@mkdir -p $(dir $@)
	$(QGEN)awk 'BEGIN { print "/* generated from data/cjk_compat.txt: do not edit */" } \
	  /^[0-9A-F]/ { printf "{0x%s, 0x%s},\n", $$1, $$2 }' $< > $@.$$$$.tmp && mv $@.$$$$.tmp $@

# The same pairs sorted by their unified form, for normalize_preimages' binary search.
$(BUILD)/gen/cjk_compat_inv.h: data/cjk_compat.txt
	@mkdir -p $(dir $@)
	$(QGEN){ echo "/* generated from data/cjk_compat.txt: do not edit */"; \
	  awk '/^[0-9A-F]/ { t = "00000000" $$2; s = "00000000" $$1; \
	    print substr(t, length(t) - 7) " " substr(s, length(s) - 7) " " $$2 " " $$1 }' $< \
	  | LC_ALL=C sort | awk '{ printf "{0x%s, 0x%s},\n", $$3, $$4 }'; } > $@.$$$$.tmp && mv $@.$$$$.tmp $@

$(BUILD)/normalize.o: $(BUILD)/gen/cjk_compat.h $(BUILD)/gen/cjk_compat_inv.h

$(BUILD)/gen/embedded.o: $(BUILD)/gen/embedded.c $(BUILD)/CFLAGS.stamp
	$(QCC)$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/libtifa.a: $(LIB_OBJS)
	$(Q)rm -f $@
	$(Q)ar rcs $@ $^

tifa: $(BUILD)/main.o $(BUILD)/libtifa.a
	$(QLD)$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS_ALL)

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libtifa.a $(BUILD)/CFLAGS.stamp
	@mkdir -p $(dir $@)
	$(QLD)$(CC) $(ALL_CFLAGS) -Wno-missing-prototypes $(LDFLAGS) -o $@ $< $(BUILD)/libtifa.a $(LDLIBS_ALL) -lcmocka

unit: $(UNIT_BINS)
	@sh tests/run-unit.sh $(UNIT_BINS)

cli: tifa
	@sh tests/run-cli.sh

test: tifa $(UNIT_BINS) $(REPLAY_BINS)
	@sh tests/run-unit.sh $(UNIT_BINS)
	@sh tests/run-replay.sh $(BUILD)/fuzz-replay $(FUZZ_NAMES)
	@sh tests/run-cli.sh

# The whole suite again under AddressSanitizer and UndefinedBehaviorSanitizer, in its own tree.
# ($(BUILD)/gen/cjk_compat.h: the sub-make's objects find generated headers through -Ibuild/gen.)
sanitize: $(BUILD)/gen/cjk_compat.h $(BUILD)/gen/cjk_compat_inv.h
	$(MAKE) BUILD=build/san SANITIZE=address,undefined OPT='-O1 -g' TIFA_BIN=build/san/tifa test-san

test-san: $(BUILD)/libtifa.a $(BUILD)/main.o $(UNIT_BINS) $(REPLAY_BINS)
	$(QLD)$(CC) $(LDFLAGS) -o $(BUILD)/tifa $(BUILD)/main.o $(BUILD)/libtifa.a $(LDLIBS_ALL)
	@sh tests/run-unit.sh $(UNIT_BINS)
	@sh tests/run-replay.sh $(BUILD)/fuzz-replay $(FUZZ_NAMES)
	@TIFA=$(BUILD)/tifa sh tests/run-cli.sh

# The threaded CLI cases again with tifa built under ThreadSanitizer, in its own tree: -j1/-j2/-j4
# invariants, deletions and shrinking files during a threaded walk, chunked large files, kwic and
# merge across workers, a closed pipe. (The whole CLI suite under TSan takes ~12 min on 2 cores.)
# TSan needs no wrapper, so these cases do not skip as they do under valgrind (TIFA_WRAP).
# tests/tsan.supp silences only glibc's loader (gconv modules loaded by iconv_open).
TSAN_CASES := 0509 0510 0515 0517 0702 0712 0906 1007 1010 3101 4008 4011
tsan: $(BUILD)/gen/cjk_compat.h $(BUILD)/gen/cjk_compat_inv.h
	$(MAKE) BUILD=build/tsan SANITIZE=thread OPT='-O1 -g' TIFA_BIN=build/tsan/tifa test-tsan

test-tsan: $(BUILD)/libtifa.a $(BUILD)/main.o
	$(QLD)$(CC) $(LDFLAGS) -o $(BUILD)/tifa $(BUILD)/main.o $(BUILD)/libtifa.a $(LDLIBS_ALL)
	@set -e; for c in $(TSAN_CASES); do \
	  TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 exitcode=66 suppressions=$(CURDIR)/tests/tsan.supp" \
	  TIFA=$(BUILD)/tifa sh tests/run-cli.sh $$c; done

# The CLI suite with every tifa run under valgrind memcheck.
valgrind: tifa
	@TIFA_WRAP='valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite' sh tests/run-cli.sh

run: tifa
	./tifa count --glob '*.txt' corpus/

# make bench [BENCH_MB=256] [BENCH_REPEAT=3] [BENCH_SMALL_FILES=100000] [TIFA_BENCH_DIR=/tmp/tifa-bench]
# [TIFA_BASE=/path/to/an/older/tifa]:
# speed against cat, grep, rg and Hyperscan on a generated corpus; appends the table to bench/RESULTS.md.
BENCH_MB ?= 256
$(BUILD)/gencorpus: bench/gencorpus.c $(BUILD)/CFLAGS.stamp
	@mkdir -p $(dir $@)
	$(QLD)$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $<

# bench/script_share.c: the traditional share of each file's sample (SCRIPT_AUTO_THRESHOLD's
# measurement, bench/NOTES.md)
$(BUILD)/script_share: bench/script_share.c $(BUILD)/libtifa.a $(BUILD)/CFLAGS.stamp
	$(QLD)$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(BUILD)/libtifa.a $(LDLIBS_ALL)

# bench/hs_count.c: a Hyperscan comparator for make bench only, never a dependency of tifa or the
# tests; it needs libhs (Debian package libhyperscan-dev), which bench/run.sh installs when it can
# and then builds this target.
$(BUILD)/hs_count: bench/hs_count.c $(BUILD)/CFLAGS.stamp
	@$(PKG_CONFIG) --exists libhs 2>/dev/null || \
	    { echo "tifa: $@ needs libhs (Debian package libhyperscan-dev)" >&2; exit 1; }
	@mkdir -p $(dir $@)
	$(QLD)$(CC) $(ALL_CFLAGS) $$($(PKG_CONFIG) --cflags libhs) $(LDFLAGS) -o $@ $< \
	    $$($(PKG_CONFIG) --libs libhs) -lpthread

bench: tifa $(BUILD)/gencorpus
	@TIFA=./tifa TIFA_BASE="$(TIFA_BASE)" GENCORPUS=$(BUILD)/gencorpus HS_COUNT=$(BUILD)/hs_count BENCH_MB=$(BENCH_MB) bash bench/run.sh
	@TIFA=./tifa GENCORPUS=$(BUILD)/gencorpus bash bench/scale.sh

# make bench-scale [BENCH_SCALE_FILES="10000 100000 1000000"] [BENCH_SCALE_DEPTH=200]: only the
# rows of how time and memory grow with the number of files (bench/scale.sh).
bench-scale: tifa $(BUILD)/gencorpus
	@TIFA=./tifa GENCORPUS=$(BUILD)/gencorpus bash bench/scale.sh

golden-update: tifa
	@TIFA_GOLDEN_UPDATE=1 sh tests/run-cli.sh

# make install [PREFIX=/usr/local] [DESTDIR=staging/]: the binary, the manual page and the bash
# and zsh completions; make uninstall removes exactly those files.
BINDIR := $(PREFIX)/bin
MAN1DIR := $(PREFIX)/share/man/man1
BASHCOMPDIR := $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR := $(PREFIX)/share/zsh/site-functions
INSTALLED := $(BINDIR)/tifa $(MAN1DIR)/tifa.1 $(BASHCOMPDIR)/tifa $(ZSHCOMPDIR)/_tifa

install: tifa
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MAN1DIR) $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR)
	install -m 755 tifa $(DESTDIR)$(BINDIR)/tifa
	install -m 644 man/tifa.1 $(DESTDIR)$(MAN1DIR)/tifa.1
	install -m 644 completions/tifa.bash $(DESTDIR)$(BASHCOMPDIR)/tifa
	install -m 644 completions/_tifa $(DESTDIR)$(ZSHCOMPDIR)/_tifa

uninstall:
	rm -f $(addprefix $(DESTDIR),$(INSTALLED))

deps:
	sh scripts/deps.sh

fmt:
	clang-format -i src/*.c include/tifa/*.h tests/unit/*.c

lint:
	cppcheck --quiet --error-exitcode=1 --enable=warning,portability -Iinclude src

clean:
	rm -rf build tifa

# Fuzzing. tests/fuzz/fuzz_NAME.c are libFuzzer targets. `make fuzz` builds them with clang and
# -fsanitize=fuzzer,address,undefined over a copy of the library in build/fuzz/; `make fuzz-run`
# runs each for FUZZ_SECONDS (all at once) from its seeds (tests/fuzz/corpus/NAME/) and saved
# crashers (tests/fuzz/regressions/NAME/). `make test` replays seeds and crashers through the
# same targets linked with tests/fuzz/replay.c instead (no clang needed).

$(BUILD)/fuzz-replay/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c tests/fuzz/fuzz.h $(BUILD)/libtifa.a $(BUILD)/CFLAGS.stamp
	@mkdir -p $(dir $@)
	$(QLD)$(CC) $(ALL_CFLAGS) -Itests/fuzz $(LDFLAGS) -o $@ $< tests/fuzz/replay.c $(BUILD)/libtifa.a $(LDLIBS_ALL)

replay: $(REPLAY_BINS)
	@sh tests/run-replay.sh $(BUILD)/fuzz-replay $(FUZZ_NAMES)

# build/gen/cjk_compat.h: the sub-make's objects find generated headers through -Ibuild/gen.
fuzz: $(BUILD)/gen/cjk_compat.h $(BUILD)/gen/cjk_compat_inv.h
	$(MAKE) BUILD=build/fuzz CC=$(FUZZ_CC) SANITIZE=fuzzer-no-link,address,undefined OPT='-O1 -g' \
	    CFLAGS='$(CFLAGS) -fsanitize-coverage-ignorelist=tests/fuzz/coverage-ignore.txt' fuzz-bins

fuzz-bins: $(patsubst %,$(BUILD)/fuzz_%,$(FUZZ_NAMES))

$(BUILD)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h $(BUILD)/libtifa.a
	$(QLD)$(CC) $(ALL_CFLAGS) -Itests/fuzz -fsanitize=fuzzer $(LDFLAGS) -o $@ $< $(BUILD)/libtifa.a $(LDLIBS_ALL)

fuzz-run: fuzz
	@sh tests/fuzz/run.sh build/fuzz $(FUZZ_SECONDS) $(FUZZ_NAMES)

.PHONY: all test unit cli sanitize test-san tsan test-tsan valgrind run bench bench-scale golden-update install uninstall deps fmt \
        lint clean FORCE \
        replay fuzz fuzz-bins fuzz-run
-include $(wildcard $(BUILD)/*.d)
