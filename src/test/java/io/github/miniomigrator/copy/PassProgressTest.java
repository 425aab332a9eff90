package io.github.miniomigrator.copy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/** How far a pass is: by bytes, by objects where there are no bytes, unknown until the listing has ended. */
class PassProgressTest {
    static PassStats listed(long... sizes) {
        PassStats s = new PassStats();
        for (long size : sizes) {
            s.listed(size);
        }
        return s;
    }

    @Test
    void unknownUntilTheListingEnds() {
        PassStats s = listed(100, 100);
        PassProgress p = PassProgress.of(s, 50);
        assertFalse(p.listingComplete());
        assertEquals(-1, p.percent());
        assertEquals(-1, p.etaSeconds());
        assertEquals(2, p.listedObjects());
    }

    @Test
    void byBytesWithTheBytesInFlightAndAnEtaAtTheRate() throws Exception {
        PassStats s = listed(100, 300);
        s.listingComplete();
        s.copiedObjects.increment();
        s.copiedBytes.add(100);
        Transfer big = s.started("big");
        try (InputStream in = big.reading(new ByteArrayInputStream(new byte[300]))) {
            in.readNBytes(100); // a third of the large object has moved
        }
        PassProgress p = PassProgress.of(s, 50);
        assertEquals(200, p.doneBytes());
        assertEquals(50.0, p.percent(), 1e-9);
        assertEquals(4.0, p.etaSeconds(), 1e-9, "200 bytes left at 50 B/s");
        assertEquals(-1, PassProgress.of(s, 0).etaSeconds(), "no rate: no ETA");
    }

    @Test
    void byObjectsWhenTheyHaveNoBytesAndZeroLeftWhenDone() {
        PassStats s = listed(0, 0, 0, 0);
        s.listingComplete();
        s.identicalObjects.add(1);
        assertEquals(25.0, PassProgress.of(s, 0).percent(), 1e-9);
        s.copiedObjects.add(2);
        s.failedObjects.add(1);
        PassProgress done = PassProgress.of(s, 0);
        assertEquals(100.0, done.percent(), 1e-9);
        assertEquals(0, done.etaSeconds(), "nothing left: 0, not unknown");
        PassProgress empty = PassProgress.of(listedAndComplete(), 0);
        assertEquals(100.0, empty.percent(), 1e-9);
    }

    static PassStats listedAndComplete() {
        PassStats s = new PassStats();
        s.listingComplete();
        return s;
    }
}
