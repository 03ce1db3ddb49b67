package dev.ticketing.query.orders;

import org.springframework.data.jpa.repository.JpaRepository;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

public interface OrderViewRepository extends JpaRepository<OrderView, UUID> {

    List<OrderView> findByUserIdOrderByCreatedAtDesc(String userId);

    Optional<OrderView> findFirstByEventIdAndUserIdAndStatusIn(UUID eventId, String userId,
                                                              Collection<OrderStatus> statuses);
}
