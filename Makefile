# ebb -- the two commands a newcomer runs:
#   make run    build ebb, then run the bundled example guest
#   make test   build and pass every test: release build, ASan+UBSan build,
#               switch-dispatch build (spec and unit), ThreadSanitizer build (unit, threads),
#               60 s of fuzzing per target
# Both install missing Debian packages first (scripts/deps.sh).
#   make install [PREFIX=/usr/local] [DESTDIR=/staging]
#               install headers, libraries, ebb, pkg-config and CMake files

JOBS ?= $(shell nproc 2>/dev/null || echo 2)
BUILD ?= build
ASAN_BUILD ?= build-asan
TSAN_BUILD ?= build-tsan
SWITCH_BUILD ?= build-switch
PREFIX ?= /usr/local

.PHONY: all deps build install run test test-release test-asan test-tsan test-switch test-fuzz bench clean

all: build

deps:
	@scripts/deps.sh

build: deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

# DESTDIR stages the install (packaging): files go to $(DESTDIR)$(PREFIX).
install: build
	DESTDIR="$(DESTDIR)" cmake --install $(BUILD) --prefix "$(PREFIX)"

run: build
	$(BUILD)/ebb run $(BUILD)/wasm/hello.wasm "Ada" "Grace"

test: test-release test-asan test-switch test-tsan test-fuzz

test-release: build
	cd $(BUILD) && ctest -j $(JOBS) --output-on-failure

test-asan: deps
	@cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DEBB_ENABLE_ASAN=ON -DEBB_WERROR=ON >/dev/null
	@cmake --build $(ASAN_BUILD) -j $(JOBS)
	cd $(ASAN_BUILD) && ctest -j $(JOBS) --output-on-failure

# The portable dispatch (a switch instead of computed goto) must stay correct,
# and so must the portable SIMD lanes (no intrinsics).
test-switch: deps
	@cmake -S . -B $(SWITCH_BUILD) -DCMAKE_BUILD_TYPE=Release \
	  -DEBB_ENABLE_COMPUTED_GOTO=OFF -DEBB_SIMD_PORTABLE=ON -DEBB_WERROR=ON >/dev/null
	@cmake --build $(SWITCH_BUILD) -j $(JOBS)
	cd $(SWITCH_BUILD) && ctest -j $(JOBS) -L "spec|unit" --output-on-failure

# Threaded code under ThreadSanitizer.
test-tsan: deps
	@cmake -S . -B $(TSAN_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DEBB_ENABLE_TSAN=ON -DEBB_WERROR=ON >/dev/null
	@cmake --build $(TSAN_BUILD) -j $(JOBS)
	cd $(TSAN_BUILD) && TSAN_OPTIONS=halt_on_error=1 ctest -j $(JOBS) -L "unit|threads" --output-on-failure

# Fuzz targets (fuzz/README.md): replay fuzz/regressions/ and the seeds, then
# fuzz each target for FUZZ_SECONDS (default 60), as many at once as cores.
test-fuzz: deps
	fuzz/run.sh

bench: build
	bench/run.sh --ebb $(BUILD)/ebb

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(TSAN_BUILD) $(SWITCH_BUILD)
