package io.profilingkit.springorders;

import io.profilingkit.otherapp.ClientWork;
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

    /** CPU work only, no repository call: a route whose server span has no child span. */
    @GetMapping("/orders/{customer}/score")
    Map<String, Object> score(@PathVariable String customer, @RequestParam(defaultValue = "2000000") long n) {
        if (n < 1 || n > 50_000_000) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "n must be between 1 and 50000000");
        }
        return Map.of("customer", customer, "score", ReportMath.scoreOrders(n));
    }

    /**
     * A request that parks, as one calling other services does: a repository call, then 10 ms waiting
     * for a remote answer (a sleep stands in for it), then six 15 ms slices of the client's CPU work
     * with 3 ms waits between them. On virtual threads ({@code spring.threads.virtual.enabled=true})
     * every wait unmounts the request's thread from its carrier.
     */
    @GetMapping("/orders/{customer}/quote")
    Map<String, Object> quote(@PathVariable String customer, @RequestParam int client) throws InterruptedException {
        long orders = this.orders.countByCustomer(customer);
        Thread.sleep(10);
        long sum = 0;
        for (int i = 0; i < 6; i++) {
            sum += ClientWork.slice(client, 15_000_000);
            Thread.sleep(3);
        }
        return Map.of("customer", customer, "orders", orders, "quote", sum, "thread", Thread.currentThread().toString());
    }

    @GetMapping("/health")
    String health() {
        return "ok";
    }
}
