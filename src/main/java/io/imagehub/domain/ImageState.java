package io.imagehub.domain;

/** Spec 5.1. USING is historical and never emitted. */
public enum ImageState {
    CREATING, NORMAL, CREATEFAILED, SYNCING, IMPORTING, IMPORTFAILED;

    /** States in which work on the image is still under way, so it can be neither deleted nor changed. */
    public boolean inProgress() {
        return this == CREATING || this == SYNCING || this == IMPORTING;
    }
}
