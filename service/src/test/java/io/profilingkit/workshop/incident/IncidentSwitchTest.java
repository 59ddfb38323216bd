package io.profilingkit.workshop.incident;

import static org.junit.jupiter.api.Assertions.assertFalse;

import io.micronaut.context.ApplicationContext;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

@MicronautTest
class IncidentSwitchTest {

    @Inject
    ApplicationContext context;

    @Test
    void incidentCanBeSwitchedOff() {
        // application-test.yml sets workshop.incident.enabled=false
        assertFalse(context.containsBean(IncidentSimulator.class));
    }
}
