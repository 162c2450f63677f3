package io.tagbridge.rest;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.jakartars.whiteboard.annotations.RequireJakartarsWhiteboard;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsName;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsResource;
import org.osgi.service.metatype.annotations.Designate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.tagbridge.api.IngestResult;
import io.tagbridge.api.RefusalReason;
import io.tagbridge.api.TagIngest;
import io.tagbridge.api.TagValue;
import io.tagbridge.api.monitor.HealthReport;
import io.tagbridge.api.monitor.HealthStatus;
import io.tagbridge.api.monitor.PipelineMonitor;
import io.tagbridge.api.pipeline.TagBuffer;
import io.tagbridge.api.security.Gatekeeper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * /api/buffer: metrics, health, and ingest for producers outside the JVM ({@link BackupResource} has the backup
 * files). The services behind it may come
 * and go; while one is missing its endpoint answers 503 with what to check. Without the gateway's login
 * ({@link Gatekeeper}) every change is refused with 503, so that none ever goes through unchecked.
 *
 * <p>No constructor arguments: Jersey builds an instance of its own while the whiteboard swaps applications, and
 * such an instance, with no services, must refuse rather than fail.
 */
@Component(service = BufferResource.class, configurationPid = RestConfig.PID)
@Designate(ocd = RestConfig.class)
@RequireJakartarsWhiteboard
@JakartarsResource
@JakartarsName("tagbridge-buffer")
@Path("buffer")
@Produces(MediaType.APPLICATION_JSON)
public class BufferResource {

    private final ObjectMapper mapper = new ObjectMapper();
    private final MonitorJson monitorJson = new MonitorJson(mapper);
    private final TagValueJson tagValueJson = new TagValueJson(mapper);
    private final Doors doors = new Doors(() -> this.gatekeeper);
    private volatile Limits limits = Limits.of(null);

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile PipelineMonitor monitor;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile TagIngest ingest;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile TagBuffer buffer;

    /** Without the login there is no way in: changes get 503 until it runs again. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile Gatekeeper gatekeeper;

    @Activate
    @Modified
    void configure(RestConfig config) {
        limits = Limits.of(config);
    }

    /** A bound on the wait for the buffer's answer, beyond the buffer's own sync timeout. */
    private static final int ANSWER_WAIT_SECONDS = 60;

    @GET
    @Path("writer/metrics")
    public Response metrics(@Context HttpServletRequest request) {
        return reading(request, "metrics are not running",
                current -> Response.ok(monitorJson.metrics(current.metrics()).toString()).build());
    }

    /** The last minutes second by second, for the dashboard's plots. */
    @GET
    @Path("writer/metrics/history")
    public Response history(@Context HttpServletRequest request) {
        return reading(request, "metrics are not running",
                current -> Response.ok(monitorJson.history(current.history()).toString()).build());
    }

    @GET
    @Path("health")
    public Response health(@Context HttpServletRequest request) {
        return reading(request, "health is unknown", current -> {
            HealthReport report = current.health();
            int status = report.status() == HealthStatus.DOWN ? 503 : 200;
            return Response.status(status).entity(monitorJson.health(report, doors.signedIn(request)).toString())
                    .build();
        });
    }

    /** What every monitoring endpoint does first: the door for readers, then 503 while the metrics are away. */
    private Response reading(HttpServletRequest request, String whenAway, Function<PipelineMonitor, Response> answer) {
        Response refused = doors.forReading(request);
        if (refused != null) {
            return refused;
        }
        PipelineMonitor current = monitor;
        if (current == null) {
            return unavailable(whenAway + ": check that bundle io.tagbridge.metrics is active");
        }
        return answer.apply(current);
    }

    /**
     * Refuses what could hurt the gateway before reading it: no login (401), a body declared too large (413),
     * too many requests at once (503). The body is then parsed as it streams in, within the same limits.
     */
    @POST
    @Path("values")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response values(@Context HttpServletRequest request, InputStream body) {
        Response refused = doors.forChanging(request);
        if (refused != null) {
            return refused;
        }
        Limits now = limits;
        if (request.getContentLengthLong() > now.maxBytes()) {
            return tooLarge(now);
        }
        if (!now.tryAcquire()) {
            return Response.status(503).header("Retry-After", "1").entity(Json.error("the gateway is reading "
                    + "other requests; send again in a second")).build();
        }
        BoundedBody bounded = new BoundedBody(body, now.maxBytes());
        List<TagValue> values;
        try {
            values = tagValueJson.parse(bounded, now.maxValues());
        } catch (BoundedBody.TooLarge e) {
            return tooLarge(now);
        } catch (TagValueJson.BadInput e) {
            if (bounded.exceeded()) {
                return tooLarge(now);
            }
            TagBuffer door = buffer;
            if (door != null) {
                door.countRefused(e.values(), RefusalReason.INVALID, e.getMessage());
            }
            return Response.status(400).entity(Json.error(e.getMessage())).build();
        } catch (IOException e) {
            return Response.status(400).entity(Json.error("the body could not be read: " + e.getMessage()))
                    .build();
        } finally {
            now.release();
        }
        return ingest(values);
    }

    private static Response tooLarge(Limits limits) {
        return Response.status(413).entity(Json.error("the request body is larger than " + limits.maxBytes() / 1024
                + " KB; send fewer values per request, or raise Largest request in Tagbridge REST")).build();
    }

    /**
     * Offers the values and answers once they are on disk (with the journal on): the reading slot is given back
     * first, so that the requests waiting for a sync share it (group commit) rather than queue for slots.
     */
    private Response ingest(List<TagValue> values) {
        TagIngest current = ingest;
        if (current == null) {
            return unavailable("the buffer is not running: check that bundle io.tagbridge.buffer is active");
        }
        IngestResult result;
        try {
            result = current.offerDurably(values).toCompletableFuture().get(ANSWER_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return unavailable("the gateway is stopping; send the values again (sending again is safe)");
        } catch (ExecutionException | TimeoutException e) {
            return Response.status(503).header("Retry-After", "1").entity(Json.error("the buffer did not answer "
                    + "within " + ANSWER_WAIT_SECONDS + " s (" + e + "); send the values again (sending again is "
                    + "safe: a value's key is its tag and source time)")).build();
        }
        ObjectNode json = mapper.createObjectNode();
        json.put("accepted", result.accepted());
        json.put("refused", result.refused());
        if (result.filtered() > 0) {
            json.put("filtered", result.filtered());
        }
        json.put("durable", result.durable());
        if (!result.allAccepted()) {
            json.put("reasonCode", result.reasonCode().name());
            json.put("reason", result.reason());
            if (result.reasonCode() == RefusalReason.CLOCK_SUSPECT) {
                // sending the same values again cannot help: their source times are wrong
                return Response.status(422).entity(json.toString()).build();
            }
            return Response.status(503).header("Retry-After", "1").entity(json.toString()).build();
        }
        return Response.ok(json.toString()).build();
    }

    private Response unavailable(String message) {
        return Response.status(503).entity(Json.error(message)).build();
    }
}
