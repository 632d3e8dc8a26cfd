package io.imagehub.domain;

import java.util.Arrays;
import java.util.stream.Collectors;

/** Spec 5.6: the states of an instance in our subset (rescue and live-migration states never occur). */
public enum InstanceState {
    PENDING, LAUNCH_FAILED, RUNNING, STOPPED, STARTING, STOPPING, REBOOTING, SHUTDOWN, TERMINATING;

    /** Stable states are where an operation may start; the others are on the way to one. */
    public boolean transitional() {
        return this == PENDING || this == STARTING || this == STOPPING || this == REBOOTING || this == TERMINATING;
    }

    /** The refusal for an operation this state does not support: UnsupportedOperation.InstanceStateRunning etc. */
    public String refusalCode() {
        return "UnsupportedOperation.InstanceState" + Arrays.stream(name().split("_"))
                .map(w -> w.charAt(0) + w.substring(1).toLowerCase())
                .collect(Collectors.joining());
    }
}
