package dev.emma.heap;

/**
 * Points of the page hand-over protocol at which a test can make other threads act: forced
 * interleavings, so that a race needs no luck (nor many cores) to show. Each point is a moment
 * between two steps of one thread that other threads can observe.
 *
 * <p>Production instances use {@link #NONE}, and every call site is guarded by {@link #ENABLED},
 * a constant the JIT folds: without {@code -Demma.test.handOverHooks=true} the calls are dead code.
 */
interface HandOverHooks {

    /** Read once; only the core's own tests set it. */
    boolean ENABLED = Boolean.getBoolean("emma.test.handOverHooks");

    /** An anonymous class, not a lambda: a lambda is a class spun (with the JDK's class-file generator) at every start. */
    HandOverHooks NONE = new HandOverHooks() {
        @Override
        public void reached(Point point, long page) {
        }
    };

    enum Point {
        /** A heap has just made a page from the reuse queue its own, and has not allocated from it yet. */
        ADOPTED,
        /** A heap has just taken back what other threads freed into its page, and has not allocated from it yet. */
        COLLECTED,
        /** A heap has just made one of its retained pages current again (remote frees taken back), and has not allocated from it yet. */
        RETAKEN,
        /** A thread is about to take a size class's lock (page 0 for an adoption, which has no page yet). */
        CLASS_LOCK,
        /** A heap is about to take a fresh page from the segment pool (its lock); page 0. */
        FRESH_PAGE,
        /** The owner's free has found its block live and is about to claim it (set its remote bit). */
        OWNER_FREE_CHECKED,
        /** A free by another thread has found its block live and is about to set its remote bit. */
        REMOTE_FREE_CHECKED,
        /** A remote free has flipped its block's remote bit and is about to push it onto the page's list. */
        REMOTE_CLAIMED,
        /**
         * A remote free has given a DETACHED page its first free block or freed its last, and is about to
         * take the class lock to queue the page or return it to the pool.
         */
        SETTLING,
        /** A usable-size look-up has found a huge block live and is about to read its header; the page is the block's address. */
        HUGE_LIVE_CHECKED
    }

    void reached(Point point, long page);
}
