# tests/fuzz/fuzz.mk: fuzz targets, included by the Makefile.
#
# libFuzzer on the file readers (clang; outside CI). FUZZ_SECONDS bounds the run.
FUZZ_SECONDS ?= 120
fuzz:
	$(MAKE) BUILD=build-fuzz CC=clang OPT="-O1 -fsanitize=fuzzer-no-link,address,undefined" \
		LDFLAGS="-fsanitize=address,undefined" build-fuzz/obj/gen/embedded.o \
		$(patsubst $(BUILD)/%,build-fuzz/%,$(filter-out $(BUILD)/obj/gen/embedded.o,$(OBJS)))
	clang -std=c11 -g -O1 -fsanitize=fuzzer,address,undefined -D_GNU_SOURCE -Isrc \
		-o build-fuzz/fuzz_table tests/fuzz/fuzz_table.c build-fuzz/obj/io/*.o \
		build-fuzz/obj/util/*.o build-fuzz/obj/domain/*.o build-fuzz/obj/gen/embedded.o \
		$(LDLIBS)
	mkdir -p build-fuzz/corpus
	cp tests/fixtures/*.xlsx build-fuzz/corpus/
	build-fuzz/fuzz_table -max_total_time=$(FUZZ_SECONDS) -max_len=65536 build-fuzz/corpus

