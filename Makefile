# ebb -- the two commands a newcomer runs:
#   make run    build ebb, then run the bundled example guest
#   make test   build and pass every test (release build, then ASan+UBSan)
# Both install missing Debian packages first (scripts/deps.sh).

JOBS ?= $(shell nproc 2>/dev/null || echo 2)
BUILD ?= build
ASAN_BUILD ?= build-asan

.PHONY: all deps build run test test-release test-asan bench clean

all: build

deps:
	@scripts/deps.sh

build: deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

run: build
	$(BUILD)/ebb run $(BUILD)/wasm/hello.wasm "Ada" "Grace"

test: test-release test-asan

test-release: build
	cd $(BUILD) && ctest -j $(JOBS) --output-on-failure

test-asan: deps
	@cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DEBB_ENABLE_ASAN=ON -DEBB_WERROR=ON >/dev/null
	@cmake --build $(ASAN_BUILD) -j $(JOBS)
	cd $(ASAN_BUILD) && ctest -j $(JOBS) --output-on-failure

bench: build
	bench/run.sh --ebb $(BUILD)/ebb

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)
