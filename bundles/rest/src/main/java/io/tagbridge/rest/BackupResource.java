package io.tagbridge.rest;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.jakartars.whiteboard.annotations.RequireJakartarsWhiteboard;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsName;
import org.osgi.service.jakartars.whiteboard.propertytypes.JakartarsResource;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.tagbridge.api.pipeline.BackupException;
import io.tagbridge.api.pipeline.BackupFile;
import io.tagbridge.api.pipeline.BackupState;
import io.tagbridge.api.pipeline.BatchBackup;
import io.tagbridge.api.security.Gatekeeper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

/**
 * /api/buffer/backups: the backup files, and what an operator does with them, one file by its id or all files in a
 * state at once: list, read page by page, download as CSV or JSON, replay, delete. Reading rows and downloads need
 * the login, as changes do: rows are the plant's values, which the metrics never show.
 *
 * <p>No constructor arguments, for the reason {@link BufferResource} gives.
 */
@Component(service = BackupResource.class)
@RequireJakartarsWhiteboard
@JakartarsResource
@JakartarsName("tagbridge-backups")
@Path("buffer/backups")
@Produces(MediaType.APPLICATION_JSON)
public class BackupResource {

    /** The most rows one page holds, so that a page costs little whatever the file. */
    static final int MAX_PAGE = 1000;

    private static final List<String> FORMATS = List.of("csv", "json");
    private static final String BAD_FORMAT = "format must be csv or json, not ";

    private static final String NO_BACKUP = "the backup is not running: check that bundle io.tagbridge.backup is "
            + "active";

    private final ObjectMapper mapper = new ObjectMapper();
    private final MonitorJson monitorJson = new MonitorJson(mapper);
    private final Doors doors = new Doors(() -> this.gatekeeper);

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile BatchBackup backup;

    /** Without the login there is no way in: changes get 503 until it runs again. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile Gatekeeper gatekeeper;

    @GET
    public Response list(@Context HttpServletRequest request) {
        return withBackup(doors.forReading(request), 500, current -> Response.ok(
                monitorJson.backups(current.files(), doors.signedIn(request)).toString()).build());
    }

    /**
     * Without {@code state}, every pending file is queued; with {@code state=quarantined}, every quarantined file
     * goes back to pending (after the operator mended what the database refused).
     */
    @POST
    @Path("replay")
    public Response replayAll(@Context HttpServletRequest request, @QueryParam("state") String state) {
        return withBackup(doors.forChanging(request), 400, current -> {
            if (state == null || state.isEmpty()) {
                return queued(current.replay(null));
            }
            int queued = 0;
            for (BackupFile file : inState(current, state)) {
                queued += current.replay(file.id());
            }
            return queued(queued);
        });
    }

    /** The id has slashes ({@code <target>/<file>}), so the path takes everything up to the last /replay. */
    @POST
    @Path("{file: .+}/replay")
    public Response replay(@Context HttpServletRequest request, @PathParam("file") String file) {
        return withBackup(doors.forChanging(request), 404, current -> queued(current.replay(file)));
    }

    private Response queued(int files) {
        return Response.accepted(mapper.createObjectNode().put("queued", files).toString()).build();
    }

    /** Every file in a state at once; the state must be named, so that no one deletes pending values by a slip. */
    @DELETE
    public Response deleteAll(@Context HttpServletRequest request, @QueryParam("state") String state) {
        return withBackup(doors.forChanging(request), 400, current -> {
            if (state == null || state.isEmpty()) {
                throw new BackupException("name the files to delete: ?state=quarantined (or pending, replayed)",
                        null);
            }
            int files = 0;
            long values = 0;
            for (BackupFile file : inState(current, state)) {
                values += current.delete(file.id());
                files++;
            }
            return Response.ok(mapper.createObjectNode().put("deleted", files).put("values", values).toString())
                    .build();
        });
    }

    @DELETE
    @Path("{file: .+}")
    public Response delete(@Context HttpServletRequest request, @PathParam("file") String file) {
        return withBackup(doors.forChanging(request), 404, current -> Response.ok(mapper.createObjectNode()
                .put("deleted", file).put("values", current.delete(file)).toString()).build());
    }

    /** A page of a file's rows, with the reason of each (for a quarantined row, the database's error). */
    @GET
    @Path("{file: .+}/rows")
    public Response rows(@Context HttpServletRequest request, @PathParam("file") String id,
            @QueryParam("from") @DefaultValue("0") long from, @QueryParam("count") @DefaultValue("100") int count) {
        return withBackup(doors.forChanging(request), 404, current -> {
            if (from < 0 || count < 1 || count > MAX_PAGE) {
                return badRequest("from must be 0 or more, and count from 1 to " + MAX_PAGE);
            }
            BackupFile file = find(current, id);
            StreamingOutput page = out -> {
                try (JsonGenerator json = mapper.getFactory().createGenerator(out)) {
                    BackupRowsJson.file(json, current, file, from, count);
                }
            };
            return Response.ok(page).build();
        });
    }

    /** A file as CSV (the backup format, as it is on disk) or as JSON (the rows, as {@link #rows} gives them). */
    @GET
    @Path("{file: .+}/download")
    public Response download(@Context HttpServletRequest request, @PathParam("file") String id,
            @QueryParam("format") @DefaultValue("csv") String format) {
        return withBackup(doors.forChanging(request), 404, current -> {
            if (!FORMATS.contains(format)) {
                return badRequest(BAD_FORMAT + format);
            }
            BackupFile file = find(current, id);
            String name = file.path().getFileName().toString();
            if (format.equals("csv")) {
                InputStream in = current.open(id);
                StreamingOutput bytes = out -> {
                    try (in) {
                        in.transferTo(out);
                    }
                };
                return attachment(bytes, "text/csv; charset=utf-8", name);
            }
            StreamingOutput rows = out -> {
                try (JsonGenerator json = mapper.getFactory().createGenerator(out)) {
                    BackupRowsJson.file(json, current, file, 0, Long.MAX_VALUE);
                }
            };
            return attachment(rows, MediaType.APPLICATION_JSON, name.replaceFirst("\\.csv$", ".json"));
        });
    }

    /**
     * Every file in a state ({@code quarantined} unless named) in one download: a zip of their CSV files, named by
     * their ids, or one JSON document {@code {"files": [...]}}.
     */
    @GET
    @Path("download")
    public Response downloadAll(@Context HttpServletRequest request,
            @QueryParam("state") @DefaultValue("quarantined") String state,
            @QueryParam("format") @DefaultValue("csv") String format) {
        return withBackup(doors.forChanging(request), 400, current -> {
            if (!FORMATS.contains(format)) {
                return badRequest(BAD_FORMAT + format);
            }
            List<BackupFile> files = inState(current, state);
            String name = "tagbridge-" + state.toLowerCase(Locale.ROOT);
            if (format.equals("csv")) {
                StreamingOutput zip = out -> zip(current, files, out);
                return attachment(zip, "application/zip", name + ".zip");
            }
            StreamingOutput all = out -> {
                try (JsonGenerator json = mapper.getFactory().createGenerator(out)) {
                    json.writeStartObject();
                    json.writeArrayFieldStart("files");
                    for (BackupFile file : files) {
                        BackupRowsJson.file(json, current, file, 0, Long.MAX_VALUE);
                    }
                    json.writeEndArray();
                    json.writeEndObject();
                }
            };
            return attachment(all, MediaType.APPLICATION_JSON, name + ".json");
        });
    }

    private static void zip(BatchBackup backup, List<BackupFile> files, OutputStream out) throws IOException {
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (BackupFile file : files) {
                InputStream opened;
                try {
                    opened = backup.open(file.id());
                } catch (BackupException e) {
                    continue; // deleted or replayed since the listing: the zip holds what still exists
                }
                try (InputStream in = opened) {
                    zip.putNextEntry(new ZipEntry(file.id()));
                    in.transferTo(zip);
                    zip.closeEntry();
                }
            }
        }
    }

    private static Response badRequest(String message) {
        return Response.status(400).entity(Json.error(message)).build();
    }

    private static Response attachment(StreamingOutput body, String type, String name) {
        return Response.ok(body, type).header("Content-Disposition", "attachment; filename=\"" + name + "\"")
                .build();
    }

    private static BackupFile find(BatchBackup backup, String id) throws BackupException {
        for (BackupFile file : backup.files()) {
            if (file.id().equals(id)) {
                return file;
            }
        }
        throw new BackupException("there is no backup file " + id + ": GET /api/buffer/backups lists them", null);
    }

    private static List<BackupFile> inState(BatchBackup backup, String state) throws BackupException {
        BackupState wanted;
        try {
            wanted = BackupState.valueOf(state.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new BackupException("state must be one of pending, replaying, replayed, quarantined, not " + state,
                    e);
        }
        List<BackupFile> files = new ArrayList<>();
        for (BackupFile file : backup.files()) {
            if (file.state() == wanted && !file.open()) {
                files.add(file);
            }
        }
        return files;
    }

    /** A call on the backup: what the doors refused, 503 while the backup is not running, or its answer. */
    private interface BackupCall {
        Response on(BatchBackup backup) throws BackupException;
    }

    private Response withBackup(Response refused, int failureStatus, BackupCall call) {
        if (refused != null) {
            return refused;
        }
        BatchBackup current = backup;
        if (current == null) {
            return Response.status(503).entity(Json.error(NO_BACKUP)).build();
        }
        try {
            return call.on(current);
        } catch (BackupException e) {
            return Response.status(failureStatus).entity(Json.error(e.getMessage())).build();
        }
    }
}
