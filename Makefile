# matterfab: the two commands of the README, and the targets behind them.
#
#   make demo   install Debian dependencies, build, run the example job
#   make test   build, run every test (release, ASan+UBSan, fuzz smoke)

DEBIAN_PACKAGES = build-essential cmake pkg-config clang libclang-rt-14-dev \
	libssl-dev libsqlite3-dev libcmocka-dev libjansson-dev libqrencode-dev \
	libpng-dev zlib1g-dev zbar-tools softhsm2 libp11-dev libengine-pkcs11-openssl opensc openssl

JOBS ?= $(shell nproc)
FUZZ_SECONDS ?= 20
SUDO := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)
CTEST = ctest --output-on-failure -j $(JOBS)

.PHONY: all deps build demo test test-release test-sanitize test-tsan test-fuzz \
	bench fuzz clean

all: build

deps:
	@if ! dpkg -s $(DEBIAN_PACKAGES) >/dev/null 2>&1; then \
		$(SUDO) apt-get update && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive \
			apt-get install -y --no-install-recommends $(DEBIAN_PACKAGES); \
	fi

build:
	cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo
	cmake --build build -j $(JOBS)

demo: deps build
	sh scripts/demo.sh build/cli/matterfab

test: test-release test-sanitize test-tsan test-fuzz

test-release: build
	cd build && $(CTEST)

test-sanitize:
	cmake -S . -B build-san -DCMAKE_BUILD_TYPE=Debug -DMFAB_SANITIZE=ON \
		-DMFAB_BUILD_BENCH=OFF
	cmake --build build-san -j $(JOBS)
	cd build-san && ASAN_OPTIONS=detect_leaks=1 \
		UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 $(CTEST)

# ThreadSanitizer on the multi-threaded domains.
test-tsan:
	cmake -S . -B build-tsan -DCMAKE_BUILD_TYPE=Debug -DMFAB_BUILD_BENCH=OFF \
		-DCMAKE_C_FLAGS=-fsanitize=thread -DCMAKE_EXE_LINKER_FLAGS=-fsanitize=thread
	cmake --build build-tsan -j $(JOBS)
	cd build-tsan && TSAN_OPTIONS=halt_on_error=1 $(CTEST) -L "batch|mfg"

test-fuzz:
	CC=clang cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=Debug \
		-DMFAB_FUZZ=ON -DMFAB_BUILD_TESTS=OFF -DMFAB_BUILD_CLI=OFF \
		-DMFAB_BUILD_BENCH=OFF -DMFAB_FUZZ_SECONDS=$(FUZZ_SECONDS)
	cmake --build build-fuzz -j $(JOBS)
	cd build-fuzz && $(CTEST) -L fuzz

# Long fuzzing session: make fuzz FUZZ_SECONDS=3600
fuzz: test-fuzz

bench: build
	sh scripts/bench.sh build/bench

clean:
	rm -rf build build-san build-tsan build-fuzz demo-out
