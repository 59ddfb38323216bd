package io.profilingkit.springorders;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

public interface OrderRepository extends JpaRepository<PurchaseOrder, Long> {

    /** Pairs of orders whose amounts add up to {@code residue} modulo 97: a self-join that costs the database CPU. */
    @Query(value = "SELECT COUNT(*) FROM purchase_order a JOIN purchase_order b ON MOD(a.amount + b.amount, 97) = :residue",
            nativeQuery = true)
    long countMatchingPairs(@Param("residue") long residue);

    long countByCustomer(String customer);
}
