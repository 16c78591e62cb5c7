package dev.emma.bench.proc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ProcStatusTest {

    @Test
    void parsesRssAndPeakInBytes() {
        String status = "Name:\tjava\nVmPeak:\t 9000 kB\nVmHWM:\t  204800 kB\nVmRSS:\t  102400 kB\nThreads:\t12\n";
        assertEquals(new ProcStatus(100L << 20, 200L << 20), ProcStatus.parse(status));
    }

    @Test
    void readsThisProcess() {
        ProcStatus self = ProcStatus.self();
        assertTrue(self.rssBytes() > 0);
        assertTrue(self.hwmBytes() >= self.rssBytes());
    }

    @Test
    void readsThisProcessThroughJavaIo() throws Exception {
        ProcStatus io = ProcStatus.selfWithoutDirectBuffer();
        ProcStatus nio = ProcStatus.self();
        assertTrue(io.rssBytes() > 0 && io.hwmBytes() >= io.rssBytes());
        // The same process a moment apart: the peak never shrinks.
        assertTrue(nio.hwmBytes() >= io.hwmBytes());
    }

    @Test
    void aMissingProcessHasNoStatus() {
        assertTrue(ProcStatus.read(Long.MAX_VALUE).isEmpty());
    }
}
