# CityData — the two commands that matter: `make demo` (run the platform) and `make test`.
.PHONY: help deps build test demo up down logs status bench-kafka bench-schema clean

help:
	@echo "make test         install what is missing, start the test servers, run every test"
	@echo "make demo         run the whole platform locally and load the real data (later issues)"
	@echo "make up / down    start / stop the local stack in the background (writes .dev/stack.env)"
	@echo "make logs/status  follow the services' logs / show each service's readiness"
	@echo "make bench-kafka  producer and consumer throughput against kcat (docs/benchmarks.md)"
	@echo "make bench-schema message-schema encode+decode round trips per second"

deps:
	bash Tools/stack/install-deps.sh

build: deps
	swift build --build-tests

test:
	bash Tools/stack/test.sh

bench-kafka: deps
	bash Tools/bench/kafka-bench.sh

bench-schema:
	swift build -c release --product schema-bench
	.build/release/schema-bench

up:
	bash Tools/stack/stack.sh up

down:
	bash Tools/stack/stack.sh down

logs:
	bash Tools/stack/stack.sh logs

status:
	bash Tools/stack/stack.sh status

demo:
	@echo "make demo: loading the real data arrives with the ingest and catalog issues (#5, #6); 'make up' runs the platform now"; exit 1

clean:
	bash Tools/stack/stack.sh down || true
	rm -rf .dev
