# Tessera's two commands. Both install what is missing first (Debian 12 + Swift 6.3).
#   make run   installs system packages, starts Redis from redis/redis.conf, builds and serves on 127.0.0.1:8080
#   make test  installs system packages and runs the whole test suite (tests start their own redis-server),
#              then the end-to-end smoke test of the real binary (scripts/smoke-test.sh) and nginx
#              in front of the example API node (scripts/nginx-test.sh, installs Debian's nginx if missing)
#   make bench runs every benchmark by hand (benchmarks/run.sh, ~10 min; not part of make test)
.PHONY: run test build bench system-packages redis

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

bench: system-packages
	benchmarks/run.sh
