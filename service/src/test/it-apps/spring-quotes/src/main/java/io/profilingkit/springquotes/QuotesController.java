package io.profilingkit.springquotes;

import io.profilingkit.otherapp.ClientWork;
import java.time.Duration;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

@RestController
class QuotesController {

    static final long SLICE_NANOS = 15_000_000;

    /**
     * A quote in three slices of the client's CPU work, each on another thread than the last: after a
     * 10 ms non-blocking delay (a timer of Reactor's parallel scheduler continues the chain), after a
     * hop to {@code boundedElastic} ({@code subscribeOn}), and after a 3 ms delay again. No thread
     * waits; the request's context travels with the chain, not with a thread.
     */
    @GetMapping("/quotes/{client}")
    Mono<Map<String, Object>> quote(@PathVariable int client) {
        return Mono.delay(Duration.ofMillis(10))
                .map(tick -> ClientWork.slice(client, SLICE_NANOS))
                .flatMap(sum -> Mono.fromCallable(() -> sum + ClientWork.slice(client, SLICE_NANOS))
                        .subscribeOn(Schedulers.boundedElastic()))
                .flatMap(sum -> Mono.delay(Duration.ofMillis(3)).map(tick -> sum + ClientWork.slice(client, SLICE_NANOS)))
                .map(sum -> Map.of("client", client, "quote", sum, "thread", Thread.currentThread().getName()));
    }

    @GetMapping("/health")
    Mono<String> health() {
        return Mono.just("ok");
    }
}
