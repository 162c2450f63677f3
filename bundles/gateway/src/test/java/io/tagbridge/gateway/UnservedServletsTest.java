package io.tagbridge.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;

import org.junit.jupiter.api.Test;
import org.osgi.service.servlet.runtime.dto.FailedServletDTO;
import org.osgi.service.servlet.runtime.dto.RuntimeDTO;
import org.osgi.service.servlet.runtime.dto.ServletContextDTO;
import org.osgi.service.servlet.runtime.dto.ServletDTO;

class UnservedServletsTest {

    @Test
    void aServletTheRuntimeNeitherServesNorListsAsFailedIsUnserved() {
        RuntimeDTO runtime = runtime(servlet(10), failed(11));

        assertThat(UnservedServlets.of(Set.of(10L, 11L, 12L), runtime)).containsExactly(12L);
    }

    @Test
    void aRuntimeThatLostItsWhiteboardServesNoneOfTheRegisteredServlets() {
        assertThat(UnservedServlets.of(Set.of(10L, 11L), runtime())).containsExactlyInAnyOrder(10L, 11L);
    }

    @Test
    void servletsServedOrFailedLeaveNothingUnserved() {
        assertThat(UnservedServlets.of(Set.of(10L, 11L), runtime(servlet(10), failed(11)))).isEmpty();
    }

    private static RuntimeDTO runtime(Object... parts) {
        ServletContextDTO context = new ServletContextDTO();
        context.servletDTOs = java.util.Arrays.stream(parts).filter(p -> !(p instanceof FailedServletDTO))
                .map(ServletDTO.class::cast).toArray(ServletDTO[]::new);
        RuntimeDTO runtime = new RuntimeDTO();
        runtime.servletContextDTOs = new ServletContextDTO[] { context };
        runtime.failedServletDTOs = java.util.Arrays.stream(parts).filter(FailedServletDTO.class::isInstance)
                .map(FailedServletDTO.class::cast).toArray(FailedServletDTO[]::new);
        return runtime;
    }

    private static ServletDTO servlet(long serviceId) {
        ServletDTO servlet = new ServletDTO();
        servlet.serviceId = serviceId;
        return servlet;
    }

    private static FailedServletDTO failed(long serviceId) {
        FailedServletDTO failed = new FailedServletDTO();
        failed.serviceId = serviceId;
        return failed;
    }
}
