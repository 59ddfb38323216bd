package io.profilingkit.springorders;

import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

@RestController
class OrdersController {

    private final OrderRepository orders;

    OrdersController(OrderRepository orders) {
        this.orders = orders;
    }

    /** A repository call (child spans: the repository method and its JDBC statement), then CPU work of the request's own. */
    @GetMapping("/orders/{customer}/report")
    Map<String, Object> report(@PathVariable String customer, @RequestParam(defaultValue = "2000000") long n) {
        if (n < 1 || n > 50_000_000) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "n must be between 1 and 50000000");
        }
        long pairs = orders.countMatchingPairs(Math.floorMod(customer.hashCode(), 97));
        long score = ReportMath.scoreOrders(n);
        return Map.of("customer", customer, "pairs", pairs, "score", score);
    }

    @GetMapping("/health")
    String health() {
        return "ok";
    }
}
