package io.github.miniomigrator.copy;

/**
 * How far a pass is, from its counts: what the listing found, what is done (bytes in flight count as they move, so a
 * large object shows before it lands), % by bytes (by objects when the bytes are 0), and the seconds left at a given
 * rate. Until the listing has ended the totals are not known: percent and ETA are then unknown (-1).
 */
public record PassProgress(boolean listingComplete, long listedObjects, long listedBytes, long doneObjects, long doneBytes,
        double percent, double etaSeconds) {

    /** @param bytesPerSecond the rate the ETA assumes (bytes moved per second lately); 0 or less: the ETA is unknown */
    public static PassProgress of(PassStats s, long bytesPerSecond) {
        long listedObjects = s.listedObjects.sum();
        long listedBytes = s.listedBytes.sum();
        long doneBytes = Math.min(listedBytes, s.copiedBytes.sum() + s.identicalBytes.sum() + s.inFlightBytes());
        long doneObjects = Math.min(listedObjects,
                s.copiedObjects.sum() + s.identicalObjects.sum() + s.failedObjects.sum() + s.goneObjects.sum());
        if (!s.isListingComplete()) {
            return new PassProgress(false, listedObjects, listedBytes, doneObjects, doneBytes, -1, -1);
        }
        double percent = listedBytes > 0 ? 100.0 * doneBytes / listedBytes : listedObjects > 0 ? 100.0 * doneObjects / listedObjects : 100;
        double eta;
        if (listedBytes - doneBytes <= 0 && doneObjects >= listedObjects) {
            eta = 0;
        } else if (bytesPerSecond <= 0 || listedBytes == 0) {
            eta = -1;
        } else {
            eta = (double) (listedBytes - doneBytes) / bytesPerSecond;
        }
        return new PassProgress(true, listedObjects, listedBytes, doneObjects, doneBytes, percent, eta);
    }
}
