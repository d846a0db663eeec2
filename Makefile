# Thi đua: plain Makefile with pkg-config.
#   make deps      install the Debian packages the project needs (as root)
#   make           build ./thidua
#   make test      run every test (unit, store on SQLite and PostgreSQL, CLI, API, browser)
#   make test-asan the same suite under ASan+UBSan
#   make run       build, create ./thidua.db with the demo if absent, serve the web app
#   make bench     benchmarks (not part of the tests)
#   make fuzz      SECONDS=N: run each libFuzzer harness (tests/fuzz) N seconds
#   make soak      MINUTES=N: mixed load; fails when RSS or open fds keep growing
#   make install   PREFIX=/usr/local DESTDIR=: the binary, the web app and
#                  rule sets (share/thidua), the man page, the systemd unit

PKGS     = sqlite3 jansson libfyaml libsodium expat
# Opened on first use (dlopen: src/dynlib.h), so that a command on SQLite
# does not map them and the 30 libraries they bring: headers only.
LAZY     = libpq libmicrohttpd xlsxwriter libzip icu-uc icu-i18n libcrypto
CC      ?= cc
OPT     ?= -O2
CFLAGS  += -std=c17 -D_GNU_SOURCE -Wall -Wextra -Werror -Wno-format-truncation -g $(OPT) -pthread \
           $(shell pkg-config --cflags $(PKGS) $(LAZY) 2>/dev/null) -Isrc -Ibuild
LDLIBS  += $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lcsv -lm -ldl -pthread

BUILD   ?= build
SRC      = $(wildcard src/*.c)
OBJ      = $(patsubst src/%.c,$(BUILD)/%.o,$(SRC)) $(BUILD)/migrations.o $(BUILD)/rules-default.o \
           $(BUILD)/rules-2017.o $(BUILD)/rules-2026.o
LIBOBJ   = $(filter-out $(BUILD)/main.o,$(OBJ))
UNIT_SRC = $(wildcard tests/unit/test-*.c)
UNIT_BIN = $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRC))
UNIT_LIB = tests/unit/snapbuild.c
STORE_SRC = $(wildcard tests/store/test-*.c)
STORE_BIN = $(patsubst tests/store/%.c,$(BUILD)/tests/%,$(STORE_SRC))
SQL      = $(wildcard sql/sqlite/*.sql sql/pg/*.sql)

all: thidua

thidua: $(BUILD)/thidua
	cp $(BUILD)/thidua thidua.tmp && mv -f thidua.tmp thidua

$(BUILD)/thidua: $(OBJ)
	$(CC) $(CFLAGS) -o $@ $(OBJ) $(LDFLAGS) $(LDLIBS)

$(BUILD)/%.o: src/%.c $(wildcard src/*.h) | $(BUILD)
	$(CC) $(CFLAGS) -c -o $@ $<

$(BUILD)/migrations.c: $(SQL) tools/embed-sql.sh | $(BUILD)
	sh tools/embed-sql.sh > $@

$(BUILD)/migrations.o: $(BUILD)/migrations.c src/store-int.h
	$(CC) $(CFLAGS) -c -o $@ $<

# The default rule sets, embedded so `thidua init` works without the tree:
# $(call embed-rules,SYMBOL) makes a C string SYMBOL and SYMBOL_len of $<.
embed-rules = { echo '\#include <stddef.h>'; echo 'const char $(1)[] ='; \
	  sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/"/' -e 's/$$/\\n"/' $<; \
	  echo ';'; echo 'const size_t $(1)_len = sizeof $(1) - 1;'; } > $@

$(BUILD)/rules-default.c: rules/vn-2022.yaml | $(BUILD)
	$(call embed-rules,rules_default_yaml)

$(BUILD)/rules-2017.c: rules/vn-2017.yaml | $(BUILD)
	$(call embed-rules,rules_2017_yaml)

$(BUILD)/rules-2026.c: rules/vn-2026.yaml | $(BUILD)
	$(call embed-rules,rules_2026_yaml)

$(BUILD)/rules-default.o $(BUILD)/rules-2017.o $(BUILD)/rules-2026.o: $(BUILD)/%.o: $(BUILD)/%.c
	$(CC) $(CFLAGS) -c -o $@ $<

# Unit tests link the test helpers of tests/unit (UNIT_LIB); the store
# conformance suite (tests/store) goes into the same directory, so
# tests/run.sh runs it with the others.
$(BUILD)/tests/%: tests/unit/%.c $(UNIT_LIB) $(LIBOBJ) $(wildcard tests/unit/*.h) | $(BUILD)
	@mkdir -p $(BUILD)/tests
	$(CC) $(CFLAGS) -Itests/unit -o $@ $< $(UNIT_LIB) $(LIBOBJ) $(LDFLAGS) $(LDLIBS) -lcmocka

$(BUILD)/tests/%: tests/store/%.c $(LIBOBJ) $(wildcard tests/unit/*.h tests/store/*.h) | $(BUILD)
	@mkdir -p $(BUILD)/tests
	$(CC) $(CFLAGS) -Itests/unit -Itests/store -o $@ $< $(LIBOBJ) $(LDFLAGS) $(LDLIBS) -lcmocka

$(BUILD):
	@mkdir -p $(BUILD)

unit: $(UNIT_BIN) $(STORE_BIN) fuzz-replay

# Fuzzing (tests/fuzz): each harness built as a plain replay binary with
# the normal compiler (`make test` replays the seeds and any crasher), or
# with clang's libFuzzer by `make fuzz SECONDS=N` (each run N seconds).
FUZZ_NAMES  = csv json yaml path
FUZZ_REPLAY = $(patsubst %,$(BUILD)/fuzz/replay-%,$(FUZZ_NAMES))
SECONDS    ?= 60

$(BUILD)/fuzz/replay-%: tests/fuzz/fuzz-%.c tests/fuzz/replay.c tests/fuzz/fuzz.h $(LIBOBJ) | $(BUILD)
	@mkdir -p $(BUILD)/fuzz
	$(CC) $(CFLAGS) -Itests/fuzz -o $@ tests/fuzz/fuzz-$*.c tests/fuzz/replay.c $(LIBOBJ) $(LDFLAGS) $(LDLIBS)

$(BUILD)/fuzz/fuzz-%: tests/fuzz/fuzz-%.c tests/fuzz/fuzz.h $(LIBOBJ) | $(BUILD)
	@mkdir -p $(BUILD)/fuzz
	$(CC) $(CFLAGS) -Itests/fuzz -fsanitize=fuzzer -o $@ tests/fuzz/fuzz-$*.c $(LIBOBJ) $(LDFLAGS) $(LDLIBS)

fuzz-replay: $(FUZZ_REPLAY)

# Soak: mixed reads and writes for MINUTES, failing when the server's RSS
# or open file descriptors keep growing (tests/soak/soak.py).
MINUTES ?= 5
soak: all
	@THIDUA_BIN=$(CURDIR)/$(BUILD)/thidua /usr/bin/python3 tests/soak/soak.py --minutes $(MINUTES)

fuzz-bins: $(patsubst %,$(BUILD)/fuzz/fuzz-%,$(FUZZ_NAMES))

fuzz: deps
	@$(MAKE) --no-print-directory BUILD=build-fuzz CC=clang \
		OPT="-O1 -Wno-error -Wno-unknown-warning-option -fno-omit-frame-pointer -fsanitize=fuzzer-no-link,address,undefined" \
		LDFLAGS="-fsanitize=address,undefined" fuzz-bins
	@sh tools/fuzz.sh build-fuzz $(SECONDS) $(FUZZ_NAMES)

deps:
	@sh tools/deps.sh

web:
	@sh tools/web-build.sh

test: deps
	@$(MAKE) --no-print-directory all unit web
	@sh tests/run.sh $(BUILD)

test-asan: deps
	@$(MAKE) --no-print-directory BUILD=build-asan OPT="-O1 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined" \
		LDFLAGS="-fsanitize=address,undefined" build-asan/thidua unit-asan web
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		THIDUA_BIN=build-asan/thidua sh tests/run.sh build-asan

unit-asan:
	@$(MAKE) --no-print-directory BUILD=build-asan OPT="-O1 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined" \
		LDFLAGS="-fsanitize=address,undefined" unit

run: deps
	@$(MAKE) --no-print-directory all web
	@sh tools/run.sh

bench: deps all web
	@sh bench/run.sh

# Install like a Debian program (docs/operations.md). DESTDIR for staging.
PREFIX  ?= /usr/local
BINDIR   = $(PREFIX)/bin
SHAREDIR = $(PREFIX)/share/thidua
MANDIR   = $(PREFIX)/share/man/man1
UNITDIR ?= $(PREFIX)/lib/systemd/system
DOCDIR   = $(PREFIX)/share/doc/thidua

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(SHAREDIR)/rules $(DESTDIR)$(MANDIR) \
		$(DESTDIR)$(UNITDIR) $(DESTDIR)$(DOCDIR)/examples
	install -m 0755 thidua $(DESTDIR)$(BINDIR)/thidua
	rm -rf $(DESTDIR)$(SHAREDIR)/web
	cp -R web $(DESTDIR)$(SHAREDIR)/web
	chmod -R u=rwX,go=rX $(DESTDIR)$(SHAREDIR)/web
	install -m 0644 rules/*.yaml $(DESTDIR)$(SHAREDIR)/rules/
	install -m 0644 dist/thidua.1 $(DESTDIR)$(MANDIR)/thidua.1
	sed 's|@BINDIR@|$(BINDIR)|' dist/thidua.service > $(DESTDIR)$(UNITDIR)/thidua.service
	chmod 0644 $(DESTDIR)$(UNITDIR)/thidua.service
	install -m 0644 dist/thidua.conf dist/nginx-thidua.conf $(DESTDIR)$(DOCDIR)/examples/
	install -m 0644 docs/*.md $(DESTDIR)$(DOCDIR)/

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/thidua $(DESTDIR)$(MANDIR)/thidua.1 \
		$(DESTDIR)$(UNITDIR)/thidua.service
	rm -rf $(DESTDIR)$(SHAREDIR) $(DESTDIR)$(DOCDIR)

clean:
	rm -rf build build-asan thidua

.PHONY: all unit deps web test test-asan unit-asan run bench clean install uninstall \
	fuzz fuzz-bins fuzz-replay soak
