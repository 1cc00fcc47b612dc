# SPDX-License-Identifier: MIT
# Two commands set everything up on a fresh Debian 12 machine (as root or with sudo):
#   make run    install what is missing, build, start the app (or render figures/ without a display)
#   make test   install what is missing, build, run every test through CTest
#   make core   the core alone without Qt (build-core/, -DMLASTUDIO_BUILD_UI=OFF) and its tests
#   make asan   the tests again under AddressSanitizer + UBSan (build-asan/, LeakSanitizer on)
#   make fuzz   libFuzzer targets with clang (build-fuzz/), FUZZ_SECONDS each on a copy of the seed corpus
#   make package  a Debian package (and a .tar.gz) with CPack from the Release build
#   make gallery / make screenshots  regenerate docs/gallery and the README screenshots (tools, not tests)
BUILD ?= build
JOBS ?= $(shell nproc)
PACKAGES := cmake g++ make pkg-config qt6-base-dev qt6-svg-dev libqcustomplot-dev libeigen3-dev \
            nlohmann-json3-dev libgl-dev xvfb xauth fonts-dejavu-core
CORE_PACKAGES := cmake g++ make pkg-config libeigen3-dev nlohmann-json3-dev
FUZZ_PACKAGES := clang libclang-rt-14-dev
CORE_BUILD ?= build-core
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 30
FUZZ_TARGETS := fuzz_hardware_preset fuzz_model_preset fuzz_parameters fuzz_measured fuzz_cli
SUDO := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)

.PHONY: deps core-deps fuzz-deps install-packages configure build test core run bench asan fuzz package clean gallery screenshots

deps:
	@$(MAKE) --no-print-directory install-packages WANT="$(PACKAGES)"

core-deps:
	@$(MAKE) --no-print-directory install-packages WANT="$(CORE_PACKAGES)"

fuzz-deps:
	@$(MAKE) --no-print-directory install-packages WANT="$(PACKAGES) $(FUZZ_PACKAGES)"

install-packages:
	@missing=""; for p in $(WANT); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -q && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q --no-install-recommends $$missing; \
	fi

configure: deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release

build: configure
	cmake --build $(BUILD) -j$(JOBS)

test: build
	cd $(BUILD) && QT_QPA_PLATFORM=offscreen ctest --output-on-failure -j$(JOBS)

# The core without Qt: -DMLASTUDIO_BUILD_UI=OFF, and finding Qt at all is made an error, so a Qt
# dependency creeping into core/ or its tests fails here. Runs the Qt-free core tests (tests/core/check.h).
core: core-deps
	cmake -S . -B $(CORE_BUILD) -DCMAKE_BUILD_TYPE=Release -DMLASTUDIO_BUILD_UI=OFF \
	  -DCMAKE_DISABLE_FIND_PACKAGE_Qt6=ON -DCMAKE_DISABLE_FIND_PACKAGE_QCustomPlotQt6=ON
	cmake --build $(CORE_BUILD) -j$(JOBS)
	cd $(CORE_BUILD) && ctest --output-on-failure -j$(JOBS)

run: build
	@if [ -n "$$DISPLAY$$WAYLAND_DISPLAY" ]; then ./$(BUILD)/app/mla-studio; \
	else ./$(BUILD)/app/mla-studio figures --out figures; fi

gallery: build
	./$(BUILD)/app/mla-studio gallery --out docs/gallery

screenshots: build
	./$(BUILD)/tools/mla-studio-screenshots docs

bench: build
	./$(BUILD)/bench/bench_core
	./$(BUILD)/app/mla-studio bench-ui
	./$(BUILD)/app/mla-studio bench-ui --soak 6000
	sh bench/bench_sweep.sh ./$(BUILD)/app/mla-studio

# Sanitizers: every CTest test under ASan + UBSan with leak detection. tests/lsan.supp silences leaks
# inside third-party libraries only (fontconfig, dbus, Qt platform internals), never our code.
asan: deps
	cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMLASTUDIO_SANITIZE=ON
	cmake --build $(ASAN_BUILD) -j$(JOBS)
	cd $(ASAN_BUILD) && QT_QPA_PLATFORM=offscreen \
	  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0 \
	  ctest --output-on-failure -j$(JOBS)

# Fuzzing: each target runs FUZZ_SECONDS on a scratch copy of tests/fuzz/corpus/<target> (the committed
# seeds stay untouched); a crash, leak, timeout or sanitizer report stops make with a non-zero status and
# leaves the reproducer in $(FUZZ_BUILD)/artifacts/.
fuzz: fuzz-deps
	cmake -S . -B $(FUZZ_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
	  -DMLASTUDIO_FUZZ=ON -DMLASTUDIO_BUILD_TESTS=OFF
	cmake --build $(FUZZ_BUILD) -j$(JOBS) --target $(FUZZ_TARGETS)
	@set -e; mkdir -p $(FUZZ_BUILD)/artifacts; for t in $(FUZZ_TARGETS); do \
	  rm -rf $(FUZZ_BUILD)/corpus/$$t; mkdir -p $(FUZZ_BUILD)/corpus/$$t; \
	  cp tests/fuzz/corpus/$$t/* $(FUZZ_BUILD)/corpus/$$t/; \
	  echo "== $$t ($(FUZZ_SECONDS) s)"; \
	  QT_QPA_PLATFORM=offscreen ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0 \
	  ./$(FUZZ_BUILD)/tests/fuzz/$$t -max_total_time=$(FUZZ_SECONDS) -timeout=5 -rss_limit_mb=2048 \
	    -print_final_stats=1 -artifact_prefix=$(CURDIR)/$(FUZZ_BUILD)/artifacts/$$t- \
	    -dict=$(CURDIR)/tests/fuzz/$$(case $$t in fuzz_cli) echo cli;; fuzz_measured) echo measured;; *) echo json;; esac).dict $(CURDIR)/$(FUZZ_BUILD)/corpus/$$t 2>$(FUZZ_BUILD)/$$t.log \
	  || { tail -n 60 $(FUZZ_BUILD)/$$t.log; echo "fuzz: $$t failed (log $(FUZZ_BUILD)/$$t.log)"; exit 1; }; \
	  grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb)|cov:' $(FUZZ_BUILD)/$$t.log | tail -n 3; \
	done

# Debian package from the Release build: $(BUILD)/mla-studio_<version>_<arch>.deb (and a .tar.gz).
package: build
	cd $(BUILD) && cpack -G DEB && cpack -G TGZ

clean:
	rm -rf $(BUILD) $(CORE_BUILD)
