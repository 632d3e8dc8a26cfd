package io.imagehub.formats;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.Consumer;

/**
 * Collects byte regions of a stream at known offsets, however the reads are split (the idea of oslo.utils'
 * format inspector). A region's handler runs as soon as its last byte arrives and may ask for further regions; one
 * that starts inside the read being processed is still filled from it. A region whose start has already streamed
 * by cannot be had: {@link #capture} says so and the caller decides what that means for its format.
 *
 * <p>What it holds is bounded: at most {@link #MAX_HELD_BYTES} in regions being filled, at most
 * {@link #MAX_WAITING} regions asked for. Beyond that the content is {@link MalformedException malformed}.
 */
final class RegionCapture {
    static final long MAX_HELD_BYTES = 64L << 20;
    static final int MAX_WAITING = 1 << 16;

    /** Thrown by a handler (or the capture itself) when the structures read make no sense. */
    static final class MalformedException extends RuntimeException {
        MalformedException(String message) {
            super(message, null, false, false);
        }
    }

    private static final class Region {
        final long offset;
        final int length;
        final Consumer<byte[]> handler;
        final long order;
        byte[] data;
        int filled;

        Region(long offset, int length, Consumer<byte[]> handler, long order) {
            this.order = order;
            this.offset = offset;
            this.length = length;
            this.handler = handler;
        }
    }

    private final PriorityQueue<Region> waiting = new PriorityQueue<>(
            Comparator.<Region>comparingLong(r -> r.offset).thenComparingLong(r -> r.order));
    private final List<Region> filling = new ArrayList<>();
    private long position;
    private long asked;
    private long held;
    private String malformed;

    /**
     * Asks for {@code length} bytes at {@code offset}, handed to {@code handler} when complete. Returns false, and
     * asks for nothing, if the region's start has already streamed by or too many regions are waiting.
     */
    boolean capture(long offset, long length, Consumer<byte[]> handler) {
        if (offset < position || waiting.size() >= MAX_WAITING || malformed != null) {
            return false;
        }
        if (length > MAX_HELD_BYTES || length < 0) {
            throw new MalformedException("a structure of " + length + " bytes is larger than an inspector holds");
        }
        if (length == 0) {
            handler.accept(new byte[0]);
            return true;
        }
        waiting.add(new Region(offset, (int) length, handler, asked++));
        return true;
    }

    /** The stream position: how many bytes have been seen before the read being processed. */
    long position() {
        return position;
    }

    /** Whether every region asked for was complete before the stream ended. */
    boolean allComplete() {
        return waiting.isEmpty() && filling.isEmpty();
    }

    /** Why the content is malformed, or null. Once malformed, nothing more is captured. */
    String malformed() {
        return malformed;
    }

    void accept(byte[] buffer, int offset, int length) {
        long end = position + length;
        try {
            boolean completedSome = true;
            while (completedSome && malformed == null) {
                while (!waiting.isEmpty() && waiting.peek().offset < end) {
                    start(waiting.poll());
                }
                List<Region> complete = new ArrayList<>();
                for (Iterator<Region> it = filling.iterator(); it.hasNext(); ) {
                    Region region = it.next();
                    fill(region, buffer, offset, end - length, end);
                    if (region.filled == region.length) {
                        it.remove();
                        held -= region.length;
                        complete.add(region);
                    }
                }
                completedSome = !complete.isEmpty();
                for (Region region : complete) {
                    region.handler.accept(region.data);
                }
            }
        } catch (MalformedException e) {
            malformed = e.getMessage();
            waiting.clear();
            filling.clear();
        }
        position = end;
    }

    private void start(Region region) {
        held += region.length;
        if (held > MAX_HELD_BYTES) {
            throw new MalformedException("its structures overlap beyond " + MAX_HELD_BYTES + " bytes");
        }
        region.data = new byte[region.length];
        filling.add(region);
    }

    /** Copies what the region still needs from the read [from, to); idempotent, so a rerun over one read is safe. */
    private static void fill(Region region, byte[] buffer, int offset, long from, long to) {
        long next = region.offset + region.filled;
        if (next < from || next >= to) {
            return;
        }
        int n = (int) Math.min(region.length - region.filled, to - next);
        System.arraycopy(buffer, offset + (int) (next - from), region.data, region.filled, n);
        region.filled += n;
    }
}
