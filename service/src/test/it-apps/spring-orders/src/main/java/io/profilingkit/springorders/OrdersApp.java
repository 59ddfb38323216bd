package io.profilingkit.springorders;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Orders in an H2 database behind Spring Data JPA (2500 rows from {@code data.sql}), and a report
 * over them that does its own CPU work.
 */
@SpringBootApplication
public class OrdersApp {

    public static void main(String[] args) {
        SpringApplication.run(OrdersApp.class, args);
    }
}
