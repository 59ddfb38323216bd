package io.profilingkit.workshop.loadgen;

import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The load generator's arguments, turned into {@link Options}; any mistake is one line of {@link IllegalArgumentException}. */
final class CommandLine {

    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h)?");

    private CommandLine() {
    }

    /** {@code help} true means: print {@link #usage()} and do nothing else. */
    record Parsed(Options options, boolean help) {
    }

    static Parsed parse(String[] args) {
        Options options = Options.defaults();
        Double rate = null;
        Integer concurrency = null;
        Duration spikeEvery = null;
        Duration spikeLength = null;
        Double spikeFactor = null;
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                return new Parsed(options, true);
            }
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + arg + "'");
            }
            String name = arg;
            String value;
            int eq = arg.indexOf('=');
            if (eq > 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new IllegalArgumentException(name + " needs a value");
            }
            if (!seen.add(name)) {
                throw new IllegalArgumentException(name + " is given twice");
            }
            switch (name) {
                case "--scenario" -> options = options.scenario(Scenario.fromCliName(value));
                case "--url" -> options = options.url(url(value));
                case "--duration" -> options = options.duration(duration(name, value));
                case "--rate" -> rate = number(name, value, "a number of requests per second");
                case "--concurrency" -> concurrency = integer(name, value);
                case "--max-error-rate" -> options = options.maxErrorRate(fraction(name, value));
                case "--timeout" -> options = options.requestTimeout(duration(name, value));
                case "--spike-every" -> spikeEvery = duration(name, value);
                case "--spike-length" -> spikeLength = duration(name, value);
                case "--spike-factor" -> spikeFactor = number(name, value, "a multiple of the base rate");
                default -> throw new IllegalArgumentException("unknown option " + name);
            }
        }
        if (rate != null && concurrency != null) {
            throw new IllegalArgumentException("give --rate (open loop) or --concurrency (closed loop), not both");
        }
        if (rate != null) {
            options = options.openLoop(rate);
        }
        if (concurrency != null) {
            options = options.closedLoop(concurrency);
        }
        if (spikeEvery != null || spikeLength != null || spikeFactor != null) {
            if (options.scenario() != Scenario.SPIKE) {
                throw new IllegalArgumentException("--spike-every, --spike-length and --spike-factor need --scenario spike");
            }
            Spike d = Spike.DEFAULT;
            options = options.spike(new Spike(spikeEvery != null ? spikeEvery : d.every(),
                    spikeLength != null ? spikeLength : d.length(), spikeFactor != null ? spikeFactor : d.factor()));
        }
        return new Parsed(options, false);
    }

    private static URI url(String value) {
        try {
            return new URI(value);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("--url is not a URL: " + value);
        }
    }

    /** {@code 90} (seconds), {@code 90s}, {@code 2m}, {@code 1h}, {@code 500ms}. */
    static Duration duration(String name, String value) {
        Matcher m = DURATION.matcher(value.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException(name + " must be a duration like 30s, 2m or 1h, got '" + value + "'");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        return switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofSeconds(n);
        };
    }

    private static double number(String name, String value, String what) {
        try {
            double d = Double.parseDouble(value.trim());
            if (Double.isFinite(d) && d > 0) {
                return d;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(name + " must be " + what + " above 0, got '" + value + "'");
    }

    private static int integer(String name, String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, got '" + value + "'");
        }
    }

    /** {@code 0.05} or {@code 5%}. */
    private static double fraction(String name, String value) {
        String v = value.trim();
        boolean percent = v.endsWith("%");
        try {
            double d = Double.parseDouble(percent ? v.substring(0, v.length() - 1) : v);
            if (Double.isFinite(d)) {
                return percent ? d / 100 : d;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(name + " must be a fraction like 0.01 or a percentage like 1%, got '" + value + "'");
    }

    static String usage() {
        StringBuilder scenarios = new StringBuilder();
        for (Scenario s : Scenario.values()) {
            scenarios.append(String.format(Locale.ROOT, "  %-9s %5.0f/s  %s%n", s.cliName(), s.defaultRate(), s.description()));
        }
        Spike d = Spike.DEFAULT;
        return """
                Usage: java -cp workshop-service.jar io.profilingkit.workshop.loadgen.LoadGenerator [options]

                Sends one scenario's traffic to the workshop service for a bounded time, prints a
                progress line every second (stderr) and a summary per endpoint (stdout).

                Options:
                  --scenario NAME        what to send (default mixed), see below
                  --url URL              the service (default %s)
                  --duration TIME        how long: 90s, 2m, 1h (default %s, at most %s)
                  --rate N               open loop: N requests per second on a fixed schedule, whatever
                                         the answers do (default: the scenario's rate below)
                  --concurrency N        closed loop instead: N requests in flight, each followed at
                                         once by the next (1 to %d)
                  --max-error-rate X     exit 1 if more than X of the requests fail: 0.05 or 5%%
                                         (default %s); a failure is a 4xx/5xx, a timeout, a refused
                                         connection or a request still unanswered after the run
                  --timeout TIME         a request unanswered by then fails (default 10s)
                  --spike-every TIME     spike only: a burst every TIME (default %s)
                  --spike-length TIME    spike only: each burst lasts TIME (default %s)
                  --spike-factor N       spike only: bursts run at N times the rate (default %s)
                  -h, --help             this text

                Scenarios (default rate):
                %s

                Latency: in an open loop, counted from when each request was due, so a service
                that falls behind shows it; the progress line shows p50/p99 of the last second,
                the summary those of the whole run. In-flight requests get %s after the end, then
                are abandoned (counted as errors).

                Exit status: 0 done, 1 error rate above --max-error-rate, 2 bad arguments.
                """.formatted(Options.DEFAULT_URL, Options.format(Options.DEFAULT_DURATION),
                Options.format(Options.MAX_DURATION), Options.MAX_CONCURRENCY,
                percent(Options.DEFAULT_MAX_ERROR_RATE), Options.format(d.every()), Options.format(d.length()),
                trim(d.factor()), scenarios.toString().stripTrailing(), Options.format(Options.defaults().grace()));
    }

    static String percent(double fraction) {
        return trim(fraction * 100) + "%";
    }

    private static String trim(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
