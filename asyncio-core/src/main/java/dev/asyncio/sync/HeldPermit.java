package dev.asyncio.sync;

/** The {@link Permit} that {@code acquire()} returns: releases its primitive once. */
final class HeldPermit implements Permit {
    private Releasable owner;

    HeldPermit(Releasable owner) {
        this.owner = owner;
    }

    @Override
    public void close() {
        Releasable o = owner;
        if (o != null) {
            owner = null;
            o.release();
        }
    }

    @Override
    public String toString() {
        return owner == null ? "<Permit released>" : "<Permit of " + owner + ">";
    }
}
