# zhaoshang: one binary, its migrations and assets compiled in.
#
#   make            build build/zhaoshang (with web/dist, when built, compiled in)
#   make web        build the web front end into web/dist (npm), then the binary
#   make browser    the browser tests of the web front end
#   make demo       install what is missing, build, create zhaoshang.db with the
#                   demo data and serve it on http://127.0.0.1:8080
#   make test       install what is missing, build, run every test
#   make unit       the C unit tests only
#   make asan       build with AddressSanitizer/UBSan into build-asan/
#   make bench      benchmarks on SQLite and PostgreSQL (see bench/README.md)
#   make deb        the Debian package (docs/deploy.md)

CC      ?= cc
VERSION := 0.1.0
PKGS    := libmicrohttpd sqlite3 libpq libsodium libcrypto gmp libcurl jansson xlsxwriter libzip expat
BUILD   ?= build
OPT     ?= -O2
CFLAGS  += -std=c11 $(OPT) -g -Wall -Wextra -Werror -Wshadow -Wno-unused-parameter \
           -D_GNU_SOURCE -DZS_VERSION=\"$(VERSION)\" -Isrc -I$(BUILD)/gen $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LDLIBS  += $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lunistring -lpthread -lm

SRCS    := $(sort $(wildcard src/*.c src/*/*.c src/*/*/*.c))
LIBSRCS := $(filter-out src/main.c,$(SRCS))
OBJS    := $(patsubst src/%.c,$(BUILD)/obj/%.o,$(LIBSRCS)) $(BUILD)/obj/gen/embedded.o
EMBED   := $(sort $(wildcard src/store/*/migrations/*.sql)) src/api/openapi.json $(shell find web/dist -type f 2>/dev/null | sort)
UNITS   := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(sort $(wildcard tests/unit/test_*.c)))

.PHONY: all deps web browser demo test unit units blackbox asan bench deb fuzz clean format

all: $(BUILD)/zhaoshang $(BUILD)/tests/enospc.so

deps:
	@./tools/deps

# The web front end (web/, npm packages pinned by web/package-lock.json)
# into web/dist, which the next `make` compiles into the binary. npm ci runs
# only when the lock file is newer than the installed packages.
web:
	cd web && { [ node_modules/.package-lock.json -nt package-lock.json ] || \
		npm ci --no-audit --no-fund --loglevel=error; } && npm run build --silent
	$(MAKE) all

# The browser tests (playwright-core driving Debian's Chromium).
browser: web
	tests/browser/run --binary $(BUILD)/zhaoshang

$(BUILD)/zhaoshang: $(BUILD)/obj/main.o $(OBJS)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/obj/%.o: src/%.c $(wildcard src/*.h src/*/*.h src/*/*/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

$(BUILD)/tools/embed: tools/embed.c
	@mkdir -p $(dir $@)
	$(CC) -std=c11 -O2 -Wall -Wextra -Werror -o $@ $<

$(BUILD)/gen/embedded.c: $(BUILD)/tools/embed $(EMBED) Makefile
	@mkdir -p $(dir $@)
	$(BUILD)/tools/embed $(EMBED) > $@.tmp && mv $@.tmp $@

$(BUILD)/obj/gen/embedded.o: $(BUILD)/gen/embedded.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

$(BUILD)/tests/%: tests/unit/%.c tests/unit/t.h $(OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Itests/unit $(LDFLAGS) -o $@ $< $(OBJS) $(LDLIBS)

# The fault shim of tests/reliability/faults.py (LD_PRELOAD): built without the
# sanitizers, as it is loaded into the normal binary.
$(BUILD)/tests/enospc.so: tests/reliability/enospc.c
	@mkdir -p $(dir $@)
	$(CC) -std=c11 -O2 -g -Wall -Wextra -Werror -Wshadow -shared -fPIC -o $@ $< -ldl

units: $(UNITS)

unit: $(UNITS)
	@fail=0; for t in $(UNITS); do $$t || fail=1; done; exit $$fail

blackbox: $(BUILD)/zhaoshang
	python3 tests/blackbox/run.py --binary $(BUILD)/zhaoshang

demo: deps
	$(MAKE) web
	./tools/demo

test: deps
	./tools/test-all

asan:
	$(MAKE) BUILD=build-asan OPT="-O1 -fsanitize=address,undefined -fno-omit-frame-pointer" \
		LDFLAGS="-fsanitize=address,undefined" all units

bench: all
	./bench/run

# The Debian package (binary with its migrations compiled in, systemd unit,
# default configuration) for offline installation: build/zhaoshang_*.deb.
deb: all
	./tools/make-deb --binary $(BUILD)/zhaoshang --out $(BUILD)

# Fuzzing: `make fuzz` (clang libFuzzer, outside CI) and the corpus replay
# that `make test` runs; see tests/fuzz/fuzz.mk.
include tests/fuzz/fuzz.mk

clean:
	rm -rf build build-asan build-fuzz

format:
	clang-format -i $(SRCS) $(wildcard src/*.h src/*/*.h src/*/*/*.h tests/unit/*.c)
