package dev.ticketing.standalone;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The load generator's own accounting, with requests that need no service. */
class LoadGeneratorTest {

    @Test
    void aRequestThatThrowsAnErrorIsCountedAsAnErrorAndItsThreadGoesOn() throws InterruptedException {
        AtomicInteger sent = new AtomicInteger();
        // an assertion failing inside a request is an Error, not an Exception
        LoadGenerator.Load load = new LoadGenerator.Load("failing", 1, () -> () -> switch (sent.incrementAndGet()) {
            case 1 -> throw new AssertionError("expected 201 but was 500");
            case 2 -> LoadGenerator.Outcome.OK;
            default -> LoadGenerator.Outcome.DONE;
        });

        assertThat(LoadGenerator.untilDone("error", Duration.ofSeconds(10), load)).as("the thread said it was done").isTrue();

        LoadGenerator.Figures figures = load.figures();
        assertThat(figures.errors()).isEqualTo(1);
        assertThat(figures.ok()).isEqualTo(1);
        assertThat(figures.errorSamples()).singleElement().asString().contains("expected 201 but was 500");
        assertThat(sent).hasValue(3);
    }

    @Test
    void aRequestThatThrowsAnExceptionIsCountedAsAnError() throws InterruptedException {
        AtomicInteger sent = new AtomicInteger();
        LoadGenerator.Load load = new LoadGenerator.Load("unexpected", 1, () -> () -> {
            if (sent.incrementAndGet() == 1) {
                throw new LoadGenerator.UnexpectedAnswer("409 TIER_SOLD_OUT");
            }
            return LoadGenerator.Outcome.DONE;
        });

        assertThat(LoadGenerator.untilDone("exception", Duration.ofSeconds(10), load)).isTrue();

        assertThat(load.figures().errors()).isEqualTo(1);
        assertThat(load.figures().errorSamples()).containsExactly("409 TIER_SOLD_OUT");
    }
}
