package io.tagbridge.gateway;

import java.util.HashSet;
import java.util.Set;

import org.osgi.service.servlet.runtime.dto.FailedServletDTO;
import org.osgi.service.servlet.runtime.dto.RuntimeDTO;
import org.osgi.service.servlet.runtime.dto.ServletContextDTO;
import org.osgi.service.servlet.runtime.dto.ServletDTO;

/** Whiteboard servlets the web server neither serves nor lists as failed: it never saw them. */
final class UnservedServlets {

    private UnservedServlets() {
    }

    /** The service ids among {@code registered} that the runtime does not know. */
    static Set<Long> of(Set<Long> registered, RuntimeDTO runtime) {
        Set<Long> unknown = new HashSet<>(registered);
        for (ServletContextDTO context : runtime.servletContextDTOs) {
            for (ServletDTO servlet : context.servletDTOs) {
                unknown.remove(servlet.serviceId);
            }
        }
        for (FailedServletDTO failed : runtime.failedServletDTOs) {
            unknown.remove(failed.serviceId);
        }
        return unknown;
    }
}
