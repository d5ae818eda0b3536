# Tessera's two commands. Both install what is missing first (Debian 12 + Swift 6.3).
#   make run   installs system packages, starts Redis from redis/redis.conf, builds and serves on 127.0.0.1:8080
#   make test  installs system packages and runs the whole test suite (tests start their own redis-server),
#              then the end-to-end smoke test of the real binary (scripts/smoke-test.sh), nginx in
#              front of the example API node (scripts/nginx-test.sh, installs Debian's nginx if missing)
#              and a 90 s Schemathesis run of a live node against docs/openapi.yaml (scripts/conformance.sh)
#   make conformance  the same Schemathesis check for up to 10 minutes
#   make bench runs every benchmark by hand (benchmarks/run.sh, ~10 min; not part of make test)
#   make lint  checks the formatting of every Swift file (swift format, strict: warnings fail too); CI runs it first
#   make fault runs the fault test (scripts/fault-test.sh, ~2 min after the build): two nodes under load
#              while redis-server and a node are killed with SIGKILL; fails on any lost revocation
#   make failover runs the failover test (scripts/failover-test.sh, ~70 s after the build): a master,
#              a replica and three sentinels; two nodes with --min-replicas-ack 1 under load while the
#              master is killed with SIGKILL; fails on any lost revocation
#   make fuzz  builds the libFuzzer + AddressSanitizer targets in fuzz/ (a package of their own) and runs
#              each for FUZZ_SECONDS (60) from its committed seed corpus; fails on any crash, leak or
#              broken invariant (fuzz/README.md: the targets, what each checks, the last long run)
#   make tsan  runs the whole test suite under ThreadSanitizer in a build of its own (.build-tsan/):
#              ~10 min cold, ~3 min after a change, the tests ~45 s; fails on any report
.PHONY: run test build bench lint conformance fault failover tsan fuzz system-packages redis

system-packages:
	@scripts/install-system-packages.sh

redis: system-packages
	@scripts/start-redis.sh

build: system-packages
	swift build -c release --product tessera

run: redis build
	@scripts/run.sh

test: system-packages
	swift test
	scripts/smoke-test.sh
	scripts/nginx-test.sh
	scripts/conformance.sh --max-time 90

conformance: system-packages
	scripts/conformance.sh

bench: system-packages
	benchmarks/run.sh

lint:
	swift format lint --strict -r Sources Tests benchmarks fuzz

fuzz: system-packages
	fuzz/run.sh

fault: system-packages
	scripts/fault-test.sh

# The build first, then the test itself bounded (about 70 s here; killed after 5 minutes).
failover: system-packages
	swift build --product tessera
	timeout 300 scripts/failover-test.sh "$$(swift build --show-bin-path)/tessera"

# Synchronization.Mutex is invisible to TSan; scripts/tsan/suppressions.txt says why and what it hides.
tsan: system-packages
	TSAN_OPTIONS="suppressions=$(CURDIR)/scripts/tsan/suppressions.txt" swift test --sanitize=thread --scratch-path .build-tsan
