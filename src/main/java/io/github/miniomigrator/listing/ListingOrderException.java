package io.github.miniomigrator.listing;

/** A listing was neither in UTF-8 nor in UTF-16 key order, or repeated a key: nothing it says can be trusted to delete by. */
public class ListingOrderException extends RuntimeException {
    public ListingOrderException(String message) {
        super(message);
    }
}
