# xinqu — build, run and test. `make run` and `make test` are all a new machine needs.
CC      ?= cc
PKGS    := libmicrohttpd jansson sqlite3 libpq libsodium lua5.4 pangocairo libqrencode xlsxwriter libmagic libzip expat
CSTD    := -std=c17 -D_GNU_SOURCE
WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes
CFLAGS  ?= -O2 -g
XCFLAGS := $(CSTD) $(WARN) -pthread $(shell pkg-config --cflags $(PKGS) 2>/dev/null) -Isrc -Ibuild/gen
LDLIBS  := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -pthread -lm

LIBSRC  := $(sort $(wildcard src/base/*.c src/store/*.c src/domain/*.c src/http/*.c))
DATA    := $(sort $(wildcard data/calendar/*.csv data/iso/*.csv data/jinpu/*.csv data/passwords/*.txt data/ladder/*.lua data/rules/*.lua data/talent/*.lua data/talent/*.json data/talent/*.csv))
UNITSRC := $(sort $(wildcard tests/unit/test_*.c))
FUZZSRC := $(sort $(wildcard tests/fuzz/fuzz_*.c))

# Normal build in build/, sanitizer build in build/asan/.
OBJ      := $(LIBSRC:src/%.c=build/obj/%.o) build/obj/gen/embedded.o
UNITBIN  := $(UNITSRC:tests/unit/%.c=build/%)
AOBJ     := $(LIBSRC:src/%.c=build/asan/obj/%.o) build/asan/obj/gen/embedded.o
AUNITBIN := $(UNITSRC:tests/unit/%.c=build/asan/%)
ASANFL   := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined

.PHONY: all deps run test unit asan api browser web bench fuzz clean
all: build/xinqu

deps:
	@./scripts/deps

build/gen/embedded.c: $(DATA) scripts/embed
	@mkdir -p $(@D)
	./scripts/embed $(DATA) > $@

build/obj/gen/embedded.o: build/gen/embedded.c
	@mkdir -p $(@D)
	$(CC) $(XCFLAGS) $(CFLAGS) -Wno-missing-prototypes -c $< -o $@

build/obj/%.o: src/%.c $(wildcard src/*/*.h) build/gen/embedded.c
	@mkdir -p $(@D)
	$(CC) $(XCFLAGS) $(CFLAGS) -c $< -o $@

build/libxinqu.a: $(OBJ)
	@rm -f $@
	ar rcs $@ $^

build/xinqu: src/main.c build/libxinqu.a
	$(CC) $(XCFLAGS) $(CFLAGS) src/main.c build/libxinqu.a $(LDLIBS) -o $@

build/test_%: tests/unit/test_%.c $(wildcard tests/unit/*.h) build/libxinqu.a
	$(CC) $(XCFLAGS) $(CFLAGS) -Wno-missing-prototypes $< build/libxinqu.a $(LDLIBS) -lcmocka -o $@

build/asan/obj/gen/embedded.o: build/gen/embedded.c
	@mkdir -p $(@D)
	$(CC) $(XCFLAGS) $(ASANFL) -Wno-missing-prototypes -c $< -o $@

build/asan/obj/%.o: src/%.c $(wildcard src/*/*.h) build/gen/embedded.c
	@mkdir -p $(@D)
	$(CC) $(XCFLAGS) $(ASANFL) -c $< -o $@

build/asan/libxinqu.a: $(AOBJ)
	@rm -f $@
	ar rcs $@ $^

build/asan/xinqu: src/main.c build/asan/libxinqu.a
	$(CC) $(XCFLAGS) $(ASANFL) src/main.c build/asan/libxinqu.a $(LDLIBS) -o $@

build/asan/test_%: tests/unit/test_%.c $(wildcard tests/unit/*.h) build/asan/libxinqu.a
	$(CC) $(XCFLAGS) $(ASANFL) -Wno-missing-prototypes $< build/asan/libxinqu.a $(LDLIBS) -lcmocka -o $@

build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(LIBSRC) build/gen/embedded.c
	@mkdir -p $(@D)
	clang $(CSTD) -pthread -Isrc -Ibuild/gen $(shell pkg-config --cflags $(PKGS)) -g -O1 \
	  -fsanitize=fuzzer,address,undefined $< $(LIBSRC) build/gen/embedded.c $(LDLIBS) -o $@

# The web front end: Vite builds web/src into web/dist when a source changed.
WEBSRC := $(shell find web/src -type f 2>/dev/null) web/index.html web/vite.config.mjs package-lock.json
web/dist/index.html: $(WEBSRC)
	npm run build
	@touch $@

web: web/dist/index.html

# The targets that install packages first build in a second make, which
# reads this file again: pkg-config's flags are only known once the -dev
# packages are there (on a fresh machine, not when this make started).
run: deps
	@$(MAKE) --no-print-directory build/xinqu web/dist/index.html
	./scripts/run

# Every layer; the last line is "N passed, N failed".
# The bench programs are built too (not run): a change that breaks one
# fails here rather than at the next `make bench`.
test: deps
	@$(MAKE) --no-print-directory build/xinqu build/asan/xinqu $(UNITBIN) $(AUNITBIN) web/dist/index.html $(BENCHBIN)
	./scripts/test

unit: build/xinqu $(UNITBIN)
	./scripts/test unit

asan: $(AUNITBIN) build/asan/xinqu
	./scripts/test asan api-asan

api: build/xinqu
	./scripts/test api

browser: build/xinqu web/dist/index.html
	./scripts/test browser

build/bench/sqlite_ref: tests/bench/sqlite_ref.c
	@mkdir -p $(@D)
	$(CC) $(XCFLAGS) -O2 $< $(LDLIBS) -o $@

build/bench/flush_shim.so: tests/bench/flush_shim.c
	@mkdir -p $(@D)
	$(CC) $(XCFLAGS) -O2 -shared -fPIC $< -ldl -o $@

build/bench/rules_bench: tests/bench/rules_bench.c build/libxinqu.a
	@mkdir -p $(@D)
	$(CC) $(XCFLAGS) -O2 $< build/libxinqu.a $(LDLIBS) -o $@

# The ladder's rules come with libxinqu.a's embedded data (ladder/*.lua).
build/bench/ladder_bench: tests/bench/ladder_bench.c build/libxinqu.a
	@mkdir -p $(@D)
	$(CC) $(XCFLAGS) -O2 $< build/libxinqu.a $(LDLIBS) -o $@

build/bench/talent_bench: tests/bench/talent_bench.c build/libxinqu.a
	@mkdir -p $(@D)
	$(CC) $(XCFLAGS) -O2 $< build/libxinqu.a $(LDLIBS) -o $@

# 免申即享's scan over the talent records (talent_scan.c).
build/bench/talent_scan_bench: tests/bench/talent_scan_bench.c build/libxinqu.a
	@mkdir -p $(@D)
	$(CC) $(XCFLAGS) -O2 $< build/libxinqu.a $(LDLIBS) -o $@

BENCHBIN := build/bench/sqlite_ref build/bench/flush_shim.so build/bench/rules_bench build/bench/ladder_bench \
  build/bench/talent_bench build/bench/talent_scan_bench

bench: deps
	@$(MAKE) --no-print-directory build/xinqu $(BENCHBIN)
	./scripts/bench

FUZZ_SECONDS ?= 30
fuzz: deps
	@$(MAKE) --no-print-directory $(FUZZSRC:tests/fuzz/%.c=build/fuzz/%)
	./scripts/fuzz $(FUZZ_SECONDS)

clean:
	rm -rf build web/dist
