package dev.ticketing.query.ledger;

import jakarta.persistence.criteria.Predicate;
import org.springframework.data.domain.Sort;
import org.springframework.data.jpa.domain.Specification;
import org.springframework.data.jpa.repository.EntityGraph;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.JpaSpecificationExecutor;
import org.springframework.data.jpa.repository.Query;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

public interface LedgerEntryRepository extends JpaRepository<LedgerEntry, String>,
        JpaSpecificationExecutor<LedgerEntry> {

    @Query("select new dev.ticketing.query.ledger.AccountBalance(l.account, sum(l.debitCents) - sum(l.creditCents))"
            + " from LedgerEntry e join e.lines l group by l.account order by l.account")
    List<AccountBalance> balances();

    /** The lines come in the same query. */
    @Override
    @EntityGraph(attributePaths = "lines")
    List<LedgerEntry> findAll(Specification<LedgerEntry> spec, Sort sort);

    /** Entries of the given event and/or order (a null filter matches all), oldest first. */
    default List<LedgerEntry> journal(UUID eventId, UUID orderId) {
        Specification<LedgerEntry> matching = (entry, query, criteria) -> {
            List<Predicate> conditions = new ArrayList<>();
            if (eventId != null) {
                conditions.add(criteria.equal(entry.get("eventId"), eventId));
            }
            if (orderId != null) {
                conditions.add(criteria.equal(entry.get("orderId"), orderId));
            }
            return criteria.and(conditions.toArray(Predicate[]::new));
        };
        return findAll(matching, Sort.by("at", "position"));
    }
}
