package dev.ticketing.query.availability;

import org.springframework.data.jpa.repository.JpaRepository;

import java.util.List;
import java.util.UUID;

public interface EventAvailabilityRepository extends JpaRepository<EventAvailability, UUID> {
    List<EventAvailability> findAllByOrderByStartsAtAscEventIdAsc();
}
