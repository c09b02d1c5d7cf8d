# tests/fuzz/fuzz.mk: the fuzz targets, included by the Makefile.
#
#   make fuzz          builds every target with clang's libFuzzer and
#                      AddressSanitizer/UBSan into build-fuzz/ and runs each
#                      in turn for FUZZ_SECONDS (default 120: per target, so
#                      about 8 minutes in all), starting from its corpus;
#                      FUZZ_TARGETS="json query" runs only those. Inputs that
#                      find new code land in build-fuzz/corpus/<target>/,
#                      reproducers of failures in build-fuzz/crashes/.
#   make fuzz-merge    minimises the committed corpora with what the runs
#                      found: libFuzzer -merge=1 on edges only (-use_counters=0),
#                      which keeps them small; files named seed-* always stay
#   make fuzz-replay   runs every committed corpus through the targets built
#                      with the normal compiler and AddressSanitizer/UBSan,
#                      into build-asan/ (no clang needed); `make test` does
#
# A target is tests/fuzz/fuzz_<name>.c with one LLVMFuzzerTestOneInput; its
# corpus is tests/fuzz/corpus/<name>/, its libFuzzer dictionary, if any,
# tests/fuzz/<name>.dict. fixture.c holds what the store-backed targets share.
#   table   the CSV and XLSX readers and the interchange cell parsers
#   import  import_run() on an in-memory database (dry run, then for real)
#   json    JSON request bodies through the project write handlers
#   query   query strings through the GET handlers that read parameters
# Reproducers worth keeping (not replayed) go to tests/fuzz/crashes/.

FUZZ_ALL     := table import json query
FUZZ_TARGETS ?= $(FUZZ_ALL)
FUZZ_SECONDS ?= 120
FUZZ_DEPS    := tests/fuzz/fixture.h $(wildcard src/*.h src/*/*.h src/*/*/*.h)

# Each build is a sub-make with its own BUILD, compiler and flags; the
# replay uses the flags of `make asan`, so it shares that build's objects.
FUZZ_CLANG := $(MAKE) BUILD=build-fuzz CC=clang \
	OPT="-O1 -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer" \
	LDFLAGS="-fsanitize=address,undefined"
FUZZ_ASAN  := $(MAKE) BUILD=build-asan OPT="-O1 -fsanitize=address,undefined -fno-omit-frame-pointer" \
	LDFLAGS="-fsanitize=address,undefined"

.PHONY: fuzz fuzz-merge fuzz-replay

fuzz:
	+$(FUZZ_CLANG) $(patsubst %,build-fuzz/fuzz/fuzz_%,$(FUZZ_TARGETS))
	@fail=0; for t in $(FUZZ_TARGETS); do \
		mkdir -p build-fuzz/corpus/$$t build-fuzz/crashes; \
		case $$t in table|import) len=-max_len=65536;; *) len=;; esac; \
		dict=; [ ! -f tests/fuzz/$$t.dict ] || dict=-dict=tests/fuzz/$$t.dict; \
		echo "== fuzz $$t ($(FUZZ_SECONDS) s)"; \
		build-fuzz/fuzz/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -timeout=10 $$len $$dict \
			-artifact_prefix=build-fuzz/crashes/$$t- -print_final_stats=1 \
			build-fuzz/corpus/$$t tests/fuzz/corpus/$$t || fail=1; \
	done; exit $$fail

fuzz-merge:
	+$(FUZZ_CLANG) $(patsubst %,build-fuzz/fuzz/fuzz_%,$(FUZZ_TARGETS))
	@for t in $(FUZZ_TARGETS); do \
		rm -rf build-fuzz/merged/$$t && mkdir -p build-fuzz/merged/$$t build-fuzz/corpus/$$t && \
		{ cp tests/fuzz/corpus/$$t/seed-* build-fuzz/merged/$$t/ 2>/dev/null || true; } && \
		build-fuzz/fuzz/fuzz_$$t -merge=1 -use_counters=0 build-fuzz/merged/$$t tests/fuzz/corpus/$$t \
			build-fuzz/corpus/$$t 2>build-fuzz/merged/$$t.log && \
		rm -rf tests/fuzz/corpus/$$t && cp -r build-fuzz/merged/$$t tests/fuzz/corpus/$$t && \
		echo "fuzz merge: $$t: $$(ls tests/fuzz/corpus/$$t | wc -l) files" || \
		{ tail -20 build-fuzz/merged/$$t.log; exit 1; }; \
	done

fuzz-replay:
	@+$(FUZZ_ASAN) build-asan/fuzz/replay
	build-asan/fuzz/replay tests/fuzz/corpus

# ---- rules of the sub-makes (BUILD, CC and OPT set by the lines above) ----

$(BUILD)/fuzz/fixture.o: tests/fuzz/fixture.c $(FUZZ_DEPS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Itests/fuzz -c -o $@ $<

# A libFuzzer target (clang).
$(BUILD)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(BUILD)/fuzz/fixture.o $(OBJS) $(FUZZ_DEPS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Itests/fuzz -fsanitize=fuzzer $(LDFLAGS) -o $@ $< \
		$(BUILD)/fuzz/fixture.o $(OBJS) $(LDLIBS)

# A target for the replay program: its entry point renamed fuzz_<name>_one.
$(BUILD)/fuzz/one_%.o: tests/fuzz/fuzz_%.c $(FUZZ_DEPS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Itests/fuzz -DLLVMFuzzerTestOneInput=fuzz_$*_one -c -o $@ $<

$(BUILD)/fuzz/replay.o: tests/fuzz/replay.c tests/fuzz/fuzz.mk $(FUZZ_DEPS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) '-DFUZZ_TARGET_LIST=$(foreach t,$(FUZZ_ALL),X($t))' -c -o $@ $<

$(BUILD)/fuzz/replay: $(BUILD)/fuzz/replay.o $(patsubst %,$(BUILD)/fuzz/one_%.o,$(FUZZ_ALL)) \
		$(BUILD)/fuzz/fixture.o $(OBJS)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)
