# SPDX-License-Identifier: MIT
# Two commands set everything up on a fresh Debian 12 machine (as root or with sudo):
#   make run    install what is missing, build, start the app (or render figures/ without a display)
#   make test   install what is missing, build, run every test through CTest
BUILD ?= build
JOBS ?= $(shell nproc)
PACKAGES := cmake g++ make pkg-config qt6-base-dev qt6-svg-dev libqcustomplot-dev libeigen3-dev \
            nlohmann-json3-dev libgl-dev xvfb xauth fonts-dejavu-core
SUDO := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)

.PHONY: deps configure build test run bench clean

deps:
	@missing=""; for p in $(PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
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

run: build
	@if [ -n "$$DISPLAY$$WAYLAND_DISPLAY" ]; then ./$(BUILD)/app/mla-studio; \
	else ./$(BUILD)/app/mla-studio figures --out figures; fi

bench: build
	./$(BUILD)/bench/bench_core

clean:
	rm -rf $(BUILD)
