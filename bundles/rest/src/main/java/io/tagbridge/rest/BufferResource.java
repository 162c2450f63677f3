package io.tagbridge.rest;

import java.util.List;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.jakartars.whiteboard.annotations.RequireJakartarsWhiteboard;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsName;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsResource;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.tagbridge.api.IngestResult;
import io.tagbridge.api.RefusalReason;
import io.tagbridge.api.TagIngest;
import io.tagbridge.api.TagValue;
import io.tagbridge.api.monitor.HealthReport;
import io.tagbridge.api.monitor.HealthStatus;
import io.tagbridge.api.monitor.PipelineMonitor;
import io.tagbridge.api.pipeline.BackupException;
import io.tagbridge.api.pipeline.BatchBackup;
import io.tagbridge.api.pipeline.TagBuffer;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * /api/buffer: metrics, health, and ingest for producers outside the JVM. The services behind it may come
 * and go; while one is missing its endpoint answers 503 with what to check.
 */
@Component(service = BufferResource.class)
@RequireJakartarsWhiteboard
@JakartarsResource
@JakartarsName("tagbridge-buffer")
@Path("buffer")
@Produces(MediaType.APPLICATION_JSON)
public class BufferResource {

    private final ObjectMapper mapper = new ObjectMapper();
    private final MonitorJson monitorJson = new MonitorJson(mapper);
    private final TagValueJson tagValueJson = new TagValueJson(mapper);

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile PipelineMonitor monitor;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile TagIngest ingest;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile TagBuffer buffer;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile BatchBackup backup;

    private static final String NO_BACKUP = "the backup is not running: check that bundle io.tagbridge.backup is "
            + "active";

    @GET
    @Path("writer/metrics")
    public Response metrics() {
        PipelineMonitor current = monitor;
        if (current == null) {
            return unavailable("metrics are not running: check that bundle io.tagbridge.metrics is active");
        }
        return Response.ok(monitorJson.metrics(current.metrics()).toString()).build();
    }

    @GET
    @Path("health")
    public Response health() {
        PipelineMonitor current = monitor;
        if (current == null) {
            return unavailable("health is unknown: check that bundle io.tagbridge.metrics is active");
        }
        HealthReport report = current.health();
        int status = report.status() == HealthStatus.DOWN ? 503 : 200;
        return Response.status(status).entity(monitorJson.health(report).toString()).build();
    }

    @POST
    @Path("values")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response values(String body) {
        List<TagValue> values;
        try {
            values = tagValueJson.parse(body);
        } catch (TagValueJson.BadInput e) {
            TagBuffer door = buffer;
            if (door != null) {
                door.countRefused(e.values(), RefusalReason.INVALID, e.getMessage());
            }
            return Response.status(400).entity(error(e.getMessage()).toString()).build();
        }
        TagIngest current = ingest;
        if (current == null) {
            return unavailable("the buffer is not running: check that bundle io.tagbridge.buffer is active");
        }
        IngestResult result = current.offer(values);
        ObjectNode json = mapper.createObjectNode();
        json.put("accepted", result.accepted());
        json.put("refused", result.refused());
        if (!result.allAccepted()) {
            json.put("reasonCode", result.reasonCode().name());
            json.put("reason", result.reason());
            return Response.status(503).header("Retry-After", "1").entity(json.toString()).build();
        }
        return Response.ok(json.toString()).build();
    }

    @GET
    @Path("backups")
    public Response backups() {
        BatchBackup current = backup;
        if (current == null) {
            return unavailable(NO_BACKUP);
        }
        try {
            return Response.ok(monitorJson.backups(current.files()).toString()).build();
        } catch (BackupException e) {
            return Response.status(500).entity(error(e.getMessage()).toString()).build();
        }
    }

    @POST
    @Path("backups/replay")
    public Response replayAll() {
        return replay(null);
    }

    /** The id has slashes ({@code <target>/<file>}), so the path takes everything up to the last /replay. */
    @POST
    @Path("backups/{file: .+}/replay")
    public Response replay(@PathParam("file") String file) {
        BatchBackup current = backup;
        if (current == null) {
            return unavailable(NO_BACKUP);
        }
        try {
            int queued = current.replay(file);
            return Response.accepted(mapper.createObjectNode().put("queued", queued).toString()).build();
        } catch (BackupException e) {
            return Response.status(404).entity(error(e.getMessage()).toString()).build();
        }
    }

    @DELETE
    @Path("backups/{file: .+}")
    public Response delete(@PathParam("file") String file) {
        BatchBackup current = backup;
        if (current == null) {
            return unavailable(NO_BACKUP);
        }
        try {
            long values = current.delete(file);
            return Response.ok(mapper.createObjectNode().put("deleted", file).put("values", values).toString())
                    .build();
        } catch (BackupException e) {
            return Response.status(404).entity(error(e.getMessage()).toString()).build();
        }
    }

    private Response unavailable(String message) {
        return Response.status(503).entity(error(message).toString()).build();
    }

    private ObjectNode error(String message) {
        return mapper.createObjectNode().put("error", message);
    }
}
