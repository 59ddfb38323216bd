package io.profilingkit.springquotes;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Quotes computed without blocking: Spring WebFlux on Reactor Netty. */
@SpringBootApplication
public class QuotesApp {

    public static void main(String[] args) {
        SpringApplication.run(QuotesApp.class, args);
    }
}
