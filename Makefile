# Civil Affairs Platform — the front door. Every target installs what it needs first.
#
#   make run     install, build, start PostgreSQL + Redis under ./var, all services and the gateway
#   make test    install, build, run every test (unit, integration, e2e) against real servers
#   make build   compile everything into ./build
#   make deps    install missing Debian packages (apt-get; no system service is started)
#   make bench   benchmarks, figures printed as ratios against a baseline run alongside
#   make lint    clang-format check + cppcheck
#   make format  clang-format in place
#   make fuzz    run the gateway's libFuzzer target for 10 minutes (ctest runs it for 20 s)
#   make demo    start the platform on a fresh var/demo, build 枞阳县 2023-H1 through the API
#                (tools/county_datagen.py, DEMO_SCALE=1.0) and print the work summary
#   make datagen fill the make run database with a synthetic county caseload (100k households)
#   make clean   remove ./build (./var, the local data, is kept; remove it by hand)

BUILD ?= build
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?= -DCMAKE_BUILD_TYPE=RelWithDebInfo
SOURCES = $(shell git ls-files '*.cc' '*.h' 2>/dev/null)

.PHONY: all deps build test run demo bench lint format clean datagen fuzz

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

# DEMO_SCALE (default 1.0, the seed's county; 0.02 takes seconds), DEMO_FLAGS (more generator flags).
demo: build
	deploy/local/demo.sh

bench:
	@deploy/local/deps.sh
	@CIVIL_DEPS_BENCH=1 deploy/local/deps.sh || echo "make bench: not every benchmark package" \
	  "(wrk, h2load, Go and grpc-gateway for the peer) could be installed; the parts that need" \
	  "them say so and are skipped" >&2
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

# make datagen: fill the `make run` database (./var) with a synthetic county caseload for demos
# and load tests (services/assistance/tools/datagen.cc). Starts ./var's PostgreSQL when `make run`
# is not running, and stops it again. DATAGEN_FLAGS: see `assistance_datagen --help`.
DATAGEN_FLAGS ?= --households 100000 --payments-months 10

datagen: build
	@bash -c 'set -euo pipefail; source deploy/local/lib.sh; \
	  var=$${CIVIL_VAR:-$(CURDIR)/var}; port=$${CIVIL_PG_PORT:-55432}; started=; \
	  if ! $$PG_BIN/pg_isready -q -h 127.0.0.1 -p $$port; then pg_start $$var $$port; started=1; fi; \
	  trap "[[ -z \"$$started\" ]] || pg_stop $$var" EXIT; \
	  pg_ensure_db $$port civil_assistance; \
	  [[ -s $$var/pii.key ]] || (umask 077 && openssl rand -hex 32 >$$var/pii.key); \
	  CIVIL_PII_KEY=$$(cat $$var/pii.key) $(BUILD)/services/assistance/tools/assistance_datagen \
	    --dsn "host=127.0.0.1 port=$$port user=civil dbname=civil_assistance" $(DATAGEN_FLAGS)'

fuzz: build
	$(BUILD)/tests/gateway_fuzz -max_total_time=600 -timeout=10 -rss_limit_mb=2048 \
	  $(BUILD)/tests/gateway_fuzz_corpus tests/gateway/fuzz_corpus

clean:
	rm -rf $(BUILD)
