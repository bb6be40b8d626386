# Civil Affairs Platform — the front door. Every target installs what it needs first.
#
#   make run     install, build, start PostgreSQL + Redis under ./var, all services and the gateway
#   make test    install, build, run every test (unit, integration, e2e) against real servers
#   make build   compile everything into ./build
#   make deps    install missing Debian packages (apt-get; no system service is started)
#   make bench   benchmarks, figures printed as ratios against a baseline run alongside
#   make lint    clang-format check + cppcheck
#   make format  clang-format in place
#   make clean   remove ./build (./var, the local data, is kept; remove it by hand)

BUILD ?= build
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?= -DCMAKE_BUILD_TYPE=RelWithDebInfo
SOURCES = $(shell git ls-files '*.cc' '*.h' 2>/dev/null)

.PHONY: all deps build test run bench lint format clean

all: build

deps:
	@deploy/local/deps.sh

$(BUILD)/build.ninja: CMakeLists.txt
	cmake -S . -B $(BUILD) -G Ninja $(CMAKE_FLAGS)

build: deps $(BUILD)/build.ninja
	cmake --build $(BUILD) -j $(JOBS)

test: build
	cd $(BUILD) && ctest --output-on-failure --timeout 900 -j $(JOBS)

run: build
	deploy/local/run.sh

bench:
	@CIVIL_DEPS_BENCH=1 deploy/local/deps.sh
	@$(MAKE) --no-print-directory build
	tests/bench/run.sh

lint: deps
	clang-format --dry-run --Werror $(SOURCES)
	cppcheck --quiet --error-exitcode=1 --enable=warning,performance,portability \
	  --inline-suppr --std=c++20 --language=c++ --library=googletest -I . \
	  --suppress=missingIncludeSystem --suppress=unknownMacro \
	  $(filter %.cc,$(SOURCES))

format:
	clang-format -i $(SOURCES)

clean:
	rm -rf $(BUILD)
