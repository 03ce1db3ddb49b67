package dev.ticketing.query.availability;

import org.springframework.data.jpa.repository.JpaRepository;

import java.util.Collection;
import java.util.List;
import java.util.UUID;

public interface TierAvailabilityRepository extends JpaRepository<TierAvailability, UUID> {
    List<TierAvailability> findByEventIdOrderByPosition(UUID eventId);

    List<TierAvailability> findByEventIdIn(Collection<UUID> eventIds);

    int countByEventId(UUID eventId);
}
