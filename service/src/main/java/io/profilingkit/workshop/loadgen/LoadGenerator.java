package io.profilingkit.workshop.loadgen;

import java.io.Console;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The load generator's command line, shipped in the service jar as a second main class:
 *
 * <pre>java -cp workshop-service-1.0.0.jar io.profilingkit.workshop.loadgen.LoadGenerator --scenario cpu --duration 2m</pre>
 *
 * <p>{@code --help} lists the options. Exit status: 0 done, 1 error rate above
 * {@code --max-error-rate}, 2 bad arguments. Ctrl-C ends the run early and still prints the summary.
 */
public final class LoadGenerator {

    public static final int OK = 0;
    public static final int TOO_MANY_ERRORS = 1;
    public static final int USAGE = 2;

    private LoadGenerator() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err, onTerminal(), true));
    }

    /** The command line without a terminal or a Ctrl-C handler, for tests: the exit status is returned. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, out, err, false, false);
    }

    private static int run(String[] args, PrintStream out, PrintStream err, boolean inPlace, boolean stopOnSignal) {
        CommandLine.Parsed parsed;
        try {
            parsed = CommandLine.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("loadgen: " + e.getMessage() + " (see --help)");
            return USAGE;
        }
        if (parsed.help()) {
            out.print(CommandLine.usage());
            return OK;
        }
        Options options = parsed.options();
        err.println("loadgen: " + options.describe() + (stopOnSignal ? " (Ctrl-C stops early)" : ""));
        ProgressLine progress = new ProgressLine(err, inPlace);
        LoadRun run = new LoadRun(options, progress);
        CountDownLatch summarized = new CountDownLatch(1);
        if (stopOnSignal) {
            long waitMillis = options.grace().toMillis() + 2_000;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                run.stop();
                try {
                    summarized.await(waitMillis, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "loadgen-stop"));
        }
        Report report = run.execute();
        progress.finish();
        out.print(Summary.format(report));
        out.flush();
        summarized.countDown();
        return report.passed() ? OK : TOO_MANY_ERRORS;
    }

    /**
     * Whether the progress line can be rewritten in place. Up to JDK 21 {@code System.console()} is
     * null unless on a terminal; from JDK 22 it is not, and {@code Console.isTerminal()} tells.
     */
    private static boolean onTerminal() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            Method isTerminal = Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (NoSuchMethodException e) {
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }
}
