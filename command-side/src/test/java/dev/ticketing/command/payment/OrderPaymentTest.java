package dev.ticketing.command.payment;

import dev.ticketing.api.EventId;
import dev.ticketing.api.OrderId;
import dev.ticketing.api.payment.RecordStripeFee;
import dev.ticketing.api.payment.StripeFeeRecorded;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.UUID;

class OrderPaymentTest {

    private static final EventId EVENT = new EventId(UUID.fromString("0000000e-0000-4000-8000-000000000001"));
    private static final OrderId ORDER = new OrderId(UUID.fromString("0000000b-0000-4000-8000-000000000001"));
    private static final String BALANCE_TRANSACTION = "txn_0001";

    private AggregateTestFixture<OrderPayment> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(OrderPayment.class);
    }

    @Test
    void recordStripeFee_startsTheOrdersPaymentStream() {
        fixture.givenNoPriorActivity()
                .when(new RecordStripeFee(EVENT, ORDER, BALANCE_TRANSACTION, 170, "eur"))
                .expectEvents(new StripeFeeRecorded(EVENT, ORDER, BALANCE_TRANSACTION, 170, "eur"));
    }

    @Test
    void recordStripeFee_isRecordedOncePerOrder() {
        fixture.given(new StripeFeeRecorded(EVENT, ORDER, BALANCE_TRANSACTION, 170, "eur"))
                .when(new RecordStripeFee(EVENT, ORDER, BALANCE_TRANSACTION, 170, "eur"))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void recordStripeFee_aLaterBalanceTransactionOfTheSameOrderChangesNothing() {
        fixture.given(new StripeFeeRecorded(EVENT, ORDER, BALANCE_TRANSACTION, 170, "eur"))
                .when(new RecordStripeFee(EVENT, ORDER, "txn_0002", 95, "eur"))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }
}
