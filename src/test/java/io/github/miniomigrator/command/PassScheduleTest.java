package io.github.miniomigrator.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** `run`'s pass schedule on a ticker moved by hand: which pass a tick calls for, and when. */
class PassScheduleTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    private PassSchedule schedule(Duration reconcile) {
        return new PassSchedule(now::get, reconcile, 1);
    }

    private void advance(Duration duration) {
        now.addAndGet(duration.toNanos());
    }

    private static PassSchedule.Tick tick(boolean overflow, boolean gap, boolean recovered, boolean waiting, boolean leads) {
        return new PassSchedule.Tick(overflow, gap, recovered, waiting, leads);
    }

    /** reconcile interval, time since the last pass, what the tick saw → the pass called for (reason, singleton), or none. */
    static Stream<Arguments> ticks() {
        Duration hour = Duration.ofHours(1);
        return Stream.of(
                Arguments.of("quiet", hour, Duration.ofMinutes(5), tick(false, false, false, false, true), null, false),
                Arguments.of("overflow", hour, Duration.ZERO, tick(true, false, false, false, true), "the event queue overflowed", false),
                Arguments.of("overflow on a follower", hour, Duration.ZERO, tick(true, false, false, false, false), "the event queue overflowed", false),
                Arguments.of("gap", hour, Duration.ZERO, tick(false, true, false, false, false), "after a gap in events", false),
                Arguments.of("syncs recovered", hour, Duration.ZERO, tick(false, false, true, false, true),
                        "syncs converge again after a run of failures (a store was away)", false),
                Arguments.of("reconcile due on the leader", hour, hour, tick(false, false, false, false, true), "reconcile interval", true),
                Arguments.of("reconcile not yet due", hour, hour.minusSeconds(1), tick(false, false, false, false, true), null, false),
                Arguments.of("reconcile due on a follower", hour, hour, tick(false, false, false, false, false), null, false),
                Arguments.of("reconcile off", Duration.ZERO, Duration.ofDays(30), tick(false, false, false, false, true), null, false),
                Arguments.of("waiting, under a minute", hour, Duration.ofSeconds(59), tick(false, false, false, true, true), null, false),
                Arguments.of("waiting, a minute on", hour, Duration.ofMinutes(1), tick(false, false, false, true, false),
                        "the last pass had errors (events may wait on it)", false),
                Arguments.of("overflow and reconcile due: overflow is named, not a singleton", hour, hour,
                        tick(true, false, false, false, true), "the event queue overflowed", false),
                Arguments.of("reconcile due and waiting: reconcile is named, the pass is this instance's", hour, hour,
                        tick(false, false, false, true, true), "reconcile interval", false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ticks")
    void aTickCallsForThePassItsSignalsAndTheTimeSinceTheLastPassWant(String name, Duration reconcile, Duration since,
            PassSchedule.Tick tick, String reason, boolean singleton) {
        PassSchedule schedule = schedule(reconcile);
        advance(since);
        Optional<PassSchedule.CatchUp> catchUp = schedule.catchUp(tick);
        assertEquals(Optional.ofNullable(reason).map(r -> new PassSchedule.CatchUp(r, singleton)), catchUp);
    }

    @Test
    void theIntervalsCountFromTheEndOfTheLastPass() {
        PassSchedule schedule = schedule(Duration.ofMinutes(10));
        PassSchedule.Tick quiet = tick(false, false, false, false, true);
        advance(Duration.ofMinutes(10));
        assertTrue(schedule.catchUp(quiet).isPresent());
        advance(Duration.ofMinutes(3)); // the pass took 3 minutes
        schedule.passEnded();
        advance(Duration.ofMinutes(9));
        assertTrue(schedule.catchUp(quiet).isEmpty());
        advance(Duration.ofMinutes(1));
        assertEquals("reconcile interval", schedule.catchUp(quiet).orElseThrow().reason());
    }

    @Test
    void aNewTermOnTheLeaderRunsTheFullPassOnceAndOnlyThere() {
        PassSchedule schedule = schedule(Duration.ZERO);
        assertFalse(schedule.takesOver(true, 1), "the term whose full pass ran");
        assertFalse(schedule.takesOver(false, 2), "a follower takes nothing over");
        assertTrue(schedule.takesOver(true, 2));
        assertFalse(schedule.takesOver(true, 2), "once per term");
        assertTrue(schedule.takesOver(true, 3));
    }

    @Test
    void aFollowerThatRanNoFullPassTakesOverItsFirstTerm() {
        PassSchedule schedule = new PassSchedule(now::get, Duration.ZERO, 0);
        assertTrue(schedule.takesOver(true, 1));
    }

    @Test
    void theStatusLineIsDueEveryThirtySeconds() {
        PassSchedule schedule = schedule(Duration.ZERO);
        assertFalse(schedule.statusDue());
        advance(Duration.ofSeconds(29));
        assertFalse(schedule.statusDue());
        advance(Duration.ofSeconds(1));
        assertTrue(schedule.statusDue());
        assertFalse(schedule.statusDue(), "counted as written");
        advance(Duration.ofSeconds(30));
        assertTrue(schedule.statusDue());
    }
}
