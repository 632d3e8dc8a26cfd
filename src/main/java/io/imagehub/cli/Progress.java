package io.imagehub.cli;

import java.io.PrintStream;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress of long operations, on stderr so that stdout carries only the result: on a terminal, one bar per task
 * (me.tongfei:progressbar: percent, rate, ETA); otherwise plain lines, one when the whole percent changes and at
 * most one a second per task.
 */
abstract class Progress {

    /** One thing under way: bytes of an upload, the percent of a copy. */
    abstract static class Task implements AutoCloseable {
        abstract void update(long current, String state);

        @Override
        public abstract void close();
    }

    /** {@code unitBytes}: the total counts bytes (shown in MiB) rather than percent points. */
    abstract Task task(String name, long total, boolean unitBytes);

    static Progress forContext(CliContext ctx) {
        return ctx.terminal() ? new Bars() : new Lines(ctx.err());
    }

    private static final class Bars extends Progress {
        @Override
        Task task(String name, long total, boolean unitBytes) {
            ProgressBarBuilder builder = new ProgressBarBuilder().setTaskName(name).setInitialMax(total)
                    .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK).setUpdateIntervalMillis(200).continuousUpdate();
            if (unitBytes) {
                builder.setUnit(" MiB", 1L << 20).showSpeed();
            } else {
                builder.setUnit("%", 1);
            }
            ProgressBar bar = builder.build();
            return new Task() {
                @Override
                void update(long current, String state) {
                    bar.stepTo(current);
                    if (state != null) {
                        bar.setExtraMessage(state);
                    }
                }

                @Override
                public void close() {
                    bar.close();
                }
            };
        }
    }

    private static final class Lines extends Progress {
        private final PrintStream err;

        Lines(PrintStream err) {
            this.err = err;
        }

        @Override
        Task task(String name, long total, boolean unitBytes) {
            return new Task() {
                private long lastPercent = -1;
                private String lastState;
                private long lastLineAt;

                @Override
                synchronized void update(long current, String state) {
                    long percent = total <= 0 ? 0 : current * 100 / total;
                    long now = System.nanoTime();
                    boolean changed = percent != lastPercent || (state != null && !state.equals(lastState));
                    if (changed && (percent == 100 || lastPercent < 0 || now - lastLineAt >= 1_000_000_000L)) {
                        err.println(name + ": " + percent + "%" + (unitBytes ? " (" + mib(current) + " of "
                                + mib(total) + " MiB)" : "") + (state == null ? "" : " " + state));
                        lastPercent = percent;
                        lastState = state;
                        lastLineAt = now;
                    }
                }

                @Override
                public void close() {
                }
            };
        }

        private static String mib(long bytes) {
            return String.format("%.1f", bytes / (double) (1L << 20));
        }
    }
}
