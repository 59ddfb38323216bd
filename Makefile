# The front door of the kit. `make` alone lists the targets.
.DEFAULT_GOAL := help
SHELL := /bin/bash

MVNW := cd service && ./mvnw -B $(if $(CI),-ntp,)
JAR := service/target/workshop-service-1.0.0.jar
PORT ?= 8080
# make run / run-bare listen on loopback only, like the stack's ports; HOST=0.0.0.0 opens them to the network.
HOST ?= 127.0.0.1

.PHONY: help
help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z0-9_-]+:.*## / {printf "  \033[36m%-10s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

.PHONY: up down clean logs ps check
up: ## Build and start the stack (needs Docker), wait until healthy, print the URLs
	scripts/stack.sh up

down: ## Stop the stack; its data is kept for the next 'make up'
	scripts/stack.sh down

clean: ## Stop the stack and delete its data (volumes)
	scripts/stack.sh clean

logs: ## Follow the stack's logs (S=grafana for one service)
	scripts/stack.sh logs $(S)

ps: ## List the stack's containers and their health
	scripts/stack.sh ps

check: ## Check the running stack over HTTP, signal by signal
	scripts/check-stack.sh

SCENARIO ?= mixed
DURATION ?= 2m
URL ?= http://127.0.0.1:$(PORT)

.PHONY: load traffic upgrade downgrade
load: build ## Send workshop traffic from this machine: SCENARIO=mixed|cpu|cached|uncached|io|alloc|lock|spike DURATION=2m [RATE=20|CONCURRENCY=4] [URL=...]
	java -cp $(JAR) io.profilingkit.workshop.loadgen.LoadGenerator --url $(URL) --scenario $(SCENARIO) --duration $(DURATION) $(if $(RATE),--rate $(RATE)) $(if $(CONCURRENCY),--concurrency $(CONCURRENCY))

traffic: ## Switch the stack's own load generator to SCENARIO (default mixed)
	scripts/stack.sh traffic $(SCENARIO)

upgrade: ## Deploy version 1.1.0 of the service in the stack (primes by sieve) and print a diff-view link
	scripts/stack.sh upgrade

downgrade: ## Go back to version 1.0.0 (slow primes) and print a diff-view link
	scripts/stack.sh downgrade

# The browser walk of the click path (e2e/, docs/stack.md "make e2e"). e2e runs it in Playwright's
# image against the running stack; e2e-check needs only Node.js and npm: it installs the locked
# packages (no browser) and type-checks the walk and lists its steps.
.PHONY: e2e e2e-check
e2e: ## Walk the click path in a browser against the running stack (make up first); e2e/results/
	scripts/e2e.sh

e2e-check: ## Type-check the browser walk and list its steps (npm ci in e2e/, no browser, no Docker)
	cd e2e && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error && npx tsc --noEmit && npx playwright test --list

.PHONY: build
build: ## Build the service jar
	$(MVNW) -q package -DskipTests

.PHONY: test
test: ## Run every test (unit, HTTP, and the checks that need no Docker)
	$(MVNW) verify

.PHONY: test-under-load
test-under-load: ## make test RUNS=3 times from fresh clones of HEAD, with BURNERS=2 CPU-bound processes beside it
	scripts/test-under-load.sh

.PHONY: run
run: build ## Run the service locally with its agents on http://127.0.0.1:8080 (PORT=..., HOST=0.0.0.0 for all interfaces)
	service/run-instrumented.sh -micronaut.server.host=$(HOST) -micronaut.server.port=$(PORT)

# Your own service with the kit's agents and settings (README, "Instrument your own service"):
#   make instrument SERVICE_NAME=checkout APP_JAR=path/to/app.jar [APP_ENV=prod APP_VERSION=1.4.2] [TELEMETRY_PRESET=production] [APP_ARGS="..."]
#   make instrument SERVICE_NAME=checkout APP_MAIN=com.example.Main APP_CP='app.jar:lib/*'
#   make instrument SERVICE_NAME=checkout APP_CMD="java -Xmx512m -jar app.jar --server.port=8081"
# Endpoints and credentials: the launcher's environment variables (OTEL_EXPORTER_OTLP_*, PYROSCOPE_*).
.PHONY: instrument instrument-args
instrument: instrument-args build ## Run your own JVM service with the agents: SERVICE_NAME= and APP_JAR= (or APP_MAIN= APP_CP=, or APP_CMD=)
	service/run-instrumented.sh --name '$(SERVICE_NAME)' $(if $(APP_ENV),--env '$(APP_ENV)') $(if $(APP_VERSION),--version '$(APP_VERSION)') \
		$(if $(TELEMETRY_PRESET),--preset '$(TELEMETRY_PRESET)') \
		$(if $(APP_JAR),--jar '$(APP_JAR)',$(if $(APP_MAIN),--main '$(APP_MAIN)' --cp '$(APP_CP)',-- $(APP_CMD))) $(APP_ARGS)

instrument-args:
	@test -n "$(SERVICE_NAME)" || { echo "make instrument: give SERVICE_NAME=<name> and APP_JAR=, APP_MAIN= and APP_CP=, or APP_CMD=" >&2; exit 2; }
	@test -n "$(APP_JAR)$(APP_MAIN)$(APP_CMD)" || { echo "make instrument: give APP_JAR=, APP_MAIN= and APP_CP=, or APP_CMD=" >&2; exit 2; }

.PHONY: run-bare
run-bare: build ## Run the service locally without any agent
	java -jar $(JAR) -micronaut.server.host=$(HOST) -micronaut.server.port=$(PORT)

# The overhead benchmark runs from the test classes (it drives the service through the test
# sinks); BENCH_ARGS adds options, e.g. BENCH_ARGS="--rounds 5" (see bench/README.md).
BENCH := $(MVNW) -q -DskipTests package dependency:build-classpath -Dmdep.includeScope=test \
	-Dmdep.outputFile=target/bench.classpath && java -cp target/test-classes:target/classes:$$(cat target/bench.classpath) \
	io.profilingkit.workshop.bench.OverheadBench

.PHONY: bench bench-quick
bench: ## What the instrumentation costs: bare vs each agent vs full vs production preset, 3 rounds, idle CPU too (about 20 min); writes bench/
	$(BENCH) full $(BENCH_ARGS)

bench-quick: ## The benchmark's quick mode: bare vs full, 2 short rounds (about 3 min), indicative only
	$(BENCH) quick $(BENCH_ARGS)
