package io.profilingkit.workshop.loadgen;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The live line on stderr: rewritten in place ({@code \r}) on a terminal, one line per second
 * otherwise, so logs of a CI job or a container stay readable.
 */
final class ProgressLine implements Consumer<Progress> {

    private final PrintStream err;
    private final boolean inPlace;
    private int lastLength;
    private boolean open;

    ProgressLine(PrintStream err, boolean inPlace) {
        this.err = err;
        this.inPlace = inPlace;
    }

    @Override
    public synchronized void accept(Progress p) {
        String line = format(p);
        if (inPlace) {
            err.print("\r" + line + " ".repeat(Math.max(0, lastLength - line.length())));
            lastLength = line.length();
            open = true;
        } else {
            err.println(line);
        }
        err.flush();
    }

    /** Ends the line being rewritten, so what follows starts on a line of its own. */
    synchronized void finish() {
        if (open) {
            err.println();
            err.flush();
            open = false;
        }
    }

    static String format(Progress p) {
        double errorRate = p.requests() == 0 ? 0 : 100.0 * p.errors() / p.requests();
        return String.format(Locale.ROOT, "%4ds/%ds  %4ds left  requests %d  %.1f/s  errors %d (%.2f%%)  in flight %d  p50 %s  p99 %s",
                p.elapsedSeconds(), p.duration().toSeconds(), p.remainingSeconds(), p.requests(), p.rate(),
                p.errors(), errorRate, p.inFlight(), Summary.millis(p.p50Millis()), Summary.millis(p.p99Millis()));
    }
}
